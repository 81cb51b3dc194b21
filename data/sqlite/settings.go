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
)

// settingsID is the one settings row, also the entity ID in the audit trail.
const settingsID = 1

// settingsDoc is how settings are stored: its own JSON names, so renaming a
// Go field never loses a clinic's settings. The logo is kept apart, as a
// BLOB, because base64 in JSON would make it a third larger.
type settingsDoc struct {
	ClinicName   string                `json:"clinic_name"`
	Address      string                `json:"address"`
	Phone        string                `json:"phone"`
	Email        string                `json:"email"`
	Website      string                `json:"website"`
	PaperSize    string                `json:"paper_size"`
	Printer      string                `json:"printer"`
	DateFormat   string                `json:"date_format"`
	FollowUpDays int                   `json:"follow_up_days"`
	DepthRanges  map[string]depthRange `json:"depth_ranges"`
	Aftercare    aftercareDoc          `json:"aftercare"`
	Backups      backupsDoc            `json:"backups"`
	IdleLock     int                   `json:"idle_lock_minutes"`
	// The appointment book's (issue 12). A document from before it has
	// none: the computer's zone, the follow-up interval and the default
	// hours are read for them.
	TimeZone     string     `json:"time_zone"`
	MinInterval  int        `json:"min_interval_days"`
	OpeningHours *[7][2]int `json:"opening_hours,omitempty"`
	Mail         mailDoc    `json:"mail"`
}

// mailDoc is the clinic's mail server and messages; the password is kept
// in the document as the other settings are.
type mailDoc struct {
	Host                string        `json:"host"`
	Port                int           `json:"port"`
	Security            data.Security `json:"security"`
	User                string        `json:"user"`
	Password            string        `json:"password"`
	From                string        `json:"from"`
	ReminderHours       int           `json:"reminder_hours"`
	ConfirmationSubject string        `json:"confirmation_subject"`
	ConfirmationBody    string        `json:"confirmation_body"`
	ReminderSubject     string        `json:"reminder_subject"`
	ReminderBody        string        `json:"reminder_body"`
}

type backupsDoc struct {
	Folder      string `json:"folder"`
	KeepDaily   int    `json:"keep_daily"`
	KeepWeekly  int    `json:"keep_weekly"`
	KeepMonthly int    `json:"keep_monthly"`
}

type aftercareDoc struct {
	NoMakeupHours   int               `json:"no_makeup_hours"`
	SunHeatHours    int               `json:"sun_heat_hours"`
	ExerciseHours   int               `json:"exercise_hours"`
	ActivesDays     int               `json:"actives_days"`
	BrushesDays     int               `json:"brushes_days"`
	NSAIDDays       int               `json:"nsaid_days"`
	SunCareDays     int               `json:"sun_care_days"`
	VitaminCFromDay int               `json:"vitamin_c_from_day"`
	Templates       map[string]string `json:"templates"`

	CallUsSigns       string         `json:"call_us_signs"`
	SeeDoctorSigns    string         `json:"see_doctor_signs"`
	EmergencySigns    string         `json:"emergency_signs"`
	OutOfHoursPhone   string         `json:"out_of_hours_phone"`
	EmergencyNumber   string         `json:"emergency_number"`
	BloodThinnersNote string         `json:"blood_thinners_note"`
	KeloidNote        string         `json:"keloid_note"`
	PregnancyNote     string         `json:"pregnancy_note"`
	Confirmed         map[string]int `json:"confirmed_short"`
}

type depthRange struct {
	MinMM float64 `json:"min_mm"`
	MaxMM float64 `json:"max_mm"`
}

func docOf(s data.Settings) settingsDoc {
	a := s.Aftercare
	return settingsDoc{
		ClinicName: s.ClinicName, Address: s.Address, Phone: s.Phone, Email: s.Email,
		Website: s.Website, PaperSize: string(s.PaperSize), Printer: s.Printer, DateFormat: s.DateFormat,
		FollowUpDays: s.FollowUpDays,
		DepthRanges: convertMap(s.DepthRanges, func(a data.Area, r data.DepthRange) (string, depthRange) {
			return string(a), depthRange(r)
		}),
		Aftercare: aftercareDoc{
			NoMakeupHours: a.NoMakeupHours, SunHeatHours: a.SunHeatHours, ExerciseHours: a.ExerciseHours,
			ActivesDays: a.ActivesDays, BrushesDays: a.BrushesDays, NSAIDDays: a.NSAIDDays,
			SunCareDays: a.SunCareDays, VitaminCFromDay: a.VitaminCFromDay,
			Templates:   convertMap(a.Templates, func(w data.Window, t string) (string, string) { return string(w), t }),
			CallUsSigns: a.CallUsSigns, SeeDoctorSigns: a.SeeDoctorSigns, EmergencySigns: a.EmergencySigns,
			OutOfHoursPhone: a.OutOfHoursPhone, EmergencyNumber: a.EmergencyNumber,
			BloodThinnersNote: a.BloodThinnersNote, KeloidNote: a.KeloidNote, PregnancyNote: a.PregnancyNote,
			Confirmed: a.Confirmed,
		},
		Backups:      backupsDoc(s.Backups),
		IdleLock:     s.IdleLockMinutes,
		TimeZone:     s.TimeZone,
		MinInterval:  s.MinIntervalDays,
		OpeningHours: hoursDoc(s.OpeningHours),
		Mail:         mailDoc(s.Mail),
	}
}

