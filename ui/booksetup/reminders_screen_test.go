package booksetup_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/data/mail"
	"needledesk/data/mail/mailtest"
	"needledesk/ui/uitest"
)

// Bad e-mail settings are refused field by field, nothing is saved, and
// once they are right they are saved as typed.
func TestRemindersRefusePerFieldThenSave(t *testing.T) {
	w := newSetupWorld(t, nil)
	w.open("Reminders")
	r := w.Area.Reminders
	w.Queue.WaitFor(t, "the e-mail settings", func() bool { return r.Hours.Text != "" })
	r.Host.SetText("smtp://mail.example.com")
	r.Port.SetText("five")
	r.From.SetText("not an address")
	r.Hours.SetText("0")
	r.ConfSubject.SetText("See you {when}")
	r.RemBody.SetText("")
	test.Tap(r.SaveBtn)
	for _, f := range []string{"mail_host", "mail_port", "mail_from", "mail_reminder_hours", "mail_confirmation_subject", "mail_reminder_body"} {
		if problem(r.Fields, f) == "" {
			t.Errorf("%s: no message under the field", f)
		}
	}
	if got := problem(r.Fields, "mail_confirmation_subject"); !strings.Contains(got, "{when}") || !strings.Contains(got, "{client}") {
		t.Errorf("the unknown placeholder's message: %q", got)
	}
	if before, _ := w.Store.Settings(w.Ctx, w.Actor.ID); before.Mail.Host != "" {
		t.Fatalf("bad settings were saved: %+v", before.Mail)
	}

	r.Host.SetText("smtp.lumenskin.example")
	test.Tap(r.Security)
	r.Security.SetSelected("TLS from the start (usually port 465)")
	if r.Port.Text != "465" {
		r.Port.SetText("465")
	}
	r.User.SetText("desk@lumenskin.example")
	r.Password.SetText("correct horse")
	r.From.SetText("desk@lumenskin.example")
	r.Hours.SetText("48")
	r.ConfSubject.SetText("See you on {day} at {time}")
	r.RemBody.SetText("Dear {client}, see you tomorrow at {time}.")
	for _, f := range []string{"mail_host", "mail_port", "mail_from", "mail_reminder_hours", "mail_confirmation_subject", "mail_reminder_body"} {
		if got := problem(r.Fields, f); got != "" {
			t.Errorf("%s: the message stayed once it was right: %q", f, got)
		}
	}
	test.Tap(r.SaveBtn)
	w.waitShows(t, "The e-mail settings are saved.")
	st, err := w.Store.Settings(w.Ctx, w.Actor.ID)
	if err != nil {
		t.Fatal(err)
	}
	m := st.Mail
	if m.Host != "smtp.lumenskin.example" || m.Port != 465 || m.Security != data.SecurityTLS || m.User != "desk@lumenskin.example" ||
		m.Password != "correct horse" || m.From != "desk@lumenskin.example" || m.ReminderHours != 48 ||
		m.ConfirmationSubject != "See you on {day} at {time}" || m.ReminderBody != "Dear {client}, see you tomorrow at {time}." {
		t.Errorf("saved %+v", m)
	}
	if st.ClinicName != "Lumen Skin Studio" {
		t.Errorf("the rest of the settings changed: %q", st.ClinicName)
	}
}

