package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"needledesk/data"
)

// productColumns ends with the version (migration 12).
const productColumns = `id, name, brand, category, how_to_use, default_start_day, key_ingredients, active, version`

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
	err = s.change(ctx, actor, data.PermProductWrite, target{entity: data.EntityProduct}, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
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

// createProduct adds a product, its key ingredients as jsonList gives
// them, with its audit row in tx and returns its ID; the caller has
// checked the actor and p.
func createProduct(ctx context.Context, tx *sql.Tx, p data.Product, ingredients string, actor int64, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO product
		(name, brand, category, how_to_use, default_start_day, key_ingredients, active, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.Name, p.Brand, string(p.Category), p.HowToUse, p.DefaultStartDay, ingredients, boolInt(p.Active),
		timeText(now), actor).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("adding product: %w", err)
	}
	return id, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityProduct, entityID: id})
}

// UpdateProduct validates and saves a product. Retiring one is an update with
// Active false: products are never deleted, because past sessions recommend
// them and their aftercare sheets must still print. Technicians and owners
// only. p.Version must be the version stored: a product changed since p
// was read is refused with a *data.ConflictError (data.ErrConflict) naming
// who changed it and when, and nothing is saved; on success p.Version is
// the new version.
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
	err = s.change(ctx, actor, data.PermProductWrite, t, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
		err := tx.QueryRowContext(ctx, `UPDATE product SET name = ?, brand = ?, category = ?, how_to_use = ?,
			default_start_day = ?, key_ingredients = ?, active = ?, updated_at = ?, updated_by = ?, version = version + 1
			WHERE id = ? AND version = ? RETURNING version`,
			p.Name, p.Brand, string(p.Category), p.HowToUse, p.DefaultStartDay, ingredients, boolInt(p.Active),
			timeText(now), actor, p.ID, p.Version).Scan(&version)
		if errors.Is(err, sql.ErrNoRows) {
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

// productConflict is the refusal of a save over a product that changed
// since it was read (who changed it last, and when), or data.ErrNotFound
// when it is gone.
func productConflict(ctx context.Context, q queryer, id int64) error {
	var name string
	var at sql.NullString
	var by int64
	err := q.QueryRowContext(ctx, `SELECT name, updated_at, updated_by FROM product WHERE id = ?`, id).Scan(&name, &at, &by)
	if errors.Is(err, sql.ErrNoRows) {
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
// account is on (the catalogue is no one's health data).
func (s *Store) Product(ctx context.Context, actor, id int64) (data.Product, error) {
	if err := s.allowAnyRole(ctx, actor, target{entity: data.EntityProduct, id: id}); err != nil {
		return data.Product{}, fmt.Errorf("reading product %d: %w", id, err)
	}
	p, err := scanProduct(s.r.QueryRowContext(ctx, `SELECT `+productColumns+` FROM product WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound(data.EntityProduct, id)
	}
	if err != nil {
		return p, fmt.Errorf("reading product %d: %w", id, err)
	}
	return p, nil
}

// Products lists the catalogue grouped by category, in the order forms show
// categories (data.Categories), and by name within each; retired products
// only when asked; for any staff member whose account is on.
func (s *Store) Products(ctx context.Context, actor int64, includeRetired bool) ([]data.Product, error) {
	if err := s.allowAnyRole(ctx, actor, target{entity: data.EntityProduct}); err != nil {
		return nil, fmt.Errorf("listing products: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+productColumns+` FROM product
		WHERE active = 1 OR ? ORDER BY name COLLATE NOCASE, id`, includeRetired)
	if err != nil {
		return nil, fmt.Errorf("listing products: %w", err)
	}
	defer rows.Close()
	var out []data.Product
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, fmt.Errorf("listing products: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing products: %w", err)
	}
	// Sorting by category here rather than in SQL keeps the category order
	// in one place, data.Categories; the catalogue is a few dozen rows.
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

func scanProduct(sc scanner) (data.Product, error) {
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
