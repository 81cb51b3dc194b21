package book

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
)

// bookClinic is the test clinic with a room, a one-line treatment menu
// and a client who consented, and the book on screen.
type bookClinic struct {
	*uitest.Clinic
	area   *Area
	room   data.Room
	face   data.TreatmentType
	client data.Client
	priya  data.Staff
	monday data.Date
	routes []screen.Route
	// pokes counts the book's calls of PokeOutbox.
	pokes int
}

func newBookClinic(t *testing.T) *bookClinic {
	t.Helper()
	c := uitest.NewClinic(t)
	e := &bookClinic{Clinic: c, monday: data.NewDate(2026, 11, 23)}
	e.room = data.Room{Name: "Room 1", Active: true}
	if err := c.Store.CreateRoom(c.Ctx, c.Actor.ID, &e.room); err != nil {
		t.Fatal(err)
	}
	e.face = data.TreatmentType{Name: "Face needling", DefaultMinutes: 60, Areas: []data.Area{data.AreaCheeks}, Needling: true, Active: true}
	if err := c.Store.CreateTreatmentType(c.Ctx, c.Actor.ID, &e.face); err != nil {
		t.Fatal(err)
	}
	e.client = c.AddClient(t, "Ana", "Silva", func(cl *data.Client) {
		cl.Consent = data.Consent{SignedOn: data.NewDate(2026, 1, 10), FormVersion: "v3"}
	})
	e.priya = c.StaffByRole(t, data.RoleTechnician)
	c.Router = func(r screen.Route) { e.routes = append(e.routes, r) }
	st := c.Store
	e.area = New(c.Env, Stores{Appointments: st, Setup: st, Clients: st, Settings: st, Sessions: st, Messages: st, Courses: st,
		PokeOutbox: func() { e.pokes++ }})
	c.W.SetContent(e.area.Content)
	e.area.Start()
	return e
}

// at is 10:00 style clock time on day in the clinic's zone.
func (e *bookClinic) at(day data.Date, h, m int) time.Time {
	return data.At(day, data.TimeOf(h, m), e.Settings.Location())
}

// showDay shows day in the day view and waits for it.
func (e *bookClinic) showDay(t *testing.T, day data.Date) {
	t.Helper()
	e.area.Day.GoTo(day)
	e.Queue.WaitFor(t, "the day", func() bool { return e.area.Day.Loaded() && e.area.Day.Day() == day })
}

