package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"needledesk/data"
	"needledesk/data/internal/settingsdoc"
)

// settingsID is the one settings row, also the entity ID in the audit trail.
const settingsID = 1

// Settings reads the clinic's settings. A database always has them (Open
// seeds the defaults); should the row be missing anyway, the defaults come
// back, so the app can still start and the clinic can save them again.
// Any staff member whose account is on may read them: every role works
// under them (the sheet's words, the depth ranges, the date format).
func (s *Store) Settings(ctx context.Context, actor int64) (data.Settings, error) {
	if err := s.allowAnyRole(ctx, actor, target{entity: data.EntitySettings, id: 1}); err != nil {
		return data.Settings{}, fmt.Errorf("reading settings: %w", err)
	}
	st, err := settingsIn(ctx, s.r)
	if err != nil {
		return st, fmt.Errorf("reading settings: %w", err)
	}
	return st, nil
}

// SignInSettings reads the few settings the sign-in screen needs before
// anyone signs in (data.SignInSettings), so it takes no actor.
func (s *Store) SignInSettings(ctx context.Context) (data.SignInSettings, error) {
	st, err := settingsIn(ctx, s.r)
	if err != nil {
		return data.SignInSettings{}, fmt.Errorf("reading settings: %w", err)
	}
	return st.SignIn(), nil
}

// SaveSettings validates and replaces the settings, with an audit row for
// entity "settings", ID 1; owners only. Aftercare figures shorter than the
// sources' cautious ones are refused with a *data.NeedsConfirmation until
// the owner confirms them (data.AftercareSettings.Confirm); the audit row
// of the save that confirms them names them. st.Version must be the
// version stored: settings changed since st was read are refused with a
// *data.ConflictError (data.ErrConflict) naming who changed them and when,
// and nothing is saved; on success st.Version is the new version.
func (s *Store) SaveSettings(ctx context.Context, actor int64, st *data.Settings) error {
	if err := st.Validate(); err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	if err := st.Aftercare.CheckSources(); err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	t := target{entity: data.EntitySettings, id: settingsID}
	var version int64
	err := s.change(ctx, actor, data.PermSettingsWrite, t, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
		var err error
		version, err = saveSettings(ctx, tx, actor, *st, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	st.Version = version
	return nil
}

// saveSettings replaces the settings over st.Version, with the audit row,
// in tx and returns the new version; the caller has checked the actor and
// st.
func saveSettings(ctx context.Context, tx *sql.Tx, actor int64, st data.Settings, now time.Time) (int64, error) {
	before, err := settingsIn(ctx, tx)
	if err != nil {
		return 0, err
	}
	if before.Version != st.Version {
		return 0, settingsConflict(ctx, tx)
	}
	if err := putSettings(ctx, tx, st); err != nil {
		return 0, err
	}
	var version int64
	err = tx.QueryRowContext(ctx, `UPDATE settings SET version = version + 1, updated_by = ?, updated_at = ?
		WHERE id = ? RETURNING version`, actor, timeText(now), settingsID).Scan(&version)
	if err != nil {
		return 0, err
	}
	return version, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionUpdate, entity: data.EntitySettings,
		entityID: settingsID, detail: confirmedDetail(st.Aftercare.NewlyConfirmed(before.Aftercare))})
}

// settingsConflict is the refusal of a save over settings changed since
// they were read: who changed them last, and when.
func settingsConflict(ctx context.Context, q queryer) error {
	var at sql.NullString
	var by int64
	err := q.QueryRowContext(ctx, `SELECT updated_at, updated_by FROM settings WHERE id = ?`, settingsID).Scan(&at, &by)
	if err != nil {
		return err
	}
	when, err := parseTime(at)
	if err != nil {
		return err
	}
	return &data.ConflictError{What: "the clinic's settings", By: changedBy(ctx, q, by), At: when}
}

// settingsIn reads the settings with their version; the defaults (version
// 0) when there are none yet.
func settingsIn(ctx context.Context, q queryer) (data.Settings, error) {
	var doc string
	var logo []byte
	var version int64
	err := q.QueryRowContext(ctx, `SELECT doc, logo, version FROM settings WHERE id = ?`, settingsID).Scan(&doc, &logo, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return data.DefaultSettings(), nil
	}
	if err != nil {
		return data.Settings{}, err
	}
	st, err := settingsdoc.Decode(doc, logo)
	st.Version = version
	return st, err
}

// confirmedDetail is the audit note for figures the owner confirmed below
// the sources' in this save; "" when none.
func confirmedDetail(short []data.ShortFigure) string {
	if len(short) == 0 {
		return ""
	}
	parts := make([]string, len(short))
	for i, f := range short {
		parts[i] = f.String()
	}
	d := "owner confirmed aftercare figures shorter than the sources: " + strings.Join(parts, "; ")
	if r := []rune(d); len(r) > data.MaxAuditDetail {
		d = string(r[:data.MaxAuditDetail-1]) + "…"
	}
	return d
}

// putSettings writes the one row, creating it if needed.
func putSettings(ctx context.Context, q queryer, st data.Settings) error {
	doc, err := json.Marshal(settingsdoc.Of(st))
	if err != nil {
		return fmt.Errorf("encoding settings: %w", err)
	}
	var logo any
	if len(st.Logo) > 0 {
		logo = st.Logo
	}
	_, err = q.ExecContext(ctx, `INSERT INTO settings (id, doc, logo) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, logo = excluded.logo`,
		settingsID, string(doc), logo)
	return err
}
