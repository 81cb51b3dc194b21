package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

var clientWriteColumns = []string{
	"given_name", "family_name", "date_of_birth", "phone", "email", "address", "skin_type", "concerns",
	"allergies", "medications", "medical_notes",
	"isotretinoin", "isotretinoin_stopped", "pregnant_or_nursing", "anticoagulants", "keloid_tendency",
	"active_infection", "metal_allergy", "recent_actives", "recent_actives_on", "recent_actives_what",
	"consent_signed_on", "consent_form_version", "notes", "email_reminders",
	"family_sort", "given_sort", "search_text", "phone_digits",
}

const clientReadColumns = `id, given_name, family_name, date_of_birth, phone, email, address, skin_type, concerns,
	allergies, medications, medical_notes,
	isotretinoin, isotretinoin_stopped, pregnant_or_nursing, anticoagulants, keloid_tendency,
	active_infection, metal_allergy, recent_actives, recent_actives_on, recent_actives_what,
	consent_signed_on, consent_form_version, notes, created_at, updated_at, archived_at`

func placeholders(from, n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(ps, ", ")
}

var (
	nClient         = len(clientWriteColumns)
	insertClientSQL = `INSERT INTO client (` + strings.Join(clientWriteColumns, ", ") + `, created_at, updated_at, updated_by)
		VALUES (` + placeholders(1, nClient+3) + `) RETURNING id`
	updateClientSQL = func() string {
		sets := make([]string, nClient)
		for i, c := range clientWriteColumns {
			sets[i] = fmt.Sprintf("%s = $%d", c, i+1)
		}
		return `UPDATE client SET ` + strings.Join(sets, ", ") + fmt.Sprintf(`, updated_at = $%d,
			version = version + 1, updated_by = $%d
			WHERE id = $%d AND version = $%d RETURNING created_at, archived_at, version`, nClient+1, nClient+2, nClient+3, nClient+4)
	}()
)

func clientArgs(c *data.Client) ([]any, error) {
	concerns, err := jsonList(c.Concerns)
	if err != nil {
		return nil, err
	}
	k := c.Contra
	d := deriveClient(c.GivenName, c.FamilyName, c.Email, c.Phone)
	return []any{
		c.GivenName, c.FamilyName, c.DateOfBirth.String(), c.Phone, c.Email, c.Address, int(c.SkinType), concerns,
		c.Allergies, c.Medications, c.MedicalNotes,
		k.Isotretinoin, nullDate(k.IsotretinoinStopped), k.PregnantOrNursing,
		k.Anticoagulants, k.KeloidTendency, k.ActiveInfection,
		k.MetalAllergy, k.RecentActives, nullDate(k.RecentActivesOn), k.RecentActivesWhat,
		nullDate(c.Consent.SignedOn), c.Consent.FormVersion, c.Notes, c.EmailReminders,
		d.FamilySort, d.GivenSort, d.SearchText, d.PhoneDigits,
	}, nil
}

// CreateClient adds a client, filling in ID, times and version.
func (s *Store) CreateClient(ctx context.Context, actor int64, c *data.Client) error {
	if err := c.Validate(s.today()); err != nil {
		return fmt.Errorf("adding client: %w", err)
	}
	var saved data.Client
	err := s.change(ctx, actor, data.PermClientCreate, target{entity: data.EntityClient}, func(tx pgx.Tx, now time.Time, who data.Staff) error {
		if err := mayChangeClinical(who, data.Client{}, *c); err != nil {
			return err
		}
		var err error
		saved, err = createClient(ctx, tx, actor, *c, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("adding client: %w", err)
	}
	*c = saved
	return nil
}

func createClient(ctx context.Context, tx pgx.Tx, actor int64, c data.Client, now time.Time) (data.Client, error) {
	args, err := clientArgs(&c)
	if err != nil {
		return c, err
	}
	if err := tx.QueryRow(ctx, insertClientSQL, append(args, timeText(now), timeText(now), actor)...).Scan(&c.ID); err != nil {
		return c, err
	}
	c.CreatedAt, c.UpdatedAt, c.ArchivedAt, c.Version, c.UpdatedBy = now, now, time.Time{}, 1, actor
	return c, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityClient, entityID: c.ID, clientID: c.ID, hashRow: true})
}

// UpdateClient saves a change over the version read; a record changed
// since is refused with a *data.ConflictError naming who and when.
func (s *Store) UpdateClient(ctx context.Context, actor int64, c *data.Client) error {
	if err := c.Validate(s.today()); err != nil {
		return fmt.Errorf("saving client: %w", err)
	}
	var saved data.Client
	t := target{entity: data.EntityClient, id: c.ID, clientID: c.ID}
	err := s.change(ctx, actor, data.PermClientEditContact, t, func(tx pgx.Tx, now time.Time, who data.Staff) error {
		stored, err := readClient(ctx, tx, c.ID, " FOR UPDATE")
		if err != nil {
			return err
		}
		if stored.Version != c.Version {
			return clientConflict(ctx, tx, stored)
		}
		if err := mayChangeClinical(who, stored, *c); err != nil {
			return err
		}
		saved, err = updateClient(ctx, tx, actor, *c, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("saving client: %w", err)
	}
	*c = saved
	return nil
}

func updateClient(ctx context.Context, tx pgx.Tx, actor int64, c data.Client, now time.Time) (data.Client, error) {
	args, err := clientArgs(&c)
	if err != nil {
		return c, err
	}
	args = append(args, timeText(now), actor, c.ID, c.Version)
	var created, archived sql.NullString
	err = tx.QueryRow(ctx, updateClientSQL, args...).Scan(&created, &archived, &c.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		stored, err := readClient(ctx, tx, c.ID)
		if err != nil {
			return c, err
		}
		return c, clientConflict(ctx, tx, stored)
	}
	if err != nil {
		return c, err
	}
	if c.CreatedAt, err = parseTime(created); err != nil {
		return c, err
	}
	if c.ArchivedAt, err = parseTime(archived); err != nil {
		return c, err
	}
	c.UpdatedAt, c.UpdatedBy = now, actor
	return c, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionUpdate, entity: data.EntityClient, entityID: c.ID, clientID: c.ID, hashRow: true})
}

