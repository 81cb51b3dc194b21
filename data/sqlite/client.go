package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"needledesk/data"
)

// clientWriteColumns are the columns a create or an update writes, in the
// order clientArgs gives their values. The last four are derived from the
// others, for sorting and searching.
var clientWriteColumns = []string{
	"given_name", "family_name", "date_of_birth", "phone", "email", "address", "skin_type", "concerns",
	"allergies", "medications", "medical_notes",
	"isotretinoin", "isotretinoin_stopped", "pregnant_or_nursing", "anticoagulants", "keloid_tendency",
	"active_infection", "metal_allergy", "recent_actives", "recent_actives_on", "recent_actives_what",
	"consent_signed_on", "consent_form_version", "notes", "email_reminders",
	"family_sort", "given_sort", "search_text", "phone_digits",
}

// clientReadColumns are what scanClient expects.
const clientReadColumns = `id, given_name, family_name, date_of_birth, phone, email, address, skin_type, concerns,
	allergies, medications, medical_notes,
	isotretinoin, isotretinoin_stopped, pregnant_or_nursing, anticoagulants, keloid_tendency,
	active_infection, metal_allergy, recent_actives, recent_actives_on, recent_actives_what,
	consent_signed_on, consent_form_version, notes, created_at, updated_at, archived_at`

var (
	insertClientSQL = `INSERT INTO client (` + strings.Join(clientWriteColumns, ", ") + `, created_at, updated_at, updated_by)
		VALUES (` + strings.Repeat("?, ", len(clientWriteColumns)) + `?, ?, ?)`
	// updateClientSQL saves over the version read (migration 11) and
	// raises it; no row back means the record changed or is gone.
	updateClientSQL = `UPDATE client SET ` + strings.Join(clientWriteColumns, " = ?, ") + ` = ?, updated_at = ?,
		version = version + 1, updated_by = ?
		WHERE id = ? AND version = ? RETURNING created_at, archived_at, version`
)

// clientArgs gives the values for clientWriteColumns.
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
		boolInt(k.Isotretinoin), nullDate(k.IsotretinoinStopped), boolInt(k.PregnantOrNursing),
		boolInt(k.Anticoagulants), boolInt(k.KeloidTendency), boolInt(k.ActiveInfection),
		boolInt(k.MetalAllergy), boolInt(k.RecentActives), nullDate(k.RecentActivesOn), k.RecentActivesWhat,
		nullDate(c.Consent.SignedOn), c.Consent.FormVersion, c.Notes, boolInt(c.EmailReminders),
		d.FamilySort, d.GivenSort, d.SearchText, d.PhoneDigits,
	}, nil
}

