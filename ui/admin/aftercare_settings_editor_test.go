package admin

import (
	"needledesk/ui/widgets"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
)

func textEntry(t *testing.T, s *SettingsScreen, name string) *widgets.Entry {
	t.Helper()
	for _, x := range s.aftercare.texts {
		if x.name == name {
			return x.entry
		}
	}
	t.Fatalf("no text %q", name)
	return nil
}

func TestSettingsEditWhenToCallAndHealthLines(t *testing.T) {
	e := newStoreEnv(t)
	s := openSettings(t, e)
	if got := textEntry(t, s, "emergency_signs").Text; !strings.Contains(got, "lips, tongue") {
		t.Fatalf("the form does not show the default emergency signs: %q", got)
	}
	textEntry(t, s, "out_of_hours_phone").SetText("+44 7700 900 123")
	textEntry(t, s, "emergency_number").SetText("999")
	textEntry(t, s, "keloid_note").SetText("{first_name}, show us any raised scar.")
	textEntry(t, s, "pregnancy_note").SetText("Dear {client_name}")
	test.Tap(s.saveBtn)
	if got := s.fields.Find("pregnancy_note").Message.Text; !strings.Contains(got, "{client_name}") {
		t.Fatalf("pregnancy note message = %q", got)
	}
	textEntry(t, s, "pregnancy_note").SetText("")
	test.Tap(s.saveBtn)
	e.q.WaitFor(t, "the settings saved", func() bool { return s.summary.Text == "Settings saved." })
	st, _ := e.st.Settings(e.Ctx, data.SystemActor)
	a := st.Aftercare
	if a.OutOfHoursPhone != "+44 7700 900 123" || a.EmergencyNumber != "999" ||
		a.KeloidNote != "{first_name}, show us any raised scar." || a.PregnancyNote != "" {
		t.Fatalf("store holds %+v", a)
	}
	if s.HasUnsaved() {
		t.Error("nothing is unsaved after saving")
	}
}

// TestPlaceholderHelpWaitsToBeShown: the placeholder help is not laid out
// (its monospaced names measured, which reads in a monospaced font of
// 3 MB) when the settings screen is made, only when it is first shown.
func TestPlaceholderHelpWaitsToBeShown(t *testing.T) {
	test.NewTempApp(t)
	help := placeholderHelp().(*fyne.Container)
	if len(help.Objects) == 0 {
		t.Fatal("no placeholders listed")
	}
	for _, row := range help.Objects {
		if row.Size() != (fyne.Size{}) {
			t.Fatalf("a row is already laid out at %v before the help is shown", row.Size())
		}
	}
}
