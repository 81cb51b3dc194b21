package admin

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// Another owner, at another workstation, saves the settings while this
// screen holds changes: Save says who changed them and when, keeps what
// was typed and offers Reload; Reload shows the settings as saved and
// names the fields whose typing it replaced; then two saves in a row both
// go through.
func TestSettingsConflictSaysWhoAndReloads(t *testing.T) {
	e := newStoreEnv(t)
	s := openSettings(t, e)
	if s.reloadBtn.Visible() {
		t.Fatal("Reload is on show before any conflict")
	}

	other, err := sqlite.Open(e.Ctx, e.st.Path(), sqlite.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	theirs, err := other.Settings(e.Ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	theirs.Phone, theirs.Website = "+44 1273 555 999", "lumen.example"
	if err := other.SaveSettings(e.Ctx, e.Actor.ID, &theirs); err != nil {
		t.Fatal(err)
	}

	s.phone.SetText("")
	test.Type(s.phone, "+44 1273 555 111")
	test.Type(s.email, "desk@lumen.example")
	test.Tap(s.saveBtn)
	e.q.WaitFor(t, "the save to be answered", func() bool { return !s.saving })
	msg := s.summary.Text
	clock := testClock().Local().Format("15:04")
	for _, want := range []string{e.Actor.Name + " changed the clinic's settings at " + clock, "since you opened it",
		"not saved", "What you typed is still in the form", "Reload"} {
		if !strings.Contains(msg, want) {
			t.Errorf("conflict message %q does not say %q", msg, want)
		}
	}
	if !s.summary.Visible() || !s.reloadBtn.Visible() {
		t.Fatal("the conflict message or Reload is not on show")
	}
	if s.phone.Text != "+44 1273 555 111" {
		t.Errorf("what was typed is gone: phone %q", s.phone.Text)
	}
	if got, _ := e.st.Settings(e.Ctx, data.SystemActor); got.Phone != theirs.Phone || got.Email == "desk@lumen.example" {
		t.Fatalf("the other workstation's change was overwritten: phone %q, e-mail %q", got.Phone, got.Email)
	}

	test.Tap(s.reloadBtn)
	e.q.WaitFor(t, "the settings read again", func() bool { return !s.saving && !s.reloadBtn.Visible() })
	if s.phone.Text != theirs.Phone || s.website.Text != theirs.Website {
		t.Errorf("after Reload: phone %q, website %q", s.phone.Text, s.website.Text)
	}
	if got := s.summary.Text; !strings.Contains(got, "as it is saved now") ||
		!strings.Contains(got, "What you typed in Phone and E-mail was replaced") {
		t.Errorf("after Reload the screen says %q", got)
	}

	for _, email := range []string{"desk@lumen.example", "front@lumen.example"} {
		s.email.SetText(email)
		test.Tap(s.saveBtn)
		e.q.WaitFor(t, "the settings saved", func() bool { return !s.saving && s.summary.Text == "Settings saved." })
		if got, _ := e.st.Settings(e.Ctx, data.SystemActor); got.Email != email || got.Phone != theirs.Phone {
			t.Errorf("after saving %s: e-mail %q, phone %q", email, got.Email, got.Phone)
		}
	}
}