// CreateClient validates and adds a client, setting c.ID, c.CreatedAt and
// c.UpdatedAt. A new client is always current: c.ArchivedAt is ignored.
// Staff without PermClientEditClinical may add a client only with the
// clinical fields (data.ClinicalFields) left empty.
func (s *Store) CreateClient(ctx context.Context, actor int64, c *data.Client) error {
	if err := c.Validate(s.today()); err != nil {
		return fmt.Errorf("adding client: %w", err)
	}
	var saved data.Client
	err := s.change(ctx, actor, data.PermClientCreate, target{entity: data.EntityClient}, func(tx *sql.Tx, now time.Time, who data.Staff) error {
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

func createClient(ctx context.Context, tx *sql.Tx, actor int64, c data.Client, now time.Time) (data.Client, error) {
	args, err := clientArgs(&c)
	if err != nil {
		return c, err
	}
	res, err := tx.ExecContext(ctx, insertClientSQL, append(args, timeText(now), timeText(now), actor)...)
	if err != nil {
		return c, err
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return c, err
	}
	c.CreatedAt, c.UpdatedAt, c.ArchivedAt, c.Version, c.UpdatedBy = now, now, time.Time{}, 1, actor
	return c, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityClient, entityID: c.ID, clientID: c.ID, hashRow: true})
}

// UpdateClient validates and saves a client, archived or not, setting
// c.UpdatedAt and reloading c.CreatedAt and c.ArchivedAt from the database
// (an update never archives or restores). A missing ID is data.ErrNotFound.
// c.Version must be the version stored: a record changed since c was read
// is refused with a *data.ConflictError (data.ErrConflict) naming who
// changed it and when, and nothing is saved. On success c.Version is the
// new version. Staff without PermClientEditClinical may save only when
// the clinical fields are as stored.
func (s *Store) UpdateClient(ctx context.Context, actor int64, c *data.Client) error {
	if err := c.Validate(s.today()); err != nil {
		return fmt.Errorf("saving client: %w", err)
	}
	var saved data.Client
	t := target{entity: data.EntityClient, id: c.ID, clientID: c.ID}
	err := s.change(ctx, actor, data.PermClientEditContact, t, func(tx *sql.Tx, now time.Time, who data.Staff) error {
		stored, err := readClient(ctx, tx, c.ID)
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

func updateClient(ctx context.Context, tx *sql.Tx, actor int64, c data.Client, now time.Time) (data.Client, error) {
	args, err := clientArgs(&c)
	if err != nil {
		return c, err
	}
	args = append(args, timeText(now), actor, c.ID, c.Version)
	var created, archived sql.NullString
	err = tx.QueryRowContext(ctx, updateClientSQL, args...).Scan(&created, &archived, &c.Version)
	if errors.Is(err, sql.ErrNoRows) {
		stored, err := readClient(ctx, tx, c.ID)
		if err != nil {
			return c, err // data.ErrNotFound when it is gone
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

// clientConflict is the refusal of a save over a client record that
// changed since it was read: who changed it last, and when.
func clientConflict(ctx context.Context, q queryer, stored data.Client) error {
	return &data.ConflictError{What: stored.FullName() + "'s record",
		By: changedBy(ctx, q, stored.UpdatedBy), At: stored.UpdatedAt}
}

// changedBy names whoever made a change, for a conflict's message; ""
// when the name cannot be read (the message then says "someone else").
func changedBy(ctx context.Context, q queryer, actor int64) string {
	if actor == data.SystemActor {
		return "NeedleDesk itself (a command or an import)"
	}
	var name string
	if err := q.QueryRowContext(ctx, `SELECT name FROM staff WHERE id = ?`, actor).Scan(&name); err != nil {
		return ""
	}
	return name
}

// mayChangeClinical refuses a change to a client's clinical fields by
// someone whose role does not allow it.
func mayChangeClinical(who data.Staff, before, after data.Client) error {
	err := who.May(data.PermClientEditClinical)
	if err == nil || len(data.ClinicalChanges(before, after)) == 0 {
		return nil // the comparison is skipped for those allowed: imports are large
	}
	return err
}

// ArchiveClient takes a client off the current list without deleting
// anything: their record and sessions stay, and Client still reads them.
// Archiving an archived client is a no-op: the first archive date stands
// and no second audit row is written. A missing ID is data.ErrNotFound.
func (s *Store) ArchiveClient(ctx context.Context, actor int64, id int64) error {
	t := target{entity: data.EntityClient, id: id, clientID: id}
	err := s.change(ctx, actor, data.PermClientArchive, t, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
		return archiveClient(ctx, tx, actor, id, now)
	})
	if err != nil {
		return fmt.Errorf("archiving client: %w", err)
	}
	return nil
}

func archiveClient(ctx context.Context, tx *sql.Tx, actor, id int64, now time.Time) error {
	// The version stays: an update never archives or restores, so a form
	// opened before the archive overwrites nothing it did.
	res, err := tx.ExecContext(ctx, `UPDATE client SET archived_at = ?, updated_at = ?
		WHERE id = ? AND archived_at IS NULL`, timeText(now), timeText(now), id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionArchive, entity: data.EntityClient, entityID: id, clientID: id, hashRow: true})
	}
	exists, err := rowExists(ctx, tx, `SELECT 1 FROM client WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if !exists {
		return notFound(data.EntityClient, id)
	}
	return nil // already archived
}

// Client reads one client, archived or not, for anyone allowed to open
// client records. It records nothing: OpenClientRecord is for a person
// opening the record.
func (s *Store) Client(ctx context.Context, actor int64, id int64) (data.Client, error) {
	if _, err := s.allowRead(ctx, actor, data.PermClientView, target{entity: data.EntityClient, id: id, clientID: id}); err != nil {
		return data.Client{}, fmt.Errorf("reading client: %w", err)
	}
	c, err := readClient(ctx, s.r, id)
	if err != nil {
		return c, fmt.Errorf("reading client: %w", err)
	}
	return c, nil
}

// OpenClientRecord reads one client as Client does and records in the
// audit trail that the actor viewed the record, in the same transaction
// as the read.
func (s *Store) OpenClientRecord(ctx context.Context, actor int64, id int64) (data.Client, error) {
	var c data.Client
	t := target{entity: data.EntityClient, id: id, clientID: id}
	err := s.change(ctx, actor, data.PermClientView, t, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
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

// clientByIDSQL reads one client with its version, who changed it last
// and the consent to e-mail reminders (kept out of clientReadColumns,
// which the row hash covers).
const clientByIDSQL = `SELECT ` + clientReadColumns + `, version, updated_by, email_reminders FROM client WHERE id = ?`

func readClient(ctx context.Context, q queryer, id int64) (data.Client, error) {
	var version, by int64
	var remind bool
	c, err := scanClient(q.QueryRowContext(ctx, clientByIDSQL, id), &version, &by, &remind)
	c.Version, c.UpdatedBy, c.EmailReminders = version, by, remind
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound(data.EntityClient, id)
	}
	return c, err
}

// clientNulls holds a client row's nullable and encoded columns while it is
// scanned.
type clientNulls struct {
	dob, isoStopped, activesOn, consentOn, created, updated, archived sql.NullString
	concerns                                                          string
}

// scanClient reads clientReadColumns, then any extra columns into extra.
func scanClient(sc scanner, extra ...any) (data.Client, error) {
	var c data.Client
	var n clientNulls
	k := &c.Contra
	err := sc.Scan(append([]any{&c.ID, &c.GivenName, &c.FamilyName, &n.dob, &c.Phone, &c.Email, &c.Address, &c.SkinType,
		&n.concerns, &c.Allergies, &c.Medications, &c.MedicalNotes,
		&k.Isotretinoin, &n.isoStopped, &k.PregnantOrNursing, &k.Anticoagulants, &k.KeloidTendency,
		&k.ActiveInfection, &k.MetalAllergy, &k.RecentActives, &n.activesOn, &k.RecentActivesWhat,
		&n.consentOn, &c.Consent.FormVersion, &c.Notes, &n.created, &n.updated, &n.archived}, extra...)...)
	if err != nil {
		return c, err
	}
	if err := n.decode(&c); err != nil {
		return c, fmt.Errorf("client %d: %w", c.ID, err)
	}
	c.GivenName, c.FamilyName = data.NeutralisedName(c.GivenName), data.NeutralisedName(c.FamilyName)
	for _, t := range []*string{&c.Address, &c.Allergies, &c.Medications, &c.MedicalNotes, &c.Contra.RecentActivesWhat, &c.Notes} {
		*t = data.Neutralised(*t)
	}
	return c, nil
}

func (n clientNulls) decode(c *data.Client) error {
	var errs [8]error
	c.DateOfBirth, errs[0] = parseDate(n.dob)
	c.Contra.IsotretinoinStopped, errs[1] = parseDate(n.isoStopped)
	c.Contra.RecentActivesOn, errs[2] = parseDate(n.activesOn)
	c.Consent.SignedOn, errs[3] = parseDate(n.consentOn)
	c.CreatedAt, errs[4] = parseTime(n.created)
	c.UpdatedAt, errs[5] = parseTime(n.updated)
	c.ArchivedAt, errs[6] = parseTime(n.archived)
	c.Concerns, errs[7] = parseList[data.Concern](n.concerns)
	return errors.Join(errs[:]...)
}

// rowExists runs a query that selects a row or none.
func rowExists(ctx context.Context, q queryer, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// ImportClients validates every client and then adds them all in one
// transaction, or none of them; each gets its create audit row. Clinical
// fields need PermClientEditClinical as in CreateClient. On success
// every element of cs has its ID and timestamps set, so sessions can be
// imported for them next.
func (s *Store) ImportClients(ctx context.Context, actor int64, cs []data.Client) error {
	if err := validClients(cs, s.today()); err != nil {
		return err
	}
	saved := slices.Clone(cs)
	err := s.change(ctx, actor, data.PermClientCreate, target{entity: data.EntityClient}, func(tx *sql.Tx, now time.Time, who data.Staff) error {
		return importClientsAs(ctx, tx, who, saved, now)
	})
	if err != nil {
		return fmt.Errorf("importing clients: %w", err)
	}
	copy(cs, saved)
	return nil
}

// validClients validates clients to import, naming the first refused.
func validClients(cs []data.Client, today data.Date) error {
	for i := range cs {
		if err := cs[i].Validate(today); err != nil {
			return fmt.Errorf("importing clients: client %d of %d (%s): %w", i+1, len(cs), cs[i].FullName(), err)
		}
	}
	return nil
}

// importClientsAs writes cs as importClients does once who (allowed
// PermClientCreate) is seen to be allowed their clinical fields.
func importClientsAs(ctx context.Context, tx *sql.Tx, who data.Staff, cs []data.Client, now time.Time) error {
	for i := range cs {
		if err := mayChangeClinical(who, data.Client{}, cs[i]); err != nil {
			return err
		}
	}
	return importClients(ctx, tx, who.ID, cs, now)
}

// clientBatch is how many clients one INSERT writes during an import. The
// search index (migration 5) writes out what it has gathered at the start
// of every statement, so bigger batches also mean fewer, larger index
// segments: 256 instead of 32 took a second off the 100,000-client demo.
const clientBatch = 256

// importClients writes cs (a copy the caller may discard on failure) in
// batches with IDs chosen up front, setting each client's ID and
// timestamps. One statement per batch instead of one per client is most of
// the speed of a large import.
func importClients(ctx context.Context, tx *sql.Tx, actor int64, cs []data.Client, now time.Time) error {
	first, err := nextID(ctx, tx, "client")
	if err != nil {
		return err
	}
	ins := newMultiInsert(tx, "client", append(append([]string{"id"}, clientWriteColumns...), "created_at", "updated_at", "updated_by")...)
	defer ins.Close()
	rowCtx, cancelled := rowContext(ctx)
	stamp := timeText(now)
	ids := make([]int64, len(cs))
	args := make([]any, 0, clientBatch*(len(clientWriteColumns)+4))
	for start := 0; start < len(cs); start += clientBatch {
		if err := cancelled(); err != nil {
			return err
		}
		args = args[:0]
		for i := start; i < min(start+clientBatch, len(cs)); i++ {
			c := &cs[i]
			c.ID, c.CreatedAt, c.UpdatedAt, c.ArchivedAt = first+int64(i), now, now, time.Time{}
			c.Version, c.UpdatedBy = 1, actor
			ids[i] = c.ID
			row, err := clientArgs(c)
			if err != nil {
				return err
			}
			args = append(append(append(args, c.ID), row...), stamp, stamp, actor)
		}
		if err := ins.exec(rowCtx, args); err != nil {
			return fmt.Errorf("clients %d to %d of %d: %w", start+1, min(start+clientBatch, len(cs)), len(cs), err)
		}
	}
	return auditMany(ctx, tx, now, actor, data.ActionCreate, data.EntityClient, ids, ids)
}
