package sqlite_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"needledesk/data"
)

// Aftercare figures shorter than the sources' are saved only once the
// owner has confirmed them, and the audit trail says which.
func TestShortAftercareFiguresNeedTheOwnersConfirmation(t *testing.T) {
	e := newEnv(t)
	boss := e.owner()
	s := data.DefaultSettings()
	s.ClinicName = "Lumen"
	s.Version = 1 // saved over the defaults Open stored
	if err := e.st.SaveSettings(e.ctx, boss.ID, &s); err != nil {
		t.Fatal(err)
	}
	if d := e.lastAudit().Detail; d != "" {
		t.Errorf("a save at the sources' figures notes %q", d)
	}
	before := e.counts("audit_event")
	s.Aftercare.SunHeatHours, s.Aftercare.NSAIDDays = 24, 1
	err := e.st.SaveSettings(e.ctx, boss.ID, &s)
	var nc *data.NeedsConfirmation
	if !errors.Is(err, data.ErrNeedsConfirmation) || !errors.As(err, &nc) || len(nc.Short) != 2 {
		t.Fatalf("SaveSettings = %v; want a *data.NeedsConfirmation for two figures", err)
	}
	if got := e.counts("audit_event"); got["audit_event"] != before["audit_event"] {
		t.Error("a refused save wrote to the audit trail")
	}
	if got, _ := e.st.Settings(e.ctx, data.SystemActor); got.Aftercare.SunHeatHours != 72 {
		t.Errorf("the unconfirmed figure was saved: %d hours", got.Aftercare.SunHeatHours)
	}

	s.Aftercare.Confirm()
	if err := e.st.SaveSettings(e.ctx, boss.ID, &s); err != nil {
		t.Fatalf("confirmed: %v", err)
	}
	detail := e.lastAudit().Detail
	for _, want := range []string{"owner confirmed", "sun", "24 hours (sources: 72 hours)", "anti-inflammatories or ice: 1 days (sources: 7 days)"} {
		if !strings.Contains(detail, want) {
			t.Errorf("audit detail %q lacks %q", detail, want)
		}
	}
	got, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil || got.Aftercare.SunHeatHours != 24 || got.Aftercare.Confirmed["sun_heat_hours"] != 24 {
		t.Fatalf("read back %+v, %v", got.Aftercare, err)
	}
	// Saving again, say a new phone number, asks nothing and notes nothing.
	got.Phone = "+44 1273 555 019"
	if err := e.st.SaveSettings(e.ctx, boss.ID, &got); err != nil {
		t.Fatal(err)
	}
	if d := e.lastAudit().Detail; d != "" {
		t.Errorf("a save that confirms nothing new notes %q", d)
	}
}

// A clinic that never changed the sheet's texts gets today's wording; one
// that wrote its own keeps it. The new settings read as their defaults.
func TestOldDefaultSheetTextsReadAsTodays(t *testing.T) {
	e := newEnv(t)
	var doc map[string]any
	var raw string
	if err := e.st.WriterForTest().QueryRowContext(e.ctx, `SELECT doc FROM settings`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatal(err)
	}
	ac := doc["aftercare"].(map[string]any)
	templates := ac["templates"].(map[string]any)
	templates["first_72_hours"] = "From {from} to {to} the skin may feel rough, dry or tight, and light flaking can start. That is expected.\n\n" +
		"- Cleanse gently morning and evening with a mild, fragrance-free cleanser and lukewarm water, then pat dry with a clean towel.\n" +
		"- Follow with a gentle moisturiser. A hyaluronic acid hydrating serum helps with the dryness, and the soothing gel can still be used.\n" +
		"- No exercise or hard physical work until the end of {exercise_until}.\n" +
		"- Stay out of direct sun and away from saunas, steam rooms, hot baths and sunbeds until the end of {sun_heat_until}.\n" +
		"- No makeup until {makeup_from}. When you start again, mineral makeup is the gentlest choice.\n" +
		"- Skip toners, acids, scrubs and anything else harsh. Let flaking skin come away by itself; do not pick or rub it."
	templates["week_one_onwards"] = "Our own words, {first_name}."
	for _, k := range []string{"call_us_signs", "see_doctor_signs", "emergency_signs", "pregnancy_note", "confirmed_short"} {
		delete(ac, k)
	}
	b, _ := json.Marshal(doc)
	if _, err := e.st.WriterForTest().ExecContext(e.ctx, `UPDATE settings SET doc = ?`, string(b)); err != nil {
		t.Fatal(err)
	}
	got, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	def := data.DefaultAftercareSettings()
	if got.Aftercare.Templates[data.WindowFirst72Hours] != def.Templates[data.WindowFirst72Hours] {
		t.Errorf("the old default text was kept:\n%s", got.Aftercare.Templates[data.WindowFirst72Hours])
	}
	if got.Aftercare.Templates[data.WindowWeekOne] != "Our own words, {first_name}." {
		t.Error("the clinic's own text was replaced")
	}
	if got.Aftercare.SeeDoctorSigns != def.SeeDoctorSigns || got.Aftercare.PregnancyNote != def.PregnancyNote ||
		got.Aftercare.Confirmed != nil {
		t.Errorf("new settings do not read as their defaults: %+v", got.Aftercare)
	}
}
