package booksetup_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"needledesk/data"
	"needledesk/ui/booksetup"
	"needledesk/ui/uitest"
	"needledesk/ui/widgets"
)

// setupWorld is the area on a real SQLite clinic, with the owner working.
type setupWorld struct {
	*uitest.Clinic
	Area *booksetup.Area
}

func newSetupWorld(t *testing.T, mail booksetup.MailTester) *setupWorld {
	t.Helper()
	c := uitest.NewClinic(t)
	st := c.Store
	a := booksetup.New(c.Env, booksetup.Stores{Menu: st, Rooms: st, Hours: st, Staff: st, Settings: st, Outbox: st, Mail: mail})
	c.W.SetContent(a.Content)
	return &setupWorld{Clinic: c, Area: a}
}

// open brings a tab into view, which reads what it shows.
func (w *setupWorld) open(tab string) {
	w.Area.ShowTab(tab)
	w.Area.Shown()
}

// problem is the message shown under the field called name.
func problem(fs widgets.FieldSet, name string) string {
	f := fs.Find(name)
	if f == nil || !f.Message.Visible() {
		return ""
	}
	return f.Message.Text
}

// press types a key into whatever has the focus.
func press(c fyne.Canvas, k fyne.KeyName) {
	c.Focused().TypedKey(&fyne.KeyEvent{Name: k})
}

// shows reports whether some label on the window reads text (in part).
func shows(w fyne.Window, text string) bool {
	for _, s := range uitest.ShownTexts(w.Content()) {
		if strings.Contains(s, text) {
			return true
		}
	}
	return false
}

func (w *setupWorld) waitShows(t *testing.T, text string) {
	t.Helper()
	w.Queue.WaitFor(t, "the screen to show "+text, func() bool { return shows(w.W, text) })
}

// bookForClient books a client who agreed to e-mail reminders with the
// clinic's technician, tomorrow at 11:00 on the clinic's clock.
func (w *setupWorld) bookForClient(t *testing.T) data.Appointment {
	t.Helper()
	treat := data.TreatmentType{Name: "Face", DefaultMinutes: 60, Needling: true, Active: true}
	if err := w.Store.CreateTreatmentType(w.Ctx, w.Actor.ID, &treat); err != nil {
		t.Fatal(err)
	}
	client := w.AddClient(t, "Ada", "Lovelace", func(c *data.Client) { c.EmailReminders = true; c.Email = "ada@example.com" })
	tech := w.StaffByRole(t, data.RoleTechnician)
	st, err := w.Store.Settings(w.Ctx, w.Actor.ID)
	if err != nil {
		t.Fatal(err)
	}
	day := data.DateOf(uitest.Clock().In(st.Location())).AddDays(1)
	a := data.Appointment{ClientID: client.ID, TechnicianID: tech.ID, TreatmentID: treat.ID,
		Start: data.At(day, data.TimeOf(11, 0), st.Location()), Minutes: 60}
	if err := w.Store.BookAppointment(w.Ctx, w.Actor.ID, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func shownAll(w *setupWorld) []string { return uitest.ShownTexts(w.W.Content()) }
