package book

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
)

// course starts a course for the test client.
func (e *bookClinic) course(t *testing.T, treatment int64, sessions, days int) data.Course {
	t.Helper()
	c := data.Course{ClientID: e.client.ID, TreatmentID: treatment, Sessions: sessions, IntervalDays: days}
	if err := e.Store.CreateCourse(e.Ctx, e.Actor.ID, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// courses reads the test client's courses by ID, with their progress.
func (e *bookClinic) courses(t *testing.T) map[int64]data.Course {
	t.Helper()
	cs, err := e.Store.ClientCourses(e.Ctx, e.Actor.ID, e.client.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]data.Course{}
	for _, c := range cs {
		out[c.ID] = c
	}
	return out
}

func (e *bookClinic) neck(t *testing.T) data.TreatmentType {
	t.Helper()
	neck := data.TreatmentType{Name: "Neck needling", DefaultMinutes: 45, Areas: []data.Area{data.AreaNeck}, Needling: true, Active: true}
	if err := e.Store.CreateTreatmentType(e.Ctx, e.Actor.ID, &neck); err != nil {
		t.Fatal(err)
	}
	return neck
}

// TestBookingDialogOffersTheClientsOpenCourses: the dialog offers the
// client's open courses (not a closed one), chooses the one for the
// treatment and follows a change of treatment until a course is chosen by
// hand; the appointment is saved with the course, which counts it.
func TestBookingDialogOffersTheClientsOpenCourses(t *testing.T) {
	e := newBookClinic(t)
	neck := e.neck(t)
	face := e.course(t, e.face.ID, 4, 28)
	neckCourse := e.course(t, neck.ID, 3, 42)
	closed := e.course(t, e.face.ID, 6, 28)
	closed.Closed = true
	if err := e.Store.UpdateCourse(e.Ctx, e.Actor.ID, &closed); err != nil {
		t.Fatal(err)
	}
	b := showBookingDialog(e.area.env, Booking{ClientID: e.client.ID, ClientName: "Ana Silva", TechnicianID: e.priya.ID,
		TreatmentID: e.face.ID, Start: e.at(e.monday, 10, 0)})
	e.waitDialog(t)
	e.Queue.WaitFor(t, "the client's courses", func() bool { return b.coursesFor == e.client.ID })
	want := []string{noCourse, "Neck needling, session 1 of 3 (0 done)", "Face needling, session 1 of 4 (0 done)"}
	if len(b.course.Options) != len(want) {
		t.Fatalf("the dialog offers the courses %q; want %q", b.course.Options, want)
	}
	for i := range want {
		if b.course.Options[i] != want[i] {
			t.Errorf("course %d reads %q; want %q", i, b.course.Options[i], want[i])
		}
	}
	if b.course.Selected != want[2] {
		t.Errorf("for face needling the dialog chooses %q", b.course.Selected)
	}
	b.treatment.SetSelected("Neck needling")
	if b.course.Selected != want[1] {
		t.Errorf("for neck needling the dialog chooses %q", b.course.Selected)
	}
	b.course.SetSelected(noCourse) // by hand: a treatment changed later keeps it
	b.treatment.SetSelected("Face needling")
	if b.course.Selected != noCourse {
		t.Errorf("a change of treatment replaced the course chosen by hand with %q", b.course.Selected)
	}
	b.course.SetSelected(want[2])
	test.Tap(b.bookBtn)
	e.Queue.WaitFor(t, "the booking", func() bool { return b.booked != nil })
	list := e.dayList(t, e.monday)
	if len(list) != 1 || list[0].CourseID != face.ID {
		t.Fatalf("the store holds %+v; want one appointment in course %d", list, face.ID)
	}
	cs := e.courses(t)
	if p := cs[face.ID].Progress; p.Booked != 1 || p.Detail() != "0 done, 1 booked" {
		t.Errorf("the face course counts %+v", p)
	}
	if p := cs[neckCourse.ID].Progress; p.Booked != 0 {
		t.Errorf("the neck course counts %+v", p)
	}
}

// TestBookingDialogWithoutAnOpenCourse: a client without an open course
// books outside any course, and another client chosen in the search gets
// their own courses.
func TestBookingDialogWithoutAnOpenCourse(t *testing.T) {
	e := newBookClinic(t)
	bea := e.AddClient(t, "Bea", "Moreau", func(cl *data.Client) {
		cl.Consent = data.Consent{SignedOn: data.NewDate(2026, 1, 10), FormVersion: "v3"}
	})
	e.course(t, e.face.ID, 4, 28) // Ana's
	b := showBookingDialog(e.area.env, Booking{TechnicianID: e.priya.ID, Start: e.at(e.monday, 10, 0)})
	e.waitDialog(t)
	test.Type(b.search, "Moreau")
	e.Queue.WaitFor(t, "Bea's courses", func() bool { return b.clientID == bea.ID && b.coursesFor == bea.ID })
	if len(b.course.Options) != 1 || b.course.Selected != noCourse || !b.course.Disabled() {
		t.Errorf("for a client without a course the dialog offers %q, chosen %q", b.course.Options, b.course.Selected)
	}
	test.Tap(b.bookBtn)
	e.Queue.WaitFor(t, "the booking", func() bool { return b.booked != nil })
	if list := e.dayList(t, e.monday); len(list) != 1 || list[0].CourseID != 0 || list[0].ClientID != bea.ID {
		t.Fatalf("the store holds %+v", list)
	}
}

// TestBookNextFollowsTheOpenCourse: for a client with an open course,
// Book next proposes the day its next session is due (the last session
// of the course plus its interval, not the session's own due date) and
// that course with its treatment.
func TestBookNextFollowsTheOpenCourse(t *testing.T) {
	e := newBookClinic(t)
	neck := e.neck(t)
	c := e.course(t, neck.ID, 4, 42)
	day := data.NewDate(2026, 11, 2)
	s := e.AddSession(t, e.client, day, func(s *data.Session) {
		s.Areas = []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.5}}
		s.NextDue = data.NewDate(2026, 11, 30)
	})
	done := data.Appointment{ClientID: e.client.ID, TechnicianID: e.priya.ID, TreatmentID: neck.ID, CourseID: c.ID, Minutes: 45,
		Start: e.at(day, 11, 0), Status: data.StatusCompleted, SessionID: s.ID}
	if err := e.Store.ImportAppointments(e.Ctx, e.Actor.ID, []data.Appointment{done}); err != nil {
		t.Fatal(err)
	}
	e.Actor = e.StaffByRole(t, data.RoleReceptionist)
	e.area.BookNext(e.client.ID)
	b := e.waitDialog(t)
	e.Queue.WaitFor(t, "the client's courses", func() bool { return b.coursesFor == e.client.ID })
	if b.date.Text != "14/12/2026" || b.start.Text != "09:00" || b.treatment.Selected != "Neck needling" ||
		b.course.Selected != "Neck needling, session 2 of 4 (1 done)" || b.technician.Selected != "Priya Raman" {
		t.Errorf("Book next proposes %s at %s, %q in course %q with %q; want 14/12/2026 09:00, Neck needling in its course with Priya Raman",
			b.date.Text, b.start.Text, b.treatment.Selected, b.course.Selected, b.technician.Selected)
	}
	test.Tap(b.bookBtn)
	e.Queue.WaitFor(t, "the booking", func() bool { return b.booked != nil })
	if p := e.courses(t)[c.ID].Progress; p.Done != 1 || p.Booked != 1 {
		t.Errorf("after booking the course counts %+v", p)
	}
}
