package sqlite_test

import (
	"bytes"
	"path/filepath"
	"reflect"
	"testing"

	"needledesk/data"
)

// TestSaveSettings starts from the defaults, so a field added to
// data.Settings with a default but not stored by this package fails here.
func TestSaveSettings(t *testing.T) {
	e := newEnv(t)
	s := data.DefaultSettings()
	s.ClinicName = "Lumen Skin Studio"
	s.Address = "12 Harbour Lane\nBrighton"
	s.Phone = "+44 1273 555 018"
	s.Email = "hello@lumenskin.example"
	s.Website = "lumenskin.example"
	s.Logo = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 255, 7}, 1000)...)
	s.PaperSize = data.PaperLetter
	s.Printer = "Front_Desk"
	s.DateFormat = "2 Jan 2006"
	s.FollowUpDays = 42
	s.DepthRanges[data.AreaCheeks] = data.DepthRange{MinMM: 0.6, MaxMM: 1.2}
	s.Aftercare.SunCareDays = 21
	s.Backups = data.BackupSettings{Folder: filepath.Join(t.TempDir(), "USB stick"), KeepDaily: 10, KeepWeekly: 0, KeepMonthly: 24}
	s.Aftercare.Templates[data.WindowTreatmentDay] = "{first_name}, keep your hands off your face today. 🙂"
	s.Mail = data.EmailSettings{Host: "smtp.lumenskin.example", Port: 465, Security: data.SecurityTLS,
		User: "desk@lumenskin.example", Password: "Tr0ub4dor&3 ünïcode", From: "hello@lumenskin.example", ReminderHours: 48,
		ConfirmationSubject: "Booked: {date}", ConfirmationBody: "Dear {client},\nsee you {day} at {time}.",
		ReminderSubject: "Tomorrow at {time}", ReminderBody: "Hello {client}, {treatment} with {technician}."}
	s.Version = 1 // saved over the defaults Open stored
	boss := e.owner()
	if err := e.st.SaveSettings(e.ctx, boss.ID, &s); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(boss.ID, data.ActionUpdate, data.EntitySettings, 1)
	got, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil || !reflect.DeepEqual(got, s) {
		t.Errorf("read back %+v, %v;\nwant %+v", got, err, s)
	}

	s.Logo = nil // removing the logo
	if err := e.st.SaveSettings(e.ctx, boss.ID, &s); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.st.Settings(e.ctx, data.SystemActor); got.Logo != nil {
		t.Errorf("the logo was not removed: %d bytes", len(got.Logo))
	}
	if n := e.count("settings"); n != 1 {
		t.Errorf("settings has %d rows; want 1", n)
	}
}

func TestSaveSettingsRefusesInvalid(t *testing.T) {
	e := newEnv(t)
	before := e.counts("audit_event")
	s := data.DefaultSettings() // the defaults have no clinic name yet
	e.refused(e.st.SaveSettings(e.ctx, data.SystemActor, &s), "clinic_name", before)
	s.ClinicName = "Lumen"
	s.FollowUpDays = 1
	e.refused(e.st.SaveSettings(e.ctx, data.SystemActor, &s), "follow_up_days", before)
	s.FollowUpDays = 28
	s.Mail.ReminderBody = "See you at {start}"
	e.refused(e.st.SaveSettings(e.ctx, data.SystemActor, &s), "mail_reminder_body", before)
	if got, _ := e.st.Settings(e.ctx, data.SystemActor); got.ClinicName != "" {
		t.Errorf("refused settings were saved: %+v", got)
	}
}

func TestSettingsMissingFromOlderDocumentsReadAsDefaults(t *testing.T) {
	e := newEnv(t)
	_, err := e.st.WriterForTest().ExecContext(e.ctx,
		`UPDATE settings SET doc = '{"clinic_name": "Old Clinic", "follow_up_days": 30}'`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	want := data.DefaultSettings()
	want.ClinicName, want.FollowUpDays, want.Version = "Old Clinic", 30, 1
	want.MinIntervalDays = 30 // the clinic's own follow-up interval
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read %+v;\nwant %+v", got, want)
	}
}

func TestDamagedSettingsAreAnErrorNotAPanic(t *testing.T) {
	e := newEnv(t)
	if _, err := e.st.WriterForTest().ExecContext(e.ctx, `UPDATE settings SET doc = '{not json'`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.Settings(e.ctx, data.SystemActor); err == nil {
		t.Error("damaged settings were read without an error")
	}
}
