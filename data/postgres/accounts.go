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

var _ data.AccountStore = (*Store)(nil)

// account is a staff member with what signing in needs.
type account struct {
	staff      data.Staff
	hash       string
	failures   int
	lastFailed time.Time
}

func readAccount(ctx context.Context, q queryer, id int64) (account, error) {
	var a account
	var last sql.NullString
	err := q.QueryRow(ctx, `SELECT `+staffColumns+`, password_hash, failed_attempts, last_failed_at
		FROM staff WHERE id = $1`, id).Scan(&a.staff.ID, &a.staff.Name, (*string)(&a.staff.Role), &a.staff.Active,
		&a.staff.HasPassword, &a.staff.Version, &a.hash, &a.failures, &last)
	if err != nil {
		return a, err
	}
	a.lastFailed, err = parseTime(last)
	return a, err
}

// refusal is why the account may not sign in whatever the password
// (data.SignInRefusal).
func (a account) refusal(now time.Time) (string, error) {
	return data.SignInRefusal(a.staff.Active, a.hash != "", a.failures, a.lastFailed, now)
}

// SignIn checks staffID's password. The password is checked outside the
// write transaction (argon2id takes tens of milliseconds); the outcome is
// then recorded in one, which checks again that nothing changed meanwhile.
// Every refusal is recorded as ActionSignInFailed with the reason, and a
// wrong password counts towards the wait (data.SignInDelay). A good
// password clears the count, and is hashed again when its stored hash was
// made with weaker settings than today's.
func (s *Store) SignIn(ctx context.Context, staffID int64, password string) (data.Staff, error) {
	acc, err := readAccount(ctx, s.pool, staffID)
	if errors.Is(err, pgx.ErrNoRows) {
		return data.Staff{}, s.signInRefused(ctx, staffID, data.ErrUnknownStaff, "not in the staff list")
	}
	if err != nil {
		return data.Staff{}, fmt.Errorf("signing in: %w", err)
	}
	if note, why := acc.refusal(s.now()); why != nil {
		return data.Staff{}, s.signInRefused(ctx, staffID, why, note)
	}
	ok, rehash, err := data.VerifyPassword(password, acc.hash)
	if err != nil {
		return data.Staff{}, errors.Join(fmt.Errorf("signing in: %w; the clinic owner can set a new password", err),
			s.signInRefused(ctx, staffID, nil, "the stored password hash cannot be read"))
	}
	fresh := ""
	if ok && rehash {
		fresh, _ = data.HashPassword(password) // a password today's rules refuse keeps its old hash
	}
	var refused error
	err = s.write(ctx, func(tx pgx.Tx, now time.Time) error {
		var err error
		refused, err = recordSignIn(ctx, tx, acc, ok, fresh, now)
		return err
	})
	if err != nil {
		return data.Staff{}, fmt.Errorf("signing in: %w", err)
	}
	if refused != nil {
		return data.Staff{}, refused
	}
	acc.staff.HasPassword = true
	return acc.staff, nil
}

// recordSignIn records a checked password inside the write transaction.
// It returns the refusal, if any, apart from its own error, so that the
// caller hands the refusal back after the transaction has committed the
// record of it.
func recordSignIn(ctx context.Context, tx pgx.Tx, checked account, ok bool, fresh string, now time.Time) (refused, err error) {
	cur, err := readAccount(ctx, tx, checked.staff.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound(data.EntityStaff, checked.staff.ID)
	}
	if err != nil {
		return nil, err
	}
	if cur.hash != checked.hash || cur.staff.Active != checked.staff.Active {
		return fmt.Errorf("the account changed while signing in; try again: %w", data.ErrConflict), nil
	}
	fail := func(why error, note string) (error, error) {
		return why, writeAudit(ctx, tx, auditRow{at: now, actor: cur.staff.ID, action: data.ActionSignInFailed,
			entity: data.EntityStaff, entityID: cur.staff.ID, detail: note})
	}
	if note, why := cur.refusal(now); why != nil {
		return fail(why, note)
	}
	if !ok {
		cur.failures++
		_, err := tx.Exec(ctx, `UPDATE staff SET failed_attempts = $1, last_failed_at = $2 WHERE id = $3`,
			cur.failures, timeText(now), cur.staff.ID)
		if err != nil {
			return nil, err
		}
		return fail(data.WrongPassword(cur.failures, now), fmt.Sprintf("wrong password (%d in a row)", cur.failures))
	}
	hash := cur.hash
	if fresh != "" {
		hash = fresh
	}
	_, err = tx.Exec(ctx, `UPDATE staff SET failed_attempts = 0, last_failed_at = NULL, password_hash = $1 WHERE id = $2`,
		hash, cur.staff.ID)
	if err != nil {
		return nil, err
	}
	return nil, writeAudit(ctx, tx, auditRow{at: now, actor: cur.staff.ID, action: data.ActionSignIn,
		entity: data.EntityStaff, entityID: cur.staff.ID, hashRow: fresh != ""}) // a stronger hash of the password was written
}

