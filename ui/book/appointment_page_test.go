package book

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
)

var desktopCtrlT = desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault}

// openAppointment opens a booked appointment from its block in the day.
func (e *bookClinic) openAppointment(t *testing.T, a data.Appointment) {
	t.Helper()
	e.showDay(t, data.LocalDay(a.Start, e.Settings.Location()))
	var b *block
	uitest.Walk(e.area.Day.Grid, func(o fyne.CanvasObject) {
		if bl, ok := o.(*block); ok && bl.a.ID == a.ID {
			b = bl
		}
	})
	if b == nil {
		t.Fatal("the appointment is not drawn in the day")
	}
	test.Tap(b)
	e.Queue.WaitFor(t, "the appointment's page", func() bool {
		return e.area.Stack.Depth() == 2 && uitest.Shows(e.area.Stack.Content, "State: "+a.Status.Label())
	})
}

func (e *bookClinic) stored(t *testing.T, id int64) data.Appointment {
	t.Helper()
	a, err := e.Store.Appointment(e.Ctx, e.Actor.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// dialogEntry finds the n-th entry of the top dialog.
func dialogEntry(t *testing.T, w fyne.Window, n int) *widget.Entry {
	t.Helper()
	var found []*widget.Entry
	uitest.Walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if en := uitestEntry(o); en != nil {
			found = append(found, en)
		}
	})
	if n >= len(found) {
		t.Fatalf("the dialog has %d entries", len(found))
	}
	return found[n]
}

func uitestEntry(o fyne.CanvasObject) *widget.Entry {
	type entryOf interface{ TextEntry() *widget.Entry }
	if e, ok := o.(entryOf); ok {
		return e.TextEntry()
	}
	return nil
}

func TestMovingAnAppointment(t *testing.T) {
	e := newBookClinic(t)
	a := e.book(t, e.client, e.priya.ID, e.at(e.monday, 10, 0))
	e.openAppointment(t, a)
	test.Tap(uitest.Button(t, e.W, "Move…"))
	e.Queue.WaitFor(t, "the move", func() bool { return e.W.Canvas().Overlays().Top() != nil })
	start := dialogEntry(t, e.W, 1)
	start.SetText("14:30")
	test.Tap(uitest.Button(t, e.W, "Move"))
	e.Queue.WaitFor(t, "the move saved", func() bool { return e.W.Canvas().Overlays().Top() == nil })
	if got := e.stored(t, a.ID); !got.Start.Equal(e.at(e.monday, 14, 30)) || got.TechnicianID != e.priya.ID {
		t.Fatalf("moved to %v with %d", got.Start, got.TechnicianID)
	}
	if e.pokes != 1 {
		t.Errorf("the outbox's sender was poked %d times after the move; want once", e.pokes)
	}
	e.Queue.WaitFor(t, "the page showing the new time", func() bool {
		return strings.Contains(strings.Join(uitest.Texts(e.area.Stack.Content), "\n"), "14:30 to 15:30")
	})
}

// TestANewLengthPokesTheOutbox: a new length queues a new confirmation
// and reminder, so the sender is poked; a length refused is not saved and
// pokes nothing.
func TestANewLengthPokesTheOutbox(t *testing.T) {
	e := newBookClinic(t)
	a := e.book(t, e.client, e.priya.ID, e.at(e.monday, 10, 0))
	e.openAppointment(t, a)
	test.Tap(uitest.Button(t, e.W, "Change length…"))
	e.Queue.WaitFor(t, "the length dialog", func() bool { return e.W.Canvas().Overlays().Top() != nil })
	entry := dialogEntry(t, e.W, 0)
	entry.SetText("0")
	test.Tap(uitest.Button(t, e.W, "Save length"))
	if e.pokes != 0 {
		t.Errorf("a refused length poked the outbox %d times", e.pokes)
	}
	entry.SetText("90")
	test.Tap(uitest.Button(t, e.W, "Save length"))
	e.Queue.WaitFor(t, "the length saved", func() bool { return e.W.Canvas().Overlays().Top() == nil })
	if got := e.stored(t, a.ID); got.Minutes != 90 || e.pokes != 1 {
		t.Errorf("stored %d minutes, the outbox poked %d times; want 90 and once", got.Minutes, e.pokes)
	}
}

