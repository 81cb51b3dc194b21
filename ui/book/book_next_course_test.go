package book

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
)

// courseSoFar gives the test client a neck needling course of sessions
// sessions six weeks apart, its first session given on 2 November (due
// back, by the session, on 30 November), and then booked appointments of
// the course on each of booked; it returns the course.
func (e *bookClinic) courseSoFar(t *testing.T, sessions int, booked ...data.Date) data.Course {
	t.Helper()
	neck := e.neck(t)
	c := e.course(t, neck.ID, sessions, 42)
	first := data.NewDate(2026, 11, 2)
	s := e.AddSession(t, e.client, first, func(s *data.Session) {
		s.Areas = []data.AreaTreatment{{Area: data.AreaNeck, DepthMM: 0.5}}
		s.NextDue = data.NewDate(2026, 11, 30)
	})
	appts := []data.Appointment{{ClientID: e.client.ID, TechnicianID: e.priya.ID, TreatmentID: neck.ID, CourseID: c.ID,
		Minutes: 45, Start: e.at(first, 11, 0), Status: data.StatusCompleted, SessionID: s.ID}}
	if err := e.Store.ImportAppointments(e.Ctx, e.Actor.ID, appts); err != nil {
		t.Fatal(err)
	}
	for _, day := range booked {
		a := data.Appointment{ClientID: e.client.ID, TechnicianID: e.priya.ID, TreatmentID: neck.ID, CourseID: c.ID,
			Minutes: 45, Start: e.at(day, 11, 0), Status: data.StatusBooked}
		if err := e.Store.BookAppointment(e.Ctx, e.Actor.ID, &a); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// courseNote is the line under the booking dialog's course choice.
func (b *bookingDialog) courseNote() string {
	f := b.fields.Find("course")
	if !f.Message.Visible() {
		return ""
	}
	return f.Message.Text
}

// TestBookNextOffersTheSessionAfterTheBookedOne: when the course's next
// session is booked already (session 2, on 14 December), Book next offers
// session 3, six weeks after the booked one, not the booked one again on
// the day the last session said; booked, the course counts it.
func TestBookNextOffersTheSessionAfterTheBookedOne(t *testing.T) {
	e := newBookClinic(t)
	c := e.courseSoFar(t, 4, data.NewDate(2026, 12, 14))
	e.Actor = e.StaffByRole(t, data.RoleReceptionist)
	e.area.BookNext(e.client.ID)
	b := e.waitDialog(t)
	e.Queue.WaitFor(t, "the client's courses", func() bool { return b.coursesFor == e.client.ID })
	if b.date.Text != "25/01/2027" || b.start.Text != "09:00" || b.treatment.Selected != "Neck needling" ||
		b.course.Selected != "Neck needling, session 3 of 4 (1 done, 1 booked)" || b.courseNote() != "" {
		t.Errorf("Book next proposes %s at %s, %q in course %q (%q); want 25/01/2027 09:00, Neck needling, session 3 of 4",
			b.date.Text, b.start.Text, b.treatment.Selected, b.course.Selected, b.courseNote())
	}
	test.Tap(b.bookBtn)
	e.Queue.WaitFor(t, "the booking", func() bool { return b.booked != nil })
	if b.booked.CourseID != c.ID {
		t.Errorf("booked outside the course: %+v", b.booked)
	}
	if p := e.courses(t)[c.ID].Progress; p.Done != 1 || p.Booked != 2 {
		t.Errorf("after booking the course counts %+v", p)
	}
}

// TestBookNextWhenTheCourseIsFullyBooked: with every session of the
// course left booked, Book next says so under the course choice and books
// outside the course, six weeks after its last session; the note goes for
// another treatment and comes back with the course's.
func TestBookNextWhenTheCourseIsFullyBooked(t *testing.T) {
	e := newBookClinic(t)
	c := e.courseSoFar(t, 3, data.NewDate(2026, 12, 14), data.NewDate(2027, 1, 25))
	e.Actor = e.StaffByRole(t, data.RoleReceptionist)
	e.area.BookNext(e.client.ID)
	b := e.waitDialog(t)
	e.Queue.WaitFor(t, "the client's courses", func() bool { return b.coursesFor == e.client.ID })
	note := "Every session of the Neck needling course is done or booked (1 done, 2 booked), so this appointment is not part of it."
	if b.date.Text != "08/03/2027" || b.treatment.Selected != "Neck needling" || b.course.Selected != noCourse || b.courseNote() != note {
		t.Errorf("Book next proposes %s, %q in course %q, saying %q; want 08/03/2027, Neck needling outside the course, saying %q",
			b.date.Text, b.treatment.Selected, b.course.Selected, b.courseNote(), note)
	}
	b.treatment.SetSelected("Face needling")
	if got := b.courseNote(); got != "" {
		t.Errorf("for face needling the dialog says %q", got)
	}
	b.treatment.SetSelected("Neck needling")
	if got := b.courseNote(); got != note {
		t.Errorf("back on neck needling the dialog says %q", got)
	}
	test.Tap(b.bookBtn)
	e.Queue.WaitFor(t, "the booking", func() bool { return b.booked != nil })
	if b.booked.CourseID != 0 {
		t.Errorf("booked in course %d; want outside it", b.booked.CourseID)
	}
	if p := e.courses(t)[c.ID].Progress; p.Done != 1 || p.Booked != 2 {
		t.Errorf("after booking the course counts %+v", p)
	}
}