// signInRefused records a sign-in refused before any password was checked
// and returns why (nil when the caller reports its own error).
func (s *Store) signInRefused(ctx context.Context, staffID int64, why error, note string) error {
	err := s.write(ctx, func(tx pgx.Tx, now time.Time) error {
		// A last failure dated after now was recorded while the clock ran
		// ahead: the wait counts from now instead (data.NextSignInAt).
		if _, err := tx.Exec(ctx, `UPDATE staff SET last_failed_at = $1 WHERE id = $2 AND last_failed_at > $3`,
			timeText(now), staffID, timeText(now)); err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: staffID, action: data.ActionSignInFailed,
			entity: data.EntityStaff, entityID: staffID, detail: note})
	})
	if err != nil {
		return errors.Join(why, fmt.Errorf("recording the sign-in attempt: %w", err))
	}
	return why
}

// SignOut records that the staff member signed out.
func (s *Store) SignOut(ctx context.Context, staffID int64) error {
	return s.recordAccountEvent(ctx, staffID, data.ActionSignOut, "")
}

// RecordLock records that the screen locked while the staff member was
// signed in: by their own hand, or by itself after idle minutes. The
// trail's note tells the two apart.
func (s *Store) RecordLock(ctx context.Context, staffID int64, why data.LockReason) error {
	note := lockNoteByHand
	if why == data.LockedWhenIdle {
		note = lockNoteIdle
	}
	return s.recordAccountEvent(ctx, staffID, data.ActionLock, note)
}

// The audit trail's notes on a lock.
const (
	lockNoteByHand = "locked by hand"
	lockNoteIdle   = "locked itself after the idle minutes"
)

func (s *Store) recordAccountEvent(ctx context.Context, staffID int64, action data.Action, note string) error {
	err := s.write(ctx, func(tx pgx.Tx, now time.Time) error {
		exists, err := rowExists(ctx, tx, `SELECT 1 FROM staff WHERE id = $1`, staffID)
		if err != nil {
			return err
		}
		if !exists {
			return notFound(data.EntityStaff, staffID)
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: staffID, action: action, entity: data.EntityStaff,
			entityID: staffID, detail: note})
	})
	if err != nil {
		return fmt.Errorf("recording %s: %w", action, err)
	}
	return nil
}

// SetPassword gives staffID a new password (data.CheckPassword's rules:
// at least data.MinPasswordLen characters) and clears their count of wrong
// passwords. Anyone signed in may set their own; only an owner may set
// someone else's. A password that breaks the rules is a
// *data.ValidationError for the field "password".
func (s *Store) SetPassword(ctx context.Context, actor, staffID int64, password string) error {
	hash, err := data.HashPassword(password)
	if err != nil {
		return fmt.Errorf("setting the password: %w", err)
	}
	err = s.write(ctx, func(tx pgx.Tx, now time.Time) error {
		return setPassword(ctx, tx, actor, staffID, hash, now)
	})
	err = s.noteDenied(ctx, actor, target{entity: data.EntityStaff, id: staffID}, err)
	if err != nil {
		return fmt.Errorf("setting the password: %w", err)
	}
	return nil
}

