package clients

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
)

// courseClinic is the test clinic with a needling line on the menu, a
// client who consented and the course store wired to the area.
type courseClinic struct {
	*storeEnv
	face   data.TreatmentType
	client data.Client
	priya  data.Staff
}

func newCourseClinic(t *testing.T) *courseClinic {
	t.Helper()
	e := &courseClinic{storeEnv: newStoreEnv(t)}
	e.deps.Courses, e.deps.Appointments = e.st, e.st
	e.face = data.TreatmentType{Name: "Face needling", DefaultMinutes: 60, Needling: true, Active: true}
	if err := e.st.CreateTreatmentType(e.Ctx, e.Actor.ID, &e.face); err != nil {
		t.Fatal(err)
	}
	e.client = e.c.AddClient(t, "Ana", "Silva", consented)
	e.priya = e.c.StaffByRole(t, data.RoleTechnician)
	return e
}

func (e *courseClinic) course(t *testing.T, sessions, days int) data.Course {
	t.Helper()
	c := data.Course{ClientID: e.client.ID, TreatmentID: e.face.ID, Sessions: sessions, IntervalDays: days}
	if err := e.st.CreateCourse(e.Ctx, e.Actor.ID, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// appointment books one of the course's sessions at start; done ones are
// given their session, which completes them.
func (e *courseClinic) appointment(t *testing.T, course int64, start time.Time, done bool) {
	t.Helper()
	a := data.Appointment{ClientID: e.client.ID, TechnicianID: e.priya.ID, TreatmentID: e.face.ID, CourseID: course,
		Start: start, Minutes: 60, Status: data.StatusBooked, Warnings: []string{"test"}, OverrideReason: "set up by the test"}
	if err := e.st.BookAppointment(e.Ctx, e.Actor.ID, &a); err != nil {
		t.Fatal(err)
	}
	if !done {
		return
	}
	a2, err := e.st.MarkAppointment(e.Ctx, e.Actor.ID, a.ID, a.Version, data.StatusArrived)
	if err != nil {
		t.Fatal(err)
	}
	s := e.c.AddSession(t, e.client, data.DateOf(start))
	if _, err := e.st.LinkSession(e.Ctx, e.Actor.ID, a.ID, a2.Version, s.ID); err != nil {
		t.Fatal(err)
	}
}

func TestRecordShowsWhereTheCourseIs(t *testing.T) {
	e := newCourseClinic(t)
	c := e.course(t, 6, 28)
	now := testClock()
	e.appointment(t, c.ID, now.AddDate(0, 0, -56), true)
	e.appointment(t, c.ID, now.AddDate(0, 0, -28), true)
	next := now.AddDate(0, 0, 7)
	e.appointment(t, c.ID, next, false)
	r, _ := openClientRecord(t, e.storeEnv, e.client.ID)
	e.q.WaitFor(t, "the courses", func() bool { return r.courses.loaded })
	got := strings.Join(uitest.Texts(r.courses.content), "\n")
	loc := e.Settings.Location()
	for _, want := range []string{
		"Face needling: session 3 of 6",
		"6 sessions, every 28 days · 2 done, 1 booked",
		"Session 1: " + e.Settings.FormatDate(data.LocalDay(now.AddDate(0, 0, -56), loc)),
		"Session 3: " + e.Settings.FormatDate(data.LocalDay(next, loc)) + " " + next.In(loc).Format("15:04") + ", booked",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the record's course lacks %q; it reads:\n%s", want, got)
		}
	}
	if strings.Count(got, ", done") != 2 {
		t.Errorf("want two sessions done:\n%s", got)
	}
}

func TestTheFrontDeskStartsACourse(t *testing.T) {
	e := newCourseClinic(t)
	e.Actor = e.c.StaffByRole(t, data.RoleReceptionist)
	r, _ := openClientRecord(t, e.storeEnv, e.client.ID)
	e.q.WaitFor(t, "the courses", func() bool { return r.courses.loaded })
	if !uitest.Shows(r.courses.content, "No course planned. A course is a series of sessions sold together, such as 6 sessions 4 weeks apart.") {
		t.Errorf("the empty panel reads %q", uitest.Texts(r.courses.content))
	}
	test.Tap(r.courses.startBtn)
	e.q.WaitFor(t, "the course dialog", func() bool { return r.courses.starting != nil })
	cd := r.courses.starting
	if cd.treatment.Selected != "Face needling" {
		t.Errorf("the dialog offers %q", cd.treatment.Selected)
	}
	cd.sessions.SetText("0")
	cd.interval.SetText("3")
	test.Tap(cd.saveBtn)
	if msg := cd.fields.Find("sessions").Message; !msg.Visible() || !strings.Contains(msg.Text, "between 1 and 20") {
		t.Errorf("0 sessions: %q", msg.Text)
	}
	if msg := cd.fields.Find("interval_days").Message; !msg.Visible() || !strings.Contains(msg.Text, "between 7 and 365") {
		t.Errorf("3 days: %q", msg.Text)
	}
	cd.sessions.SetText("4")
	cd.interval.SetText("35")
	test.Tap(cd.saveBtn)
	e.q.WaitFor(t, "the course started", func() bool { return cd.saved != nil })
	cs, err := e.st.ClientCourses(e.Ctx, e.Actor.ID, e.client.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Sessions != 4 || cs[0].IntervalDays != 35 || cs[0].TreatmentID != e.face.ID {
		t.Fatalf("the store holds %+v", cs)
	}
	e.q.WaitFor(t, "the course on the record", func() bool {
		return uitest.Shows(r.courses.content, "Face needling: session 1 of 4")
	})
}

func TestNoCoursePanelWithoutACourseStore(t *testing.T) {
	e := newCourseClinic(t)
	e.deps.Courses = nil
	r, _ := openClientRecord(t, e.storeEnv, e.client.ID)
	if r.courses.content.Visible() {
		t.Error("the course panel shows without a course store")
	}
}

// A new session for a client in a course is due back after the course's
// interval, so the Due back list follows the course.
func TestNextSessionFollowsTheCourseInterval(t *testing.T) {
	e := newCourseClinic(t)
	e.course(t, 6, 42)
	stack := screen.NewStack(e.Env, &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")})
	f := openSessionForm(e.areaEnv, stack, e.client)
	stack.Push(f.page)
	e.w.SetContent(stack.Content)
	waitForChoices(t, e.storeEnv, f)
	e.q.WaitFor(t, "the course read", func() bool { return f.courseDays == 42 })
	today := data.DateOf(testClock().Local())
	due := today.AddDays(42)
	if want := e.Settings.FormatDate(due); f.nextDue.Text != want {
		t.Fatalf("the next session is due %q, want %q", f.nextDue.Text, want)
	}
	test.Type(f.areas.row(data.AreaCheeks).depth, "0.5")
	test.Tap(f.saveButton)
	e.q.WaitFor(t, "the session saved", func() bool { return stack.Top() != f.page })
	list, err := data.FindDueBack(e.Ctx, e.st, e.Actor.ID, data.DueBackQuery{Window: data.DueCustom, From: due, To: due, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Clients) != 1 || list.Clients[0].ID != e.client.ID {
		t.Fatalf("due back on %v: %+v", due, list.Clients)
	}
}