// "Send a test message" goes through a real SMTP server in the test, as
// the form is filled in and before it is saved; the wrong password is
// then shown in plain words with the server's reply.
func TestTestMessageReachesServerAndWrongPasswordIsExplained(t *testing.T) {
	srv := mailtest.Start(t, "desk@lumenskin.example", "right password")
	w := newSetupWorld(t, &mail.Sender{Timeout: 5 * time.Second})
	w.open("Reminders")
	r := w.Area.Reminders
	w.Queue.WaitFor(t, "the e-mail settings", func() bool { return r.Hours.Text != "" })
	r.Host.SetText("127.0.0.1")
	r.Security.SetSelected("No encryption (only for a mail server on this computer)")
	r.Port.SetText(strconv.Itoa(srv.Port))
	r.User.SetText("desk@lumenskin.example")
	r.Password.SetText("right password")
	r.From.SetText("desk@lumenskin.example")
	r.TestTo.SetText("")
	test.Tap(r.TestBtn)
	if problem(r.TestFields, "test_to") == "" {
		t.Fatal("a test without an address to send it to is not refused under that field")
	}
	r.TestTo.SetText("maya@lumenskin.example")
	test.Tap(r.TestBtn)
	w.Queue.WaitFor(t, "the test's outcome", func() bool { return r.TestResult.Visible() && r.TestResult.Text != "" })
	if !strings.Contains(r.TestResult.Text, "took the test message for maya@lumenskin.example") {
		t.Fatalf("after a good test: %q", r.TestResult.Text)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].From != "desk@lumenskin.example" || len(got[0].To) != 1 || got[0].To[0] != "maya@lumenskin.example" ||
		!strings.Contains(got[0].Data, "Subject: NeedleDesk test message") {
		t.Fatalf("the server received %+v", got)
	}

	r.Password.SetText("wrong password")
	test.Tap(r.TestBtn)
	w.Queue.WaitFor(t, "the refusal", func() bool { return r.TestResult.Visible() && strings.Contains(r.TestResult.Text, "not sent") })
	msg := r.TestResult.Text
	if !strings.Contains(msg, "refused the user name or password") || !strings.Contains(msg, "535") ||
		!strings.Contains(msg, "Username and Password not accepted") {
		t.Errorf("a wrong password reads %q", msg)
	}
	if len(srv.Messages()) != 1 {
		t.Errorf("the server received %d messages", len(srv.Messages()))
	}
	if st, _ := w.Store.Settings(w.Ctx, w.Actor.ID); st.Mail.Host != "" {
		t.Errorf("testing saved the settings: %+v", st.Mail)
	}
}

// TestTestMessageOutcomeIsInSight: in a small window (1024×640) the
// outcome of "Send a test message", written under the button at the foot
// of the left column, came below what the form showed, so the button
// seemed to do nothing; the form now scrolls to show it. A refused
// password sends the owner to this screen (it said "check them in
// Settings", where the mail server is not).
func TestTestMessageOutcomeIsInSight(t *testing.T) {
	srv := mailtest.Start(t, "desk@lumenskin.example", "right password")
	w := newSetupWorld(t, &mail.Sender{Timeout: 5 * time.Second})
	w.W.Resize(fyne.NewSize(1024, 640))
	w.open("Reminders")
	r := w.Area.Reminders
	w.Queue.WaitFor(t, "the e-mail settings", func() bool { return r.Hours.Text != "" })
	r.Host.SetText("127.0.0.1")
	r.Security.SetSelected("No encryption (only for a mail server on this computer)")
	r.Port.SetText(strconv.Itoa(srv.Port))
	r.User.SetText("desk@lumenskin.example")
	r.Password.SetText("wrong password")
	r.From.SetText("desk@lumenskin.example")
	r.TestTo.SetText("maya@lumenskin.example")
	test.Tap(r.TestBtn)
	w.Queue.WaitFor(t, "the refusal", func() bool { return r.TestResult.Visible() && strings.Contains(r.TestResult.Text, "not sent") })
	// It sends the owner where the mail server is set: here, not Settings.
	if msg := r.TestResult.Text; !strings.Contains(msg, "under Book set-up > Reminders") || strings.Contains(msg, "in Settings") {
		t.Errorf("the refusal points elsewhere: %q", msg)
	}
	d := fyne.CurrentApp().Driver()
	var sc *container.Scroll
	uitest.Walk(w.W.Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*container.Scroll); ok && sc == nil && uitest.Shows(s.Content, r.TestResult.Text) {
			sc = s
		}
	})
	if sc == nil {
		t.Fatal("the outcome is in no scroll")
	}
	bottom := d.AbsolutePositionForObject(r.TestResult).Y + max(r.TestResult.Size().Height, r.TestResult.MinSize().Height)
	if end := d.AbsolutePositionForObject(sc).Y + sc.Size().Height; bottom > end {
		t.Errorf("the outcome ends at %v, below the form's view, which ends at %v", bottom, end)
	}
}
