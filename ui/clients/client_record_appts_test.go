package clients

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

// apptClinic is the test clinic with the book wired to the clients'
// area, a needling line on the menu, a room, and a client who consented;
// routes records what the record asked the shell to open.
type apptClinic struct {
	*storeEnv
	face   data.TreatmentType
	room   data.Room
	client data.Client
	priya  data.Staff
	routes []screen.Route
}

func newApptClinic(t *testing.T) *apptClinic {
	t.Helper()
	e := &apptClinic{storeEnv: newStoreEnv(t)}
	e.deps.Appointments = e.st
	e.face = data.TreatmentType{Name: "Face needling", DefaultMinutes: 60, Needling: true, Active: true}
	if err := e.st.CreateTreatmentType(e.Ctx, e.Actor.ID, &e.face); err != nil {
		t.Fatal(err)
	}
	e.room = data.Room{Name: "Room 1", Active: true}
	if err := e.st.CreateRoom(e.Ctx, e.Actor.ID, &e.room); err != nil {
		t.Fatal(err)
	}
	e.client = e.c.AddClient(t, "Ana", "Silva", consented)
	e.priya = e.c.StaffByRole(t, data.RoleTechnician)
	e.Router = func(r screen.Route) { e.routes = append(e.routes, r) }
	return e
}

// at is h:m on day on the clinic's clock.
func (e *apptClinic) at(day data.Date, h, m int) time.Time {
	return data.At(day, data.TimeOf(h, m), e.Settings.Location())
}

