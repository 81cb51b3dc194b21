// Package settingsdoc is how both stores keep the clinic's settings: one
// JSON document with its own names, so renaming a Go field never loses a
// clinic's settings, and a clinic moved between SQLite and PostgreSQL
// keeps them as they are.
package settingsdoc

import (
	"encoding/json"
	"fmt"

	"needledesk/data"
)

// Doc is how settings are stored: its own JSON names, so renaming a
// Go field never loses a clinic's settings. The logo is kept apart, as a
// BLOB, because base64 in JSON would make it a third larger.
type Doc struct {
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
	Mail         Mail       `json:"mail"`
}

// Mail is the clinic's mail server and messages; the password is kept
// in the document as the other settings are.
type Mail struct {
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

// Of is the document that keeps s (its logo apart).
func Of(s data.Settings) Doc {
	a := s.Aftercare
	return Doc{
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
		OpeningHours: Hours(s.OpeningHours),
		Mail:         Mail(s.Mail),
	}
}

// Hours keeps a week's hours as seven [open, close] pairs in minutes,
// Sunday first.
func Hours(w data.WeekHours) *[7][2]int {
	var d [7][2]int
	for i, h := range w {
		d[i] = [2]int{int(h.Open), int(h.Close)}
	}
	return &d
}

// WeekHours reads a week back from Hours' pairs.
func WeekHours(d [7][2]int) data.WeekHours {
	var w data.WeekHours
	for i, h := range d {
		w[i] = data.DayHours{Open: data.TimeOfDay(h[0]), Close: data.TimeOfDay(h[1])}
	}
	return w
}

func (d Doc) settings(logo []byte) data.Settings {
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
		s.OpeningHours = WeekHours(*d.OpeningHours)
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

// Decode reads a stored document over the current defaults, so a
// setting added after the database was made reads as its default instead
// of as zero (an aftercare sheet with no text), and a sheet text still as
// an earlier NeedleDesk shipped it reads as today's.
func Decode(doc string, logo []byte) (data.Settings, error) {
	d := Of(data.DefaultSettings())
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