// setPassword checks that actor may set staffID's password and stores
// its hash, with the audit row, in tx.
func setPassword(ctx context.Context, tx pgx.Tx, actor, staffID int64, hash string, now time.Time) error {
	if err := maySetPassword(ctx, tx, actor, staffID); err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE staff SET password_hash = $1, failed_attempts = 0, last_failed_at = NULL
		WHERE id = $2`, hash, staffID)
	if err := mustChange(res, err, data.EntityStaff, staffID); err != nil {
		return err
	}
	note := "set by the clinic owner"
	if actor == staffID {
		note = "changed by the staff member"
	}
	return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionPasswordSet,
		entity: data.EntityStaff, entityID: staffID, detail: note, hashRow: true})
}

// maySetPassword lets a person with an active account set their own
// password, and owners set anyone's.
func maySetPassword(ctx context.Context, tx pgx.Tx, actor, staffID int64) error {
	who, err := actingStaff(ctx, tx, actor)
	if err != nil {
		return err
	}
	if actor == staffID && who.Active {
		return nil
	}
	return who.May(data.PermStaffWrite)
}

// NeedsOwner reports that no active owner can sign in: a new database, or
// one made before sign-in existed. The app then asks for the first owner's
// name and password (CreateFirstOwner).
func (s *Store) NeedsOwner(ctx context.Context) (bool, error) {
	var some bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM staff
		WHERE role = 'owner' AND active AND password_hash <> '')`).Scan(&some)
	if err != nil {
		return false, fmt.Errorf("looking for the clinic's owner: %w", err)
	}
	return !some, nil
}

// CreateFirstOwner makes the clinic's first owner account with its
// password, while NeedsOwner holds; afterwards it is data.ErrConflict,
// since anyone at the computer could otherwise make themselves owner. An
// active owner of the same name without a password (a database from before
// sign-in) gets the password instead of a twin.
func (s *Store) CreateFirstOwner(ctx context.Context, name, password string) (data.Staff, error) {
	owner := data.Staff{Name: strings.TrimSpace(name), Role: data.RoleOwner, Active: true}
	if err := owner.Validate(); err != nil {
		return data.Staff{}, fmt.Errorf("creating the owner's account: %w", err)
	}
	hash, err := data.HashPassword(password)
	if err != nil {
		return data.Staff{}, fmt.Errorf("creating the owner's account: %w", err)
	}
	err = s.write(ctx, func(tx pgx.Tx, now time.Time) error {
		var err error
		owner.ID, err = firstOwner(ctx, tx, owner, hash, now)
		return err
	})
	if err != nil {
		return data.Staff{}, fmt.Errorf("creating the owner's account: %w", err)
	}
	owner.HasPassword = true
	return owner, nil
}

// firstOwner claims or adds the owner account and returns its ID.
func firstOwner(ctx context.Context, tx pgx.Tx, owner data.Staff, hash string, now time.Time) (int64, error) {
	taken, err := rowExists(ctx, tx, `SELECT 1 FROM staff WHERE role = 'owner' AND active AND password_hash <> ''`)
	if err != nil {
		return 0, err
	}
	if taken {
		return 0, fmt.Errorf("the clinic already has an owner who can sign in; sign in as the owner to add staff: %w", data.ErrConflict)
	}
	id, err := ownerWithoutPassword(ctx, tx, owner.Name)
	if err != nil {
		return 0, err
	}
	if id == 0 {
		if id, err = insertStaff(ctx, tx, owner, data.SystemActor, now); err != nil {
			return 0, err
		}
		err = writeAudit(ctx, tx, auditRow{at: now, actor: data.SystemActor, action: data.ActionCreate,
			entity: data.EntityStaff, entityID: id, detail: "the clinic's first owner", hashRow: true})
		if err != nil {
			return 0, err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE staff SET password_hash = $1, failed_attempts = 0, last_failed_at = NULL
		WHERE id = $2`, hash, id); err != nil {
		return 0, err
	}
	return id, writeAudit(ctx, tx, auditRow{at: now, actor: id, action: data.ActionPasswordSet,
		entity: data.EntityStaff, entityID: id, detail: "the clinic's first owner", hashRow: true})
}

// ownerWithoutPassword finds an active owner named name (ignoring case)
// who has no password yet; 0 when there is none.
func ownerWithoutPassword(ctx context.Context, tx pgx.Tx, name string) (int64, error) {
	rows, err := tx.Query(ctx, `SELECT id, name FROM staff
		WHERE role = 'owner' AND active AND password_hash = '' ORDER BY id`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return 0, err
		}
		if strings.EqualFold(strings.TrimSpace(n), name) {
			return id, nil
		}
	}
	return 0, rows.Err()
}