// book saves an appointment with Priya in Room 1 straight into the store
// (the owner may book the past, with a reason).
func (e *apptClinic) book(t *testing.T, start time.Time) data.Appointment {
	t.Helper()
	a := data.Appointment{ClientID: e.client.ID, TechnicianID: e.priya.ID, RoomID: e.room.ID, TreatmentID: e.face.ID,
		Start: start, Minutes: 60, Status: data.StatusBooked, Warnings: []string{"test"}, OverrideReason: "set up by the test"}
	if err := e.st.BookAppointment(e.Ctx, e.Actor.ID, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func (e *apptClinic) cancel(t *testing.T, a data.Appointment, c data.Cancellation) data.Appointment {
	t.Helper()
	got, err := e.st.CancelAppointment(e.Ctx, e.Actor.ID, a.ID, a.Version, c)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (e *apptClinic) mark(t *testing.T, a data.Appointment, to data.AppointmentStatus) data.Appointment {
	t.Helper()
	got, err := e.st.MarkAppointment(e.Ctx, e.Actor.ID, a.ID, a.Version, to)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// historyTexts is the timeline as shown, row by row: each row's lines, joined
// with " | ".
func (r *clientRecord) historyTexts() []string {
	var out []string
	o := r.newHistoryRow()
	for i := range r.timeline.Length() {
		r.updateHistoryRow(i, o)
		out = append(out, strings.Join(uitest.ShownTexts(o), " | "))
	}
	return out
}

// upcomingLinks are the record's upcoming appointments as shown.
func (r *clientRecord) upcomingLinks() []*appointmentLink {
	var out []*appointmentLink
	uitest.WalkShown(r.upcoming.content, func(o fyne.CanvasObject) {
		if l, ok := o.(*appointmentLink); ok {
			out = append(out, l)
		}
	})
	return out
}

func (r *clientRecord) upcomingTexts() []string {
	var out []string
	for _, l := range r.upcomingLinks() {
		out = append(out, l.when.Text+" | "+l.what.Text)
	}
	return out
}

// wantRows checks the timeline row by row: row i shows each of want[i].
func wantRows(t *testing.T, got []string, want ...[]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("the timeline has %d rows, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		for _, part := range w {
			if !strings.Contains(got[i], part) {
				t.Errorf("timeline row %d is %q; want it to say %q", i, got[i], part)
			}
		}
	}
}

// TestRecordShowsTheClientsAppointments: the record lists the appointments
// still to come, soonest first, with date, time, technician, treatment,
// room and state; its timeline keeps the cancelled one (with who called
// it off and why) and the missed one among the sessions, by date, and
// does not list a completed appointment beside its own session.
func TestRecordShowsTheClientsAppointments(t *testing.T) {
	e := newApptClinic(t)
	st := e.Settings
	e.c.AddSession(t, e.client, data.NewDate(2026, 6, 2))
	given := e.mark(t, e.book(t, e.at(data.NewDate(2026, 10, 1), 10, 0)), data.StatusArrived)
	s := e.c.AddSession(t, e.client, data.NewDate(2026, 10, 1))
	if _, err := e.st.LinkSession(e.Ctx, e.Actor.ID, given.ID, given.Version, s.ID); err != nil {
		t.Fatal(err)
	}
	e.cancel(t, e.book(t, e.at(data.NewDate(2026, 9, 15), 14, 0)), data.Cancellation{Reason: data.CancelByClient, Note: "Has a cold."})
	e.mark(t, e.book(t, e.at(data.NewDate(2026, 8, 10), 11, 30)), data.StatusNoShow)
	e.book(t, e.at(data.NewDate(2026, 12, 10), 9, 30))
	e.book(t, e.at(data.NewDate(2026, 11, 26), 14, 0))

	r, _ := openClientRecord(t, e.storeEnv, e.client.ID)
	want := []string{
		"Thu " + st.FormatDate(data.NewDate(2026, 11, 26)) + ", 14:00–15:00 | Priya Raman  ·  Face needling  ·  Room 1  ·  Booked",
		"Thu " + st.FormatDate(data.NewDate(2026, 12, 10)) + ", 09:30–10:30 | Priya Raman  ·  Face needling  ·  Room 1  ·  Booked",
	}
	if got := r.upcomingTexts(); !slices.Equal(got, want) || !r.upcoming.content.Visible() {
		t.Errorf("the upcoming appointments are\n%q\nwant\n%q", got, want)
	}
	wantRows(t, r.historyTexts(),
		[]string{st.FormatDate(data.NewDate(2026, 10, 1)) + ", 10:00  ·  Priya Raman", "Cheeks 0.75 mm"},
		[]string{st.FormatDate(data.NewDate(2026, 9, 15)) + ", 14:00  ·  Priya Raman", "Cancelled by the client: Has a cold.",
			"Appointment for Face needling  ·  Room 1"},
		[]string{st.FormatDate(data.NewDate(2026, 8, 10)) + ", 11:30  ·  Priya Raman", "Did not come (no-show)"},
		[]string{st.FormatDate(data.NewDate(2026, 6, 2)) + ", 10:00  ·  Priya Raman", "Cheeks 0.75 mm"},
	)
	if r.noSessions.Visible() {
		t.Error("the timeline says there are no sessions")
	}
}

// TestRecordAppointmentsOpenInTheBook: an upcoming appointment opens its
// page in the book with a click and with Enter, and so do a cancelled and
// a missed one in the timeline.
func TestRecordAppointmentsOpenInTheBook(t *testing.T) {
	e := newApptClinic(t)
	e.c.AddSession(t, e.client, data.NewDate(2026, 6, 2))
	cancelled := e.cancel(t, e.book(t, e.at(data.NewDate(2026, 9, 15), 14, 0)), data.Cancellation{Reason: data.CancelByClinic})
	missed := e.mark(t, e.book(t, e.at(data.NewDate(2026, 8, 10), 11, 30)), data.StatusNoShow)
	soon := e.book(t, e.at(data.NewDate(2026, 11, 26), 14, 0))
	later := e.book(t, e.at(data.NewDate(2026, 12, 10), 9, 30))
	r, _ := openClientRecord(t, e.storeEnv, e.client.ID)
	links := r.upcomingLinks()
	if len(links) != 2 {
		t.Fatalf("%d upcoming appointments shown, want 2", len(links))
	}
	cv := e.w.Canvas()
	test.Tap(links[0])
	cv.Focus(links[1])
	cv.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	cv.Focus(r.timeline)
	cv.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) // the missed appointment, under the cancelled one
	cv.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	tapFirstHistoryRow(e, r) // the cancelled one
	want := []screen.Route{screen.Appointment{ID: soon.ID}, screen.Appointment{ID: later.ID},
		screen.Appointment{ID: missed.ID}, screen.Appointment{ID: cancelled.ID}}
	if !slices.Equal(e.routes, want) {
		t.Errorf("the record opened %v; want %v", e.routes, want)
	}
	if r.stack.Top() != r.page {
		t.Errorf("the record pushed %q over itself", r.stack.Top().Title)
	}
}

// tapFirstHistoryRow clicks the timeline's first row, where it is drawn.
func tapFirstHistoryRow(e *apptClinic, r *clientRecord) {
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.timeline)
	test.TapCanvas(e.w.Canvas(), pos.Add(fyne.NewPos(60, 12)))
}

// TestRecordFollowsTheBook: booking, moving and cancelling (the book's
// AppointmentChanged) and a session saved for an appointment
// (SessionChanged) show on the record in view.
func TestRecordFollowsTheBook(t *testing.T) {
	e := newApptClinic(t)
	st := e.Settings
	r, _ := openClientRecord(t, e.storeEnv, e.client.ID)
	if got := strings.Join(uitest.ShownTexts(r.upcoming.content), "\n"); !strings.Contains(got, "Nothing booked.") {
		t.Fatalf("with nothing booked the record says %q", got)
	}
	changed := func(what string, cond func() bool) {
		t.Helper()
		e.Events.Publish(screen.AppointmentChanged{Client: data.ClientID(e.client.ID)})
		e.q.WaitFor(t, what, cond)
	}
	shows := func(text string) func() bool {
		return func() bool { return strings.Contains(strings.Join(r.upcomingTexts(), "\n"), text) }
	}
	a := e.book(t, e.at(data.NewDate(2026, 11, 26), 14, 0))
	changed("the booking", shows(st.FormatDate(data.NewDate(2026, 11, 26))+", 14:00–15:00"))

	a, err := e.st.MoveAppointment(e.Ctx, e.Actor.ID, a.ID, a.Version,
		data.Slot{Start: e.at(data.NewDate(2026, 11, 27), 11, 0), TechnicianID: e.priya.ID, RoomID: e.room.ID})
	if err != nil {
		t.Fatal(err)
	}
	changed("the move", shows(st.FormatDate(data.NewDate(2026, 11, 27))+", 11:00–12:00"))

	e.cancel(t, a, data.Cancellation{Reason: data.CancelByClient, Note: "Away that week."})
	changed("the cancellation", func() bool { return len(r.upcomingLinks()) == 0 })
	wantRows(t, r.historyTexts(), []string{st.FormatDate(data.NewDate(2026, 11, 27)) + ", 11:00", "Cancelled by the client: Away that week."})

	// Today at 11:00: she comes, is treated, and the session is saved for
	// the appointment, which then is its session alone.
	today := e.mark(t, e.book(t, e.at(data.NewDate(2026, 11, 22), 11, 0)), data.StatusArrived)
	changed("today's appointment", func() bool { return len(r.upcomingLinks()) == 1 })
	if got := r.upcomingTexts()[0]; !strings.HasSuffix(got, "Arrived") {
		t.Errorf("today's appointment shows %q; want it marked arrived", got)
	}
	s := e.c.AddSession(t, e.client, data.NewDate(2026, 11, 22), func(s *data.Session) { s.StartedAt = e.at(data.NewDate(2026, 11, 22), 11, 5) })
	if _, err := e.st.LinkSession(e.Ctx, e.Actor.ID, today.ID, today.Version, s.ID); err != nil {
		t.Fatal(err)
	}
	e.Events.Publish(screen.SessionChanged{Client: data.ClientID(e.client.ID)})
	e.q.WaitFor(t, "the session", func() bool { return len(r.upcomingLinks()) == 0 && r.timeline.Length() == 2 })
	wantRows(t, r.historyTexts(),
		[]string{st.FormatDate(data.NewDate(2026, 11, 27)) + ", 11:00", "Cancelled by the client"},
		[]string{st.FormatDate(data.NewDate(2026, 11, 22)) + ", 11:05  ·  Priya Raman", "Cheeks 0.75 mm"})
}

// TestRecordAppointmentsFollowTheRole: the front desk sees the client's
// appointments; without the book, or for a role that may not see it, the
// record shows nothing of them, and no error.
func TestRecordAppointmentsFollowTheRole(t *testing.T) {
	e := newApptClinic(t)
	e.c.AddSession(t, e.client, data.NewDate(2026, 6, 2))
	e.mark(t, e.book(t, e.at(data.NewDate(2026, 8, 10), 11, 30)), data.StatusNoShow)
	e.book(t, e.at(data.NewDate(2026, 11, 26), 14, 0))

	e.Actor = e.c.StaffByRole(t, data.RoleReceptionist)
	r, _ := openClientRecord(t, e.storeEnv, e.client.ID)
	if len(r.upcomingLinks()) != 1 || r.timeline.Length() != 2 {
		t.Errorf("the front desk sees %d upcoming and %d rows in the timeline; want 1 and 2 (the session and the missed visit)",
			len(r.upcomingLinks()), r.timeline.Length())
	}

	for name, set := range map[string]func(){
		"a clinic without the book": func() { e.deps.Appointments = nil },
		// None of the three roles is without the book today; the record
		// asks the permission, not the role.
		"a role that may not see the book": func() { e.Actor = e.c.StaffByRole(t, data.RoleOwner); e.Actor.Role = "guest" },
	} {
		e.deps.Appointments, e.Actor = e.st, e.c.StaffByRole(t, data.RoleOwner)
		set()
		r, _ := openClientRecord(t, e.storeEnv, e.client.ID)
		if r.upcoming.content.Visible() || r.timeline.Length() != 1 {
			t.Errorf("%s: the upcoming appointments are shown (%v), the timeline has %d rows; want hidden and the session alone",
				name, r.upcoming.content.Visible(), r.timeline.Length())
		}
		if shown := strings.Join(uitest.ShownTexts(r.page.Content), "\n"); strings.Contains(shown, "appointment") || r.failed.Visible() {
			t.Errorf("%s: the record says %q", name, shown)
		}
	}
}
