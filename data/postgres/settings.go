package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/internal/settingsdoc"
)

// settingsID is the one settings row, also the entity ID in the audit trail.
const settingsID = 1

// Settings reads the whole settings, for any staff member whose account
// is on.
func (s *Store) Settings(ctx context.Context, actor int64) (data.Settings, error) {
	if err := s.allowAnyRole(ctx, actor, target{entity: data.EntitySettings, id: 1}); err != nil {
		return data.Settings{}, fmt.Errorf("reading settings: %w", err)
	}
	st, err := settingsIn(ctx, s.pool)
	if err != nil {
		return st, fmt.Errorf("reading settings: %w", err)
	}
	return st, nil
}

// SignInSettings is what the sign-in screen needs before anyone signs in.
func (s *Store) SignInSettings(ctx context.Context) (data.SignInSettings, error) {
	st, err := settingsIn(ctx, s.pool)
	if err != nil {
		return data.SignInSettings{}, fmt.Errorf("reading settings: %w", err)
	}
	return st.SignIn(), nil
}

// SaveSettings saves the settings over the version read; owners only.
func (s *Store) SaveSettings(ctx context.Context, actor int64, st *data.Settings) error {
	if err := st.Validate(); err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	if err := st.Aftercare.CheckSources(); err != nil {
		return fmt.Errorf("saving settings: %w", err)
	}
	var version int64
	err := s.change(ctx, actor, data.PermSettingsWrite, target{entity: data.EntitySettings, id: settingsID},
		func(tx pgx.Tx, now time.Time, _ data.Staff) error {
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

func saveSettings(ctx context.Context, tx pgx.Tx, actor int64, st data.Settings, now time.Time) (int64, error) {
	before, err := settingsIn(ctx, tx, " FOR UPDATE")
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
	err = tx.QueryRow(ctx, `UPDATE settings SET version = version + 1, updated_by = $1, updated_at = $2
		WHERE id = $3 RETURNING version`, actor, timeText(now), settingsID).Scan(&version)
	if err != nil {
		return 0, err
	}
	return version, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionUpdate, entity: data.EntitySettings,
		entityID: settingsID, detail: confirmedDetail(st.Aftercare.NewlyConfirmed(before.Aftercare))})
}

func settingsConflict(ctx context.Context, q queryer) error {
	var at sql.NullString
	var by int64
	if err := q.QueryRow(ctx, `SELECT updated_at, updated_by FROM settings WHERE id = $1`, settingsID).Scan(&at, &by); err != nil {
		return err
	}
	when, err := parseTime(at)
	if err != nil {
		return err
	}
	return &data.ConflictError{What: "the clinic's settings", By: changedBy(ctx, q, by), At: when}
}

func settingsIn(ctx context.Context, q queryer, lock ...string) (data.Settings, error) {
	var doc string
	var logo []byte
	var version int64
	err := q.QueryRow(ctx, `SELECT doc, logo, version FROM settings WHERE id = $1`+strings.Join(lock, ""), settingsID).Scan(&doc, &logo, &version)
	if errors.Is(err, pgx.ErrNoRows) {
		return data.DefaultSettings(), nil
	}
	if err != nil {
		return data.Settings{}, describeServerError(err)
	}
	st, err := settingsdoc.Decode(doc, logo)
	st.Version = version
	return st, err
}

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

func putSettings(ctx context.Context, q queryer, st data.Settings) error {
	doc, err := json.Marshal(settingsdoc.Of(st))
	if err != nil {
		return fmt.Errorf("encoding settings: %w", err)
	}
	var logo []byte
	if len(st.Logo) > 0 {
		logo = st.Logo
	}
	_, err = q.Exec(ctx, `INSERT INTO settings (id, doc, logo) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, logo = excluded.logo`, settingsID, string(doc), logo)
	return err
}

// changedBy names who made a change, for a conflict's words.
func changedBy(ctx context.Context, q queryer, actor int64) string {
	if actor == data.SystemActor {
		return "NeedleDesk itself (a command or an import)"
	}
	var name string
	if err := q.QueryRow(ctx, `SELECT name FROM staff WHERE id = $1`, actor).Scan(&name); err != nil {
		return ""
	}
	return name
}
