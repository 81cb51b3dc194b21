package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"needledesk/data"
)

// Role checks. Every write looks its actor up in the staff table inside
// its own transaction, so a role changed or an account switched off a
// moment ago counts at once. A refusal rolls the change back and is then
// recorded, as one ActionDenied row, in a transaction of its own.

var _ data.Authorizer = (*Store)(nil)

// systemStaff is NeedleDesk itself acting (SystemActor): the command line
// before sign-in, migrations, the demo clinic. It may do everything.
var systemStaff = data.Staff{ID: data.SystemActor, Name: "NeedleDesk", Role: data.RoleOwner, Active: true}

// target is the record an action concerns, for the row that records a
// refusal.
type target struct {
	entity   data.Entity
	id       int64
	clientID int64
}

// actingStaff reads who is acting. An ID that is not in the staff list is
// refused: nothing is done under a name nobody has.
func actingStaff(ctx context.Context, q queryer, actor int64) (data.Staff, error) {
	if actor == data.SystemActor {
		return systemStaff, nil
	}
	st, err := scanStaff(q.QueryRowContext(ctx, `SELECT `+staffColumns+` FROM staff WHERE id = ?`, actor))
	if errors.Is(err, sql.ErrNoRows) {
		return st, data.ForbiddenUnknownStaff(actor)
	}
	if err != nil {
		return st, fmt.Errorf("reading who is working: %w", err)
	}
	return st, nil
}

// mayAct reads the actor and checks p.
func mayAct(ctx context.Context, q queryer, actor int64, p data.Permission) (data.Staff, error) {
	who, err := actingStaff(ctx, q, actor)
	if err != nil {
		return who, err
	}
	return who, who.May(p)
}

// change runs fn in a write transaction once the actor is known to be
// allowed p; fn gets the actor for checks that depend on the data (a
// receptionist changing a clinical field). A refusal from either is
// recorded against t.
func (s *Store) change(ctx context.Context, actor int64, p data.Permission, t target,
	fn func(tx *sql.Tx, now time.Time, who data.Staff) error) error {
	err := s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		who, err := mayAct(ctx, tx, actor, p)
		if err != nil {
			return err
		}
		return fn(tx, now, who)
	})
	return s.noteDenied(ctx, actor, t, err)
}

// allowRead checks p for a read, recording a refusal against t. It returns
// the actor, whose role decides how much some reads show.
func (s *Store) allowRead(ctx context.Context, actor int64, p data.Permission, t target) (data.Staff, error) {
	who, err := mayAct(ctx, s.r, actor, p)
	return who, s.noteDenied(ctx, actor, t, err)
}

// allowAnyRole checks a read every role needs: the actor must be a known
// staff member whose account is on. A refusal is recorded against t.
func (s *Store) allowAnyRole(ctx context.Context, actor int64, t target) error {
	who, err := actingStaff(ctx, s.r, actor)
	if err == nil && !who.Active {
		err = who.May("") // switched off: refused whatever the role
	}
	return s.noteDenied(ctx, actor, t, err)
}

// allowEither checks a read allowed to roles with either permission,
// refusing others with words (refused) that name the read.
func (s *Store) allowEither(ctx context.Context, actor int64, a, b data.Permission, refused string, t target) error {
	who, err := actingStaff(ctx, s.r, actor)
	if err == nil {
		if err = who.May(a); err != nil && who.Active && who.May(b) == nil {
			err = nil
		}
	}
	if errors.Is(err, data.ErrForbidden) && who.Active {
		err = &data.ForbiddenError{Permission: a, Message: fmt.Sprintf("%s staff cannot %s; ask the clinic owner", who.Role.Label(), refused)}
	}
	return s.noteDenied(ctx, actor, t, err)
}

// noteDenied records err in the audit trail when it is a refusal, and
// returns it either way. The refused change has rolled back by now, so the
// trail gains this one row and nothing else changes.
func (s *Store) noteDenied(ctx context.Context, actor int64, t target, err error) error {
	if !errors.Is(err, data.ErrForbidden) {
		return err
	}
	werr := s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionDenied,
			entity: t.entity, entityID: t.id, clientID: t.clientID, detail: data.UserMessage(err)})
	})
	if werr != nil {
		return errors.Join(err, fmt.Errorf("recording the refusal: %w", werr))
	}
	return err
}

// permissionEntity is what a refusal from Authorize is recorded against.
var permissionEntity = map[data.Permission]data.Entity{
	data.PermAuditView:     data.EntityAudit,
	data.PermSettingsWrite: data.EntitySettings,
	data.PermStaffWrite:    data.EntityStaff,
	data.PermProductWrite:  data.EntityProduct,
	data.PermSheetMake:     data.EntitySheet,
}

// Authorize checks that actor may take p, for work outside the store's own
// changes (exports, backups, restores). A refusal matches
// data.ErrForbidden and is recorded as ActionDenied, against the database
// as a whole unless p names a kind of record.
func (s *Store) Authorize(ctx context.Context, actor int64, p data.Permission) error {
	entity, ok := permissionEntity[p]
	if !ok {
		entity = data.EntityDatabase
	}
	_, err := s.allowRead(ctx, actor, p, target{entity: entity})
	return err
}

// AuditEvents reads the audit trail (see auditEvents for the filter and
// the order); owners only.
func (s *Store) AuditEvents(ctx context.Context, actor int64, f data.AuditFilter) ([]data.AuditEvent, error) {
	if _, err := s.allowRead(ctx, actor, data.PermAuditView, target{entity: data.EntityAudit}); err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", err)
	}
	return s.auditEvents(ctx, f)
}
