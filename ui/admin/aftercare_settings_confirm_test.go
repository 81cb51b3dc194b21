package admin

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/uitest"
	"needledesk/ui/widgets"
)

func countEntry(t *testing.T, s *SettingsScreen, name string) *widgets.Entry {
	t.Helper()
	for _, c := range s.aftercare.counts {
		if c.name == name {
			return c.entry
		}
	}
	t.Fatalf("no count %q", name)
	return nil
}

// A figure shorter than the sources' is saved only after the owner
// confirms it, and the confirmation is in the audit trail.
func TestSettingsAskBeforeSavingFiguresShorterThanTheSources(t *testing.T) {
	e := newStoreEnv(t)
	s := openSettings(t, e)
	countEntry(t, s, "sun_heat_hours").SetText("24")
	test.Tap(s.saveBtn)
	top := e.w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("saving a 24-hour sun window did not ask first")
	}
	asked := strings.Join(uitest.ShownTexts(top), "\n")
	for _, want := range []string{"24 hours (sources: 72 hours)", "both sources", "audit trail"} {
		if !strings.Contains(asked, want) {
			t.Errorf("the question lacks %q:\n%s", want, asked)
		}
	}
	test.Tap(uitest.ShownButton(t, top, "Cancel"))
	if st, _ := e.st.Settings(e.Ctx, data.SystemActor); st.Aftercare.SunHeatHours != 72 {
		t.Fatal("saved without confirmation")
	}

	test.Tap(s.saveBtn)
	test.Tap(uitest.Button(t, e.w, "Save anyway"))
	e.q.WaitFor(t, "the settings saved", func() bool { return s.summary.Text == "Settings saved." })
	st, err := e.st.Settings(e.Ctx, data.SystemActor)
	if err != nil || st.Aftercare.SunHeatHours != 24 {
		t.Fatalf("store holds %d hours (%v)", st.Aftercare.SunHeatHours, err)
	}
	evs, err := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{Entity: data.EntitySettings, Limit: 1})
	if err != nil || len(evs) != 1 || evs[0].ActorID != e.Actor.ID || !strings.Contains(evs[0].Detail, "confirmed") ||
		!strings.Contains(evs[0].Detail, "24 hours") {
		t.Fatalf("audit: %+v, %v", evs, err)
	}

	// Saved and confirmed: saving again asks nothing.
	s.followUp.SetText("30")
	test.Tap(s.saveBtn)
	if top := e.w.Canvas().Overlays().Top(); top != nil && strings.Contains(strings.Join(uitest.ShownTexts(top), " "), "sources") {
		t.Fatal("asked again about a figure already confirmed")
	}
	e.q.WaitFor(t, "saved again", func() bool { st, _ := e.st.Settings(e.Ctx, data.SystemActor); return st.FollowUpDays == 30 })
}