func clientConflict(ctx context.Context, q queryer, stored data.Client) error {
	return &data.ConflictError{What: stored.FullName() + "'s record",
		By: changedBy(ctx, q, stored.UpdatedBy), At: stored.UpdatedAt}
}

func mayChangeClinical(who data.Staff, before, after data.Client) error {
	err := who.May(data.PermClientEditClinical)
	if err == nil || len(data.ClinicalChanges(before, after)) == 0 {
		return nil
	}
	return err
}

// ArchiveClient takes a client off the current list; archiving twice
// changes nothing more.
func (s *Store) ArchiveClient(ctx context.Context, actor int64, id int64) error {
	t := target{entity: data.EntityClient, id: id, clientID: id}
	err := s.change(ctx, actor, data.PermClientArchive, t, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		tag, err := tx.Exec(ctx, `UPDATE client SET archived_at = $1, updated_at = $1
			WHERE id = $2 AND archived_at IS NULL`, timeText(now), id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionArchive, entity: data.EntityClient, entityID: id, clientID: id, hashRow: true})
		}
		if exists, err := rowExists(ctx, tx, `SELECT 1 FROM client WHERE id = $1`, id); err != nil || !exists {
			return errors.Join(err, notFoundUnless(err, data.EntityClient, id))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("archiving client: %w", err)
	}
	return nil
}

func notFoundUnless(err error, entity data.Entity, id int64) error {
	if err != nil {
		return nil
	}
	return notFound(entity, id)
}

// Client reads one client for the actor's work.
func (s *Store) Client(ctx context.Context, actor int64, id int64) (data.Client, error) {
	if _, err := s.allowRead(ctx, actor, data.PermClientView, target{entity: data.EntityClient, id: id, clientID: id}); err != nil {
		return data.Client{}, fmt.Errorf("reading client: %w", err)
	}
	c, err := readClient(ctx, s.pool, id)
	if err != nil {
		return c, fmt.Errorf("reading client: %w", err)
	}
	return c, nil
}

// OpenClientRecord reads a client and records the view.
func (s *Store) OpenClientRecord(ctx context.Context, actor int64, id int64) (data.Client, error) {
	var c data.Client
	t := target{entity: data.EntityClient, id: id, clientID: id}
	err := s.change(ctx, actor, data.PermClientView, t, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		var err error
		if c, err = readClient(ctx, tx, id); err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionView, entity: data.EntityClient, entityID: id, clientID: id})
	})
	if err != nil {
		return data.Client{}, fmt.Errorf("opening client record: %w", err)
	}
	return c, nil
}

func readClient(ctx context.Context, q queryer, id int64, lock ...string) (data.Client, error) {
	c, err := scanClient(q.QueryRow(ctx, `SELECT `+clientColumns+` FROM client WHERE id = $1`+strings.Join(lock, ""), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, notFound(data.EntityClient, id)
	}
	if err != nil {
		return c, describeServerError(err)
	}
	return c, nil
}

// clientColumns are what scanClient reads.
const clientColumns = clientReadColumns + `, version, updated_by, email_reminders`

// scanClient reads one row of clientColumns.
func scanClient(row pgx.Row) (data.Client, error) {
	var c data.Client
	var n struct {
		dob, isoStopped, activesOn, consentOn, created, updated, archived sql.NullString
		concerns                                                          string
	}
	var skin int16
	k := &c.Contra
	err := row.Scan(&c.ID, &c.GivenName, &c.FamilyName, &n.dob, &c.Phone, &c.Email, &c.Address, &skin,
		&n.concerns, &c.Allergies, &c.Medications, &c.MedicalNotes,
		&k.Isotretinoin, &n.isoStopped, &k.PregnantOrNursing, &k.Anticoagulants, &k.KeloidTendency,
		&k.ActiveInfection, &k.MetalAllergy, &k.RecentActives, &n.activesOn, &k.RecentActivesWhat,
		&n.consentOn, &c.Consent.FormVersion, &c.Notes, &n.created, &n.updated, &n.archived,
		&c.Version, &c.UpdatedBy, &c.EmailReminders)
	if err != nil {
		return c, err
	}
	c.SkinType = data.SkinType(skin)
	var errs [8]error
	c.DateOfBirth, errs[0] = parseDate(n.dob)
	c.Contra.IsotretinoinStopped, errs[1] = parseDate(n.isoStopped)
	c.Contra.RecentActivesOn, errs[2] = parseDate(n.activesOn)
	c.Consent.SignedOn, errs[3] = parseDate(n.consentOn)
	c.CreatedAt, errs[4] = parseTime(n.created)
	c.UpdatedAt, errs[5] = parseTime(n.updated)
	c.ArchivedAt, errs[6] = parseTime(n.archived)
	c.Concerns, errs[7] = parseList[data.Concern](n.concerns)
	if err := errors.Join(errs[:]...); err != nil {
		return c, fmt.Errorf("client %d: %w", c.ID, err)
	}
	c.GivenName, c.FamilyName = data.NeutralisedName(c.GivenName), data.NeutralisedName(c.FamilyName)
	for _, t := range []*string{&c.Address, &c.Allergies, &c.Medications, &c.MedicalNotes, &c.Contra.RecentActivesWhat, &c.Notes} {
		*t = data.Neutralised(*t)
	}
	return c, nil
}
