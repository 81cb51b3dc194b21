package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

// Role checks, as data/sqlite's access.go: every write reads its actor
// inside its own transaction; a refusal rolls the change back and is
// recorded as one ActionDenied row in a transaction of its own.

var _ data.Authorizer = (*Store)(nil)

var systemStaff = data.Staff{ID: data.SystemActor, Name: "NeedleDesk", Role: data.RoleOwner, Active: true}

type target struct {
	entity   data.Entity
	id       int64
	clientID int64
}

func actingStaff(ctx context.Context, q queryer, actor int64) (data.Staff, error) {
	if actor == data.SystemActor {
		return systemStaff, nil
	}
	st, err := scanStaff(q.QueryRow(ctx, `SELECT `+staffColumns+` FROM staff WHERE id = $1`, actor))
	if errors.Is(err, pgx.ErrNoRows) {
		return st, data.ForbiddenUnknownStaff(actor)
	}
	if err != nil {
		return st, fmt.Errorf("reading who is working: %w", err)
	}
	return st, nil
}

func mayAct(ctx context.Context, q queryer, actor int64, p data.Permission) (data.Staff, error) {
	who, err := actingStaff(ctx, q, actor)
	if err != nil {
		return who, err
	}
	return who, who.May(p)
}

func (s *Store) change(ctx context.Context, actor int64, p data.Permission, t target,
	fn func(tx pgx.Tx, now time.Time, who data.Staff) error) error {
	err := s.write(ctx, func(tx pgx.Tx, now time.Time) error {
		who, err := mayAct(ctx, tx, actor, p)
		if err != nil {
			return err
		}
		return fn(tx, now, who)
	})
	return s.noteDenied(ctx, actor, t, err)
}

func (s *Store) allowRead(ctx context.Context, actor int64, p data.Permission, t target) (data.Staff, error) {
	who, err := mayAct(ctx, s.pool, actor, p)
	return who, s.noteDenied(ctx, actor, t, err)
}

func (s *Store) allowAnyRole(ctx context.Context, actor int64, t target) error {
	who, err := actingStaff(ctx, s.pool, actor)
	if err == nil && !who.Active {
		err = who.May("")
	}
	return s.noteDenied(ctx, actor, t, err)
}

func (s *Store) allowEither(ctx context.Context, actor int64, a, b data.Permission, refused string, t target) error {
	who, err := actingStaff(ctx, s.pool, actor)
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

func (s *Store) noteDenied(ctx context.Context, actor int64, t target, err error) error {
	if !errors.Is(err, data.ErrForbidden) {
		return err
	}
	werr := s.write(ctx, func(tx pgx.Tx, now time.Time) error {
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionDenied,
			entity: t.entity, entityID: t.id, clientID: t.clientID, detail: data.UserMessage(err)})
	})
	if werr != nil {
		return errors.Join(err, fmt.Errorf("recording the refusal: %w", werr))
	}
	return err
}

var permissionEntity = map[data.Permission]data.Entity{
	data.PermAuditView:     data.EntityAudit,
	data.PermSettingsWrite: data.EntitySettings,
	data.PermStaffWrite:    data.EntityStaff,
	data.PermProductWrite:  data.EntityProduct,
	data.PermSheetMake:     data.EntitySheet,
}

// Authorize checks that actor may take p, recording a refusal.
func (s *Store) Authorize(ctx context.Context, actor int64, p data.Permission) error {
	entity, ok := permissionEntity[p]
	if !ok {
		entity = data.EntityDatabase
	}
	_, err := s.allowRead(ctx, actor, p, target{entity: entity})
	return err
}

// AuditEvents reads the audit trail; owners only.
func (s *Store) AuditEvents(ctx context.Context, actor int64, f data.AuditFilter) ([]data.AuditEvent, error) {
	if _, err := s.allowRead(ctx, actor, data.PermAuditView, target{entity: data.EntityAudit}); err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", err)
	}
	return s.auditEvents(ctx, f)
}