// hoursDoc keeps a week's hours as seven [open, close] pairs in minutes,
// Sunday first.
func hoursDoc(w data.WeekHours) *[7][2]int {
	var d [7][2]int
	for i, h := range w {
		d[i] = [2]int{int(h.Open), int(h.Close)}
	}
	return &d
}

func weekHours(d [7][2]int) data.WeekHours {
	var w data.WeekHours
	for i, h := range d {
		w[i] = data.DayHours{Open: data.TimeOfDay(h[0]), Close: data.TimeOfDay(h[1])}
	}
	return w
}

func (d settingsDoc) settings(logo []byte) data.Settings {
	a := d.Aftercare
	s := data.Settings{
		ClinicName: d.ClinicName, Address: d.Address, Phone: d.Phone, Email: d.Email,
		Website: d.Website, PaperSize: data.PaperSize(d.PaperSize), Printer: d.Printer, DateFormat: d.DateFormat,
		FollowUpDays: d.FollowUpDays,
		DepthRanges: convertMap(d.DepthRanges, func(a string, r depthRange) (data.Area, data.DepthRange) {
			return data.Area(a), data.DepthRange(r)
		}),
		Aftercare: data.AftercareSettings{
			NoMakeupHours: a.NoMakeupHours, SunHeatHours: a.SunHeatHours, ExerciseHours: a.ExerciseHours,
			ActivesDays: a.ActivesDays, BrushesDays: a.BrushesDays, NSAIDDays: a.NSAIDDays,
			SunCareDays: a.SunCareDays, VitaminCFromDay: a.VitaminCFromDay,
			Templates:   convertMap(a.Templates, func(w, t string) (data.Window, string) { return data.Window(w), t }),
			CallUsSigns: a.CallUsSigns, SeeDoctorSigns: a.SeeDoctorSigns, EmergencySigns: a.EmergencySigns,
			OutOfHoursPhone: a.OutOfHoursPhone, EmergencyNumber: a.EmergencyNumber,
			BloodThinnersNote: a.BloodThinnersNote, KeloidNote: a.KeloidNote, PregnancyNote: a.PregnancyNote,
			Confirmed: a.Confirmed,
		},
		Backups:         data.BackupSettings(d.Backups),
		IdleLockMinutes: d.IdleLock,
		TimeZone:        d.TimeZone,
		MinIntervalDays: d.MinInterval,
		Mail:            data.EmailSettings(d.Mail),
	}
	if d.OpeningHours != nil {
		s.OpeningHours = weekHours(*d.OpeningHours)
	}
	if len(logo) > 0 {
		s.Logo = logo
	}
	return s
}

// convertMap copies a map through f, keeping nil as nil.
func convertMap[K1, K2 comparable, V1, V2 any](m map[K1]V1, f func(K1, V1) (K2, V2)) map[K2]V2 {
	if m == nil {
		return nil
	}
	out := make(map[K2]V2, len(m))
	for k, v := range m {
		k2, v2 := f(k, v)
		out[k2] = v2
	}
	return out
}

// decodeSettings reads a stored document over the current defaults, so a
// setting added after the database was made reads as its default instead
// of as zero (an aftercare sheet with no text), and a sheet text still as
// an earlier NeedleDesk shipped it reads as today's.
func decodeSettings(doc string, logo []byte) (data.Settings, error) {
	d := docOf(data.DefaultSettings())
	// The confirmations are the stored ones only, never the defaults'.
	d.Aftercare.Confirmed = nil
	// A document from before the minimum interval takes the clinic's own
	// follow-up interval for it.
	d.MinInterval = 0
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return data.Settings{}, fmt.Errorf("the stored settings are damaged: %w", err)
	}
	if d.MinInterval == 0 {
		d.MinInterval = d.FollowUpDays
	}
	s := d.settings(logo)
	s.Aftercare = s.Aftercare.CurrentDefaults()
	return s, nil
}

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
	st, err := decodeSettings(doc, logo)
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
	doc, err := json.Marshal(docOf(st))
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
