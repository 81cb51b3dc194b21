package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
)

// TestTheRecordOpensItsAppointmentInTheBook: a click on the appointment
// the client's record lists as coming up opens its page in the Book tab
// (the screen.Appointment route); cancelling it there moves it, at once,
// from the record's upcoming appointments into its history.
func TestTheRecordOpensItsAppointmentInTheBook(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.Book = e.st
	face := data.TreatmentType{Name: "Face needling", DefaultMinutes: 60, Needling: true, Active: true}
	if err := e.st.CreateTreatmentType(e.Ctx, e.Actor.ID, &face); err != nil {
		t.Fatal(err)
	}
	ana := e.c.AddClient(t, "Ana", "Silva")
	a := data.Appointment{ClientID: ana.ID, TechnicianID: e.c.StaffByRole(t, data.RoleTechnician).ID, TreatmentID: face.ID,
		Start: data.At(data.NewDate(2026, 11, 26), data.TimeOf(14, 0), e.Settings.Location()), Minutes: 60, Status: data.StatusBooked}
	if err := e.st.BookAppointment(e.Ctx, e.Actor.ID, &a); err != nil {
		t.Fatal(err)
	}
	m := newShellWindow(t, e)
	m.open(screen.ClientRecord{Client: data.ClientID(ana.ID)})
	var link fyne.Tappable
	e.q.WaitFor(t, "the appointment on Ana's record", func() bool {
		link = tappableShowing(m.stack.Content, "14:00–15:00")
		return m.stack.Top().Title == "Ana Silva" && link != nil
	})
	test.Tap(link)
	e.q.WaitFor(t, "the appointment's page in the book", func() bool {
		return m.tabs.Selected() == m.bookT && m.book.Stack.Depth() == 2 && uitest.Shows(m.book.Stack.Content, "State: Booked")
	})

	test.Tap(uitest.Button(t, m.window, "Cancel appointment…"))
	uitest.Walk(m.window.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if r, ok := o.(*widget.RadioGroup); ok {
			r.SetSelected("Client cancelled")
		}
	})
	test.Tap(uitest.Button(t, m.window, "Cancel appointment"))
	e.q.WaitFor(t, "the cancellation", func() bool { return uitest.Shows(m.book.Stack.Content, "State: Cancelled") })
	m.tabs.Select(m.clientsT)
	e.q.WaitFor(t, "the record to follow", func() bool {
		shown := strings.Join(uitest.ShownTexts(m.stack.Content), "\n")
		return strings.Contains(shown, "Nothing booked.") && strings.Contains(shown, "Cancelled by the client")
	})
}

// tappableShowing is the smallest thing shown under root that a click
// acts on and that shows text holding part.
func tappableShowing(root fyne.CanvasObject, part string) fyne.Tappable {
	var found fyne.Tappable
	var area float32
	uitest.WalkShown(root, func(o fyne.CanvasObject) {
		tp, ok := o.(fyne.Tappable)
		if !ok || !strings.Contains(strings.Join(uitest.ShownTexts(o), "\n"), part) {
			return
		}
		if a := o.Size().Width * o.Size().Height; found == nil || a < area {
			found, area = tp, a
		}
	})
	return found
}