func TestCancellingAnAppointmentKeepsItReadable(t *testing.T) {
	e := newBookClinic(t)
	a := e.book(t, e.client, e.priya.ID, e.at(e.monday, 10, 0))
	e.openAppointment(t, a)
	test.Tap(uitest.Button(t, e.W, "Cancel appointment…"))
	test.Tap(uitest.Button(t, e.W, "Cancel appointment")) // nobody said who cancelled
	if got := e.stored(t, a.ID); got.Status != data.StatusBooked {
		t.Fatalf("cancelled without a reason: %v", got.Status)
	}
	var who *widget.RadioGroup
	uitest.Walk(e.W.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if r, ok := o.(*widget.RadioGroup); ok {
			who = r
		}
	})
	who.SetSelected("Client cancelled")
	test.Tap(uitest.Button(t, e.W, "Cancel appointment"))
	e.Queue.WaitFor(t, "the cancellation", func() bool { return uitest.Shows(e.area.Stack.Content, "State: Cancelled") })
	got := e.stored(t, a.ID)
	if got.Status != data.StatusCancelled || got.Cancel.Reason != data.CancelByClient {
		t.Fatalf("stored %v %v", got.Status, got.Cancel)
	}
	e.area.Stack.PopNow()
	e.Queue.WaitFor(t, "the Today list", func() bool { return e.area.Today.Loaded() })
	e.area.Today.list = e.dayList(t, e.monday)
	e.area.Today.draw()
	if !uitest.Shows(e.area.Today.Content, "Cancelled (1 appointment)") {
		t.Errorf("the Today list shows %q", uitest.Texts(e.area.Today.Content))
	}
}

func TestStartTreatmentOpensTheSessionForm(t *testing.T) {
	e := newBookClinic(t)
	today := data.DateOf(uitest.Clock()) // the client arrives on the day: half an hour early
	a := e.book(t, e.client, e.priya.ID, e.at(today, 10, 30))
	if _, err := e.Store.MarkAppointment(e.Ctx, e.Actor.ID, a.ID, a.Version, data.StatusArrived); err != nil {
		t.Fatal(err)
	}
	a.Status = data.StatusArrived
	e.openAppointment(t, a)
	test.Tap(uitest.Button(t, e.W, "Start treatment"))
	e.Queue.WaitFor(t, "the session form's route", func() bool { return len(e.routes) > 0 })
	want := screen.NewSession{Client: data.ClientID(e.client.ID), Appointment: a.ID}
	if e.routes[0] != want {
		t.Errorf("opened %#v, want %#v", e.routes[0], want)
	}
	if got := e.stored(t, a.ID); got.Status != data.StatusInTreatment {
		t.Errorf("the appointment is %v", got.Status)
	}
}

// buttonTexts are the texts of the visible buttons under root.
func buttonTexts(root fyne.CanvasObject) []string {
	var out []string
	uitest.Walk(root, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Visible() {
			out = append(out, b.Text)
		}
	})
	return out
}

// TestTheFrontDeskMarksInTreatmentInsteadOfStartingIt: a receptionist
// cannot record a session, so an arrived client's appointment offers
// them no Start treatment (which opened a session form that could not
// even list the technicians, and could not be saved) but Mark in
// treatment, which the Today list follows.
func TestTheFrontDeskMarksInTreatmentInsteadOfStartingIt(t *testing.T) {
	e := newBookClinic(t)
	e.Actor = e.StaffByRole(t, data.RoleReceptionist)
	today := data.DateOf(uitest.Clock())
	a := e.book(t, e.client, e.priya.ID, e.at(today, 10, 30))
	if _, err := e.Store.MarkAppointment(e.Ctx, e.Actor.ID, a.ID, a.Version, data.StatusArrived); err != nil {
		t.Fatal(err)
	}
	a.Status = data.StatusArrived
	e.openAppointment(t, a)
	buttons := strings.Join(buttonTexts(e.area.Stack.Content), ", ")
	if strings.Contains(buttons, "Start treatment") {
		t.Fatalf("the receptionist is offered %s", buttons)
	}
	test.Tap(uitest.Button(t, e.W, "Mark in treatment"))
	e.Queue.WaitFor(t, "the page in treatment", func() bool { return uitest.Shows(e.area.Stack.Content, "State: In treatment") })
	if got := e.stored(t, a.ID); got.Status != data.StatusInTreatment || len(e.routes) != 0 {
		t.Errorf("the appointment is %v and %v was opened; want in treatment and no session form", got.Status, e.routes)
	}
}

