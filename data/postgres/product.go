package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

// productColumns ends with the version, as data/sqlite's.
const productColumns = `id, name, brand, category, how_to_use, default_start_day, key_ingredients, active, version`

// productOrder is SQLite's name COLLATE NOCASE (ASCII letters folded),
// then ID; Products then groups the list by category.
const productOrder = ` ORDER BY lower(name COLLATE "C"), id`

// CreateProduct validates and adds a catalogue product, setting p.ID;
// technicians and owners only.
func (s *Store) CreateProduct(ctx context.Context, actor int64, p *data.Product) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("adding product: %w", err)
	}
	ingredients, err := jsonList(p.KeyIngredients)
	if err != nil {
		return err
	}
	var id int64
	err = s.change(ctx, actor, data.PermProductWrite, target{entity: data.EntityProduct}, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		var err error
		id, err = createProduct(ctx, tx, *p, ingredients, actor, now)
		return err
	})
	if err != nil {
		return err
	}
	p.ID, p.Version = id, 1
	return nil
}

// createProduct adds a product with its audit row in tx and returns its
// ID; the caller has checked the actor and p.
func createProduct(ctx context.Context, q queryer, p data.Product, ingredients string, actor int64, now time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO product
		(name, brand, category, how_to_use, default_start_day, key_ingredients, active, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		p.Name, p.Brand, string(p.Category), p.HowToUse, p.DefaultStartDay, ingredients, p.Active,
		timeText(now), actor).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("adding product: %w", err)
	}
	return id, writeAudit(ctx, q, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityProduct, entityID: id})
}

// UpdateProduct validates and saves a product over the version read
// (retiring one is an update with Active false); technicians and owners
// only. A product changed since is refused with a *data.ConflictError.
func (s *Store) UpdateProduct(ctx context.Context, actor int64, p *data.Product) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("saving product: %w", err)
	}
	ingredients, err := jsonList(p.KeyIngredients)
	if err != nil {
		return err
	}
	t := target{entity: data.EntityProduct, id: p.ID}
	var version int64
	err = s.change(ctx, actor, data.PermProductWrite, t, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		err := tx.QueryRow(ctx, `UPDATE product SET name = $1, brand = $2, category = $3, how_to_use = $4,
			default_start_day = $5, key_ingredients = $6, active = $7, updated_at = $8, updated_by = $9, version = version + 1
			WHERE id = $10 AND version = $11 RETURNING version`,
			p.Name, p.Brand, string(p.Category), p.HowToUse, p.DefaultStartDay, ingredients, p.Active,
			timeText(now), actor, p.ID, p.Version).Scan(&version)
		if errors.Is(err, pgx.ErrNoRows) {
			return productConflict(ctx, tx, p.ID)
		}
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionUpdate, entity: data.EntityProduct, entityID: p.ID})
	})
	if err != nil {
		return fmt.Errorf("saving product: %w", err)
	}
	p.Version = version
	return nil
}

// productConflict names who changed the product last and when, or is
// data.ErrNotFound when it is gone.
func productConflict(ctx context.Context, q queryer, id int64) error {
	var name string
	var at sql.NullString
	var by int64
	err := q.QueryRow(ctx, `SELECT name, updated_at, updated_by FROM product WHERE id = $1`, id).Scan(&name, &at, &by)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(data.EntityProduct, id)
	}
	if err != nil {
		return err
	}
	when, err := parseTime(at)
	if err != nil {
		return err
	}
	return &data.ConflictError{What: "the product " + name, By: changedBy(ctx, q, by), At: when}
}

// Product reads one product, retired or not, for any staff member whose
// account is on.
func (s *Store) Product(ctx context.Context, actor, id int64) (data.Product, error) {
	if err := s.allowAnyRole(ctx, actor, target{entity: data.EntityProduct, id: id}); err != nil {
		return data.Product{}, fmt.Errorf("reading product %d: %w", id, err)
	}
	p, err := scanProduct(s.pool.QueryRow(ctx, `SELECT `+productColumns+` FROM product WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return p, notFound(data.EntityProduct, id)
	}
	if err != nil {
		return p, fmt.Errorf("reading product %d: %w", id, describeServerError(err))
	}
	return p, nil
}

// Products lists the catalogue grouped by category (data.Categories'
// order) and by name within each; retired products only when asked.
func (s *Store) Products(ctx context.Context, actor int64, includeRetired bool) ([]data.Product, error) {
	if err := s.allowAnyRole(ctx, actor, target{entity: data.EntityProduct}); err != nil {
		return nil, fmt.Errorf("listing products: %w", err)
	}
	out, err := listProducts(ctx, s.pool, includeRetired)
	if err != nil {
		return nil, fmt.Errorf("listing products: %w", describeServerError(err))
	}
	return out, nil
}

func listProducts(ctx context.Context, q queryer, includeRetired bool) ([]data.Product, error) {
	rows, err := q.Query(ctx, `SELECT `+productColumns+` FROM product WHERE active OR $1`+productOrder, includeRetired)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (data.Product, error) { return scanProduct(r) })
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b data.Product) int {
		return categoryRank(a.Category) - categoryRank(b.Category)
	})
	return out, nil
}

// categoryRank is the category's place in data.Categories; unknown ones last.
func categoryRank(c data.Category) int {
	if i := slices.Index(data.Categories, c); i >= 0 {
		return i
	}
	return len(data.Categories)
}

func scanProduct(sc pgx.Row) (data.Product, error) {
	var ps productScan
	if err := sc.Scan(ps.dest()...); err != nil {
		return data.Product{}, err
	}
	return ps.product()
}

// productScan receives the productColumns of a row, so joins that read a
// product alongside other columns can scan it too.
type productScan struct {
	p                     data.Product
	category, ingredients string
}

func (ps *productScan) dest() []any {
	p := &ps.p
	return []any{&p.ID, &p.Name, &p.Brand, &ps.category, &p.HowToUse, &p.DefaultStartDay, &ps.ingredients, &p.Active, &p.Version}
}

func (ps *productScan) product() (data.Product, error) {
	p := ps.p
	p.Category = data.Category(ps.category)
	var err error
	if p.KeyIngredients, err = parseList[string](ps.ingredients); err != nil {
		return p, fmt.Errorf("product %d: %w", p.ID, err)
	}
	return p, nil
}