// book saves an appointment straight into the store.
func (e *bookClinic) book(t *testing.T, client data.Client, tech int64, start time.Time) data.Appointment {
	t.Helper()
	a := data.Appointment{ClientID: client.ID, TechnicianID: tech, TreatmentID: e.face.ID, Start: start, Minutes: 60, Status: data.StatusBooked}
	if err := e.Store.BookAppointment(e.Ctx, e.Actor.ID, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func (e *bookClinic) dayList(t *testing.T, day data.Date) []data.Appointment {
	t.Helper()
	list, err := e.Store.DayAppointments(e.Ctx, e.Actor.ID, day)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// waitDialog waits for the booking dialog's form.
func (e *bookClinic) waitDialog(t *testing.T) *bookingDialog {
	t.Helper()
	e.Queue.WaitFor(t, "the booking dialog", func() bool { return e.area.env.booking != nil && e.area.env.booking.shown })
	return e.area.env.booking
}

func key(c fyne.Canvas, name fyne.KeyName) {
	c.Focused().TypedKey(&fyne.KeyEvent{Name: name})
}

func TestBookingByKeyboardFromTheDayView(t *testing.T) {
	e := newBookClinic(t)
	e.showDay(t, e.monday)
	cv := e.W.Canvas()
	e.area.Day.Focus()
	// Maya (the owner) is the first column, Priya the second; 09:00 first.
	key(cv, fyne.KeyRight)
	for range 4 {
		key(cv, fyne.KeyDown)
	}
	if got := e.area.Day.cursor.Text; !strings.Contains(got, "Priya Raman") || !strings.Contains(got, "10:00: free") {
		t.Fatalf("the line under the grid says %q", got)
	}
	key(cv, fyne.KeyReturn)
	b := e.waitDialog(t)
	if cv.Focused() != b.search {
		t.Fatal("the booking dialog does not start in the client search")
	}
	uitest.TypeKeys(t, cv, "Silv")
	e.Queue.WaitFor(t, "the client found", func() bool { return b.clientID == e.client.ID })
	if b.length.Text != "60" || b.end.Text != "11:00" {
		t.Errorf("the treatment's length is %q, ending %q", b.length.Text, b.end.Text)
	}
	key(cv, fyne.KeyReturn) // Enter in the search books
	e.Queue.WaitFor(t, "the block in the day view", func() bool {
		return uitest.Shows(e.area.Day.Grid, "10:00 Ana Silva\nFace needling\nBooked") // an hour: three lines
	})
	list := e.dayList(t, e.monday)
	if len(list) != 1 || list[0].TechnicianID != e.priya.ID || !list[0].Start.Equal(e.at(e.monday, 10, 0)) || list[0].Minutes != 60 {
		t.Fatalf("the store holds %+v", list)
	}
	if e.pokes != 1 {
		t.Errorf("the outbox's sender was poked %d times after the booking; want once, so the confirmation goes at once", e.pokes)
	}
	// Page Down and Ctrl+T move between days.
	e.area.Day.Focus()
	key(cv, fyne.KeyPageDown)
	if e.area.Day.Day() != e.monday.AddDays(1) {
		t.Errorf("Page Down shows %v", e.area.Day.Day())
	}
	cv.Focused().(fyne.Shortcutable).TypedShortcut(&desktopCtrlT)
	if e.area.Day.Day() != data.NewDate(2026, 11, 22) {
		t.Errorf("Ctrl+T shows %v, not today", e.area.Day.Day())
	}
}

func TestBookingByMouseWithAReasonForTheWarnings(t *testing.T) {
	e := newBookClinic(t)
	// A session a week before: too soon for another needling.
	e.AddSession(t, e.client, e.monday.AddDays(-7))
	e.showDay(t, e.monday)
	g := e.area.Day.Grid
	w := g.colWidth(g.Size())
	test.TapAt(g, fyne.NewPos(timeWidth+w+10, headerH+8*rowHeight+5)) // Priya, 11:00
	b := e.waitDialog(t)
	test.Type(b.search, "Ana")
	e.Queue.WaitFor(t, "the client found", func() bool { return b.clientID == e.client.ID })
	test.Tap(b.bookBtn)
	e.Queue.WaitFor(t, "the warnings", func() bool { return b.reasonBox.Visible() })
	if msg := b.fields.Find("override_reason").Message; !msg.Visible() || !strings.Contains(msg.Text, "Write why") {
		t.Fatalf("no request for a reason: %q", msg.Text)
	}
	if !strings.Contains(strings.Join(uitest.Texts(b.warnBox), "\n"), "Only 7 days after the last needling session") {
		t.Errorf("the warnings say %q", uitest.Texts(b.warnBox))
	}
	test.Type(b.reason, "Client travels abroad; the doctor agreed")
	test.Tap(b.bookBtn)
	e.Queue.WaitFor(t, "the booking", func() bool { return b.booked != nil })
	list := e.dayList(t, e.monday)
	if len(list) != 1 || !list[0].Start.Equal(e.at(e.monday, 11, 0)) || list[0].OverrideReason != "Client travels abroad; the doctor agreed" ||
		len(list[0].Warnings) == 0 {
		t.Fatalf("the store holds %+v", list)
	}
}

func TestBookingClashIsNamedUnderTheStart(t *testing.T) {
	e := newBookClinic(t)
	bea := e.AddClient(t, "Bea", "Moreau")
	e.book(t, bea, e.priya.ID, e.at(e.monday, 10, 0))
	// Another desk had the day open before Bea was booked.
	b := showBookingDialog(e.area.env, Booking{ClientID: e.client.ID, ClientName: "Ana Silva", TechnicianID: e.priya.ID,
		Start: e.at(e.monday, 10, 30)})
	e.waitDialog(t)
	test.Tap(b.bookBtn)
	msg := b.fields.Find("start").Message
	e.Queue.WaitFor(t, "the clash", func() bool { return msg.Visible() })
	want := "Priya Raman already has Bea Moreau's appointment from 10:00 to 11:00 on Monday 23 November 2026"
	if !strings.Contains(msg.Text, want) {
		t.Errorf("the clash reads %q", msg.Text)
	}
	if n := len(e.dayList(t, e.monday)); n != 1 {
		t.Errorf("the day holds %d appointments", n)
	}
}

func TestBookingRefusesBadInputByField(t *testing.T) {
	e := newBookClinic(t)
	b := showBookingDialog(e.area.env, Booking{ClientID: e.client.ID, ClientName: "Ana Silva", TechnicianID: e.priya.ID,
		Start: e.at(e.monday, 10, 0)})
	e.waitDialog(t)
	cases := []struct{ field, length, end, want string }{
		{"end", "", "09:30", "ends before it starts"},
		{"minutes", "0", "", "give it a length"},
		{"minutes", "600", "", "longer than 8 hours"},
	}
	for _, c := range cases {
		if c.length != "" {
			b.length.SetText(c.length)
		}
		if c.end != "" {
			b.end.SetText(c.end)
		}
		test.Tap(b.bookBtn)
		if msg := b.fields.Find(c.field).Message; !msg.Visible() || !strings.Contains(msg.Text, c.want) {
			t.Errorf("%s %s/%s: the field says %q", c.field, c.length, c.end, msg.Text)
		}
	}
	// A time gone is refused to the front desk.
	e.Actor = e.StaffByRole(t, data.RoleReceptionist)
	b.date.SetText(e.Settings.FormatDate(data.NewDate(2026, 11, 20)))
	b.length.SetText("60")
	test.Tap(b.bookBtn)
	if msg := b.fields.Find("start").Message; !strings.Contains(msg.Text, "in the past") {
		t.Errorf("a past time: %q", msg.Text)
	}
	if n := len(e.dayList(t, data.NewDate(2026, 11, 20))) + len(e.dayList(t, e.monday)); n != 0 {
		t.Errorf("%d appointments were booked", n)
	}
}

// TestTheFrontDeskBooksTheTechnicians: a receptionist's day has a column
// for each technician and owner, never one for another receptionist, and
// the booking dialog offers the same people.
func TestTheFrontDeskBooksTheTechnicians(t *testing.T) {
	e := newBookClinic(t)
	ada := data.Staff{Name: "Ada Front", Role: data.RoleReceptionist, Active: true}
	if err := e.Store.CreateStaff(e.Ctx, data.SystemActor, &ada); err != nil {
		t.Fatal(err)
	}
	e.Actor = e.StaffByRole(t, data.RoleReceptionist)
	e.area.Day.ForgetNames()
	e.showDay(t, e.monday)
	var cols []string
	for _, c := range e.area.Day.Grid.cols {
		cols = append(cols, c.title)
	}
	if want := []string{"Maya Lindqvist", "Priya Raman"}; !slices.Equal(cols, want) {
		t.Errorf("the receptionist's day has columns %q; want %q", cols, want)
	}
	b := showBookingDialog(e.area.env, Booking{Start: e.at(e.monday, 10, 0)})
	e.waitDialog(t)
	if want := []string{"Maya Lindqvist", "Priya Raman"}; !slices.Equal(b.technician.Options, want) {
		t.Errorf("the booking dialog offers %q; want %q", b.technician.Options, want)
	}
}