// TestTheAppointmentPageFollowsItsMessages: the page said the client's
// confirmation was "waiting to go" long after the sender had sent it,
// until one left the page and came back; while a message is due, the
// page now reads its messages again by itself and shows it sent.
func TestTheAppointmentPageFollowsItsMessages(t *testing.T) {
	defer func(d time.Duration) { messageRecheck = d }(messageRecheck)
	messageRecheck = 10 * time.Millisecond
	e := newBookClinic(t)
	client := e.AddClient(t, "Bo", "Lind", func(c *data.Client) { c.EmailReminders = true })
	a := e.book(t, client, e.priya.ID, e.at(e.monday, 10, 0))
	e.openAppointment(t, a)
	if !uitest.Shows(e.area.Stack.Content, "Confirmation to client@example.com: waiting to go, from Sun 22 Nov 10:00") {
		t.Fatalf("the page shows %q", uitest.Texts(e.area.Stack.Content))
	}
	items, err := e.Store.ClaimOutbox(e.Ctx, uitest.Clock(), time.Minute, 10)
	if err != nil || len(items) != 1 {
		t.Fatalf("claimed %d messages: %v", len(items), err)
	}
	if err := e.Store.MarkSent(e.Ctx, items[0].Message.ID, uitest.Clock()); err != nil {
		t.Fatal(err)
	}
	e.Queue.WaitFor(t, "the page showing the message sent", func() bool {
		return uitest.Shows(e.area.Stack.Content, "Confirmation to client@example.com: sent Sun 22 Nov 10:00")
	})
}

// TestTheDayListsItsCancelledAppointments: a cancelled appointment takes
// no room in the grid, and the day's status line sent people to the
// Today list ("see Today"), which holds only today's; on any other day
// it could not be found. The day now offers its cancelled and missed
// appointments in a list, each opening its page.
func TestTheDayListsItsCancelledAppointments(t *testing.T) {
	e := newBookClinic(t)
	a := e.book(t, e.client, e.priya.ID, e.at(e.monday, 10, 0))
	if _, err := e.Store.CancelAppointment(e.Ctx, e.Actor.ID, a.ID, a.Version, data.Cancellation{Reason: data.CancelByClinic}); err != nil {
		t.Fatal(err)
	}
	e.showDay(t, e.monday)
	if strings.Contains(e.area.Day.status.Text, "see Today") {
		t.Errorf("the status line says %q", e.area.Day.status.Text)
	}
	if w := e.area.Day.status.Size().Width; w < 300 {
		t.Errorf("the status line beside the button is %v wide, a column of letters", w)
	}
	btn := uitest.Button(t, e.W, "1 cancelled or missed appointment…")
	test.Tap(btn)
	row := uitest.Button(t, e.W, "10:00  Ana Silva · Face needling with Priya Raman · Clinic cancelled")
	test.Tap(row)
	e.Queue.WaitFor(t, "the cancelled appointment's page", func() bool {
		return e.area.Stack.Depth() == 2 && uitest.Shows(e.area.Stack.Content, "State: Cancelled")
	})
}

// TestCancellingByKeyboard: the cancel dialog opened with nothing
// focused and Enter in its note did nothing; now the first choice has the
// keyboard, Space picks it, Tab goes to the note and Enter cancels.
func TestCancellingByKeyboard(t *testing.T) {
	e := newBookClinic(t)
	a := e.book(t, e.client, e.priya.ID, e.at(e.monday, 10, 0))
	e.openAppointment(t, a)
	test.Tap(uitest.Button(t, e.W, "Cancel appointment…"))
	cv := e.W.Canvas()
	if cv.Focused() == nil {
		t.Fatal("the cancel dialog has no keyboard focus")
	}
	cv.Focused().TypedRune(' ') // Space
	cv.FocusNext()              // Tab: the second choice
	cv.FocusNext()              // the note
	uitest.TypeKeys(t, cv, "moved away")
	key(cv, fyne.KeyReturn)
	e.Queue.WaitFor(t, "the cancellation", func() bool { return uitest.Shows(e.area.Stack.Content, "State: Cancelled") })
	if got := e.stored(t, a.ID); got.Cancel.Reason != data.CancelByClient || got.Cancel.Note != "moved away" {
		t.Errorf("stored %+v", got.Cancel)
	}
}
