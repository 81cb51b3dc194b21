package storetest

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

func (ct contract) bookAndReadTheBook(t *testing.T) {
	b := ct.newBook(t)
	a := b.booked(b.desk.ID, b.appt())
	if a.ID == 0 || a.Status != data.StatusBooked || a.Version != 1 || a.ClientName != "Zoë O'Brien" ||
		a.TechnicianName != "Priya Raman" || a.RoomName != "Room 1" || a.TreatmentName != "Microneedling, face" ||
		a.CreatedBy != b.desk.ID || !a.CreatedAt.Equal(TestNow) {
		t.Fatalf("booked %+v", a)
	}
	b.wantAudit(b.desk.ID, data.ActionCreate, data.EntityAppointment, a.ID)
	if d := b.lastAudit().Detail; !strings.Contains(d, "10:00 on Tue 24 November 2026") || !strings.Contains(d, "Priya Raman") {
		t.Errorf("the audit row says %q", d)
	}
	other := b.booked(b.tech.ID, b.appt(func(x *data.Appointment) {
		x.TechnicianID, x.RoomID, x.Start = b.tech2.ID, b.room2.ID, b.at(2, 9, 0)
	}))
	got, err := b.st.Appointment(b.ctx, b.desk.ID, a.ID)
	if err != nil || got.Start != a.Start || got.Note != a.Note || got.Minutes != 60 {
		t.Errorf("read back %+v, %v", got, err)
	}
	day, err := b.st.DayAppointments(b.ctx, b.desk.ID, today.AddDays(2))
	if err != nil || len(day) != 2 || day[0].ID != other.ID || day[1].ID != a.ID {
		t.Errorf("the day holds %+v, %v; want both, 09:00 first", day, err)
	}
	if day, _ := b.st.DayAppointments(b.ctx, b.desk.ID, today.AddDays(3)); len(day) != 0 {
		t.Errorf("the next day holds %d appointments", len(day))
	}
	week, err := b.st.WeekAppointments(b.ctx, b.desk.ID, data.Week{Start: today, TechnicianID: b.tech.ID})
	if err != nil || len(week) != 1 || week[0].ID != a.ID {
		t.Errorf("Priya's week: %+v, %v", week, err)
	}
	week, err = b.st.WeekAppointments(b.ctx, b.desk.ID, data.Week{Start: today, RoomID: b.room2.ID})
	if err != nil || len(week) != 1 || week[0].ID != other.ID {
		t.Errorf("room 2's week: %+v, %v", week, err)
	}
	if week, _ := b.st.WeekAppointments(b.ctx, b.desk.ID, data.Week{Start: today.AddDays(3), RoomID: b.room2.ID}); len(week) != 0 {
		t.Errorf("the week after holds %d", len(week))
	}
	next, err := b.st.NextAppointment(b.ctx, b.desk.ID, b.client.ID, TestNow)
	if err != nil || next.ID != other.ID {
		t.Errorf("next appointment %+v, %v; want the 09:00 one", next, err)
	}
	if _, err := b.st.NextAppointment(b.ctx, b.desk.ID, b.client.ID, b.at(2, 10, 0)); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("after the last one: %v; want ErrNotFound", err)
	}
}

func (ct contract) bookingRefusesWhatItCannotFind(t *testing.T) {
	b := ct.newBook(t)
	retiredRoom := b.room("Old chair")
	retiredRoom.Active = false
	if err := b.st.UpdateRoom(b.ctx, data.SystemActor, &retiredRoom); err != nil {
		t.Fatal(err)
	}
	archived := b.newClient(named("Gone", "Away"))
	if err := b.st.ArchiveClient(b.ctx, data.SystemActor, archived.ID); err != nil {
		t.Fatal(err)
	}
	otherClient := b.newClient(named("Ana", "Silva"))
	course := data.Course{ClientID: otherClient.ID, TreatmentID: b.face.ID, Sessions: 3, IntervalDays: 28}
	if err := b.st.CreateCourse(b.ctx, data.SystemActor, &course); err != nil {
		t.Fatal(err)
	}
	before := b.counts()
	for field, edit := range map[string]func(*data.Appointment){
		"client":     func(a *data.Appointment) { a.ClientID = 999 },
		"technician": func(a *data.Appointment) { a.TechnicianID = b.desk.ID },
		"room":       func(a *data.Appointment) { a.RoomID = retiredRoom.ID },
		"treatment":  func(a *data.Appointment) { a.TreatmentID = 999 },
		"course":     func(a *data.Appointment) { a.CourseID = course.ID },
		"minutes":    func(a *data.Appointment) { a.Minutes = 0 },
		"end":        func(a *data.Appointment) { a.Minutes = -15 },
		"start":      func(a *data.Appointment) { a.Start = b.at(-1, 10, 0) },
	} {
		a := b.appt(edit)
		b.refused(b.st.BookAppointment(b.ctx, b.desk.ID, &a), field, before)
	}
	a := b.appt(func(a *data.Appointment) { a.ClientID = archived.ID })
	err := b.st.BookAppointment(b.ctx, b.desk.ID, &a)
	b.refused(err, "client", before)
	if msg := data.UserMessage(err); !strings.Contains(msg, "archived") {
		t.Errorf("an archived client: %q", msg)
	}
}

// bookingInThePastIsAnOwnersAndNoted: a receptionist cannot book a
// time that has gone; an owner can, and the trail says so.
func (ct contract) bookingInThePastIsAnOwnersAndNoted(t *testing.T) {
	b := ct.newBook(t)
	past := b.appt(func(a *data.Appointment) { a.Start = b.at(-3, 10, 0) })
	err := b.st.BookAppointment(b.ctx, b.desk.ID, &past)
	if msg := data.UserMessage(err); !errors.Is(err, data.ErrInvalid) || !strings.Contains(msg, "start: is in the past") {
		t.Fatalf("a receptionist booking in the past: %v", err)
	}
	a := b.booked(b.boss.ID, past)
	b.wantAudit(b.boss.ID, data.ActionCreate, data.EntityAppointment, a.ID)
	if d := b.lastAudit().Detail; !strings.Contains(d, "already gone") {
		t.Errorf("the owner's past booking is recorded as %q", d)
	}
	if _, err := b.st.MoveAppointment(b.ctx, b.desk.ID, a.ID, a.Version, data.Slot{Start: b.at(-2, 10, 0), TechnicianID: b.tech.ID}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a receptionist moved an appointment into the past: %v", err)
	}
}

func (ct contract) everyChangeIsAuditedAndVersioned(t *testing.T) {
	b := ct.newBook(t)
	a := b.booked(b.desk.ID, b.appt())
	moved, err := b.st.MoveAppointment(b.ctx, b.desk.ID, a.ID, a.Version,
		data.Slot{Start: b.at(3, 14, 0), TechnicianID: b.tech2.ID, RoomID: b.room2.ID})
	if err != nil || moved.Version != 2 || moved.Sequence != 1 || moved.TechnicianName != "Tomás Herrera" || moved.RoomName != "Room 2" {
		t.Fatalf("moved: %+v, %v", moved, err)
	}
	b.wantAudit(b.desk.ID, data.ActionUpdate, data.EntityAppointment, a.ID)
	if d := b.lastAudit().Detail; !strings.Contains(d, "from 10:00 on Tue 24 November 2026 with Priya Raman in Room 1 to 14:00 on Wed 25 November 2026 with Tomás Herrera in Room 2") {
		t.Errorf("the move is recorded as %q", d)
	}
	// A form opened before the move saves over nothing.
	_, err = b.st.ChangeAppointmentLength(b.ctx, b.tech.ID, a.ID, a.Version, 90)
	var ce *data.ConflictError
	if !errors.As(err, &ce) || ce.By != "Sam O'Neill" || !strings.Contains(data.UserMessage(err), "Zoë O'Brien's appointment") {
		t.Fatalf("a change over a stale version: %v", err)
	}
	longer, err := b.st.ChangeAppointmentLength(b.ctx, b.tech.ID, a.ID, moved.Version, 90)
	if err != nil || longer.Minutes != 90 || !longer.End().Equal(b.at(3, 15, 30)) {
		t.Fatalf("longer: %+v, %v", longer, err)
	}
	if d := b.lastAudit().Detail; d != "length changed from 60 to 90 minutes" {
		t.Errorf("the length change is recorded as %q", d)
	}
	b.clock.Advance(b.at(3, 14, 0).Sub(b.clock.Now()) - 30*time.Minute) // the day comes: the client is half an hour early
	arrived, err := b.st.MarkAppointment(b.ctx, b.desk.ID, a.ID, longer.Version, data.StatusArrived)
	if err != nil || arrived.Status != data.StatusArrived {
		t.Fatalf("arrived: %+v, %v", arrived, err)
	}
	in, err := b.st.MarkAppointment(b.ctx, b.tech2.ID, a.ID, arrived.Version, data.StatusInTreatment)
	if err != nil || in.Status != data.StatusInTreatment || b.lastAudit().Detail != "marked in treatment" {
		t.Fatalf("in treatment: %+v, %v", in, err)
	}
	if _, err := b.st.MarkAppointment(b.ctx, b.desk.ID, a.ID, in.Version, data.StatusCompleted); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("completed by hand, without a session: %v", err)
	}
	rows, err := b.st.AuditEvents(b.ctx, data.SystemActor, data.AuditFilter{Entity: data.EntityAppointment, EntityID: a.ID, ClientID: b.client.ID})
	if n := len(rows); err != nil || n != 5 {
		t.Errorf("%d audit rows for the appointment (%v); want 5: booked, moved, longer, arrived, in treatment", n, err)
	}
}

// cancelledAndMissedStayInTheHistory: a cancelled and a missed
// appointment stay in the client's list with their reasons, free their
// time, and change no more.
func (ct contract) cancelledAndMissedStayInTheHistory(t *testing.T) {
	b := ct.newBook(t)
	first := b.booked(b.desk.ID, b.appt())
	second := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start = b.at(0, 12, 30) }))
	c, err := b.st.CancelAppointment(b.ctx, b.desk.ID, first.ID, first.Version,
		data.Cancellation{Reason: data.CancelByClient, Note: "Has a cold"})
	if err != nil || c.Status != data.StatusCancelled || c.Cancel.Note != "Has a cold" {
		t.Fatalf("cancelled: %+v, %v", c, err)
	}
	if d := b.lastAudit().Detail; d != "cancelled: Client cancelled: Has a cold" {
		t.Errorf("the cancellation is recorded as %q", d)
	}
	if _, err := b.st.MarkAppointment(b.ctx, b.desk.ID, second.ID, second.Version, data.StatusNoShow); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a no-show before the appointment began: %v", err)
	}
	b.clock.Advance(60 * time.Minute) // 13:00: the client is half an hour late
	missed, err := b.st.MarkAppointment(b.ctx, b.desk.ID, second.ID, second.Version, data.StatusNoShow)
	if err != nil || missed.Status != data.StatusNoShow {
		t.Fatalf("no-show: %+v, %v", missed, err)
	}
	list, err := b.st.ClientAppointments(b.ctx, b.desk.ID, b.client.ID)
	if err != nil || len(list) != 2 || list[0].Status != data.StatusCancelled || list[1].Status != data.StatusNoShow ||
		list[0].Cancel.Reason != data.CancelByClient {
		t.Fatalf("the client's history: %+v, %v", list, err)
	}
	// The cancelled time is free again.
	again := b.booked(b.desk.ID, b.appt())
	for _, a := range []data.Appointment{c, missed} {
		if _, err := b.st.MoveAppointment(b.ctx, b.desk.ID, a.ID, a.Version, data.Slot{Start: b.at(5, 9, 0), TechnicianID: b.tech.ID}); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("a %s appointment was moved: %v", a.Status, err)
		}
		if _, err := b.st.CancelAppointment(b.ctx, b.desk.ID, a.ID, a.Version, data.Cancellation{Reason: data.CancelByClinic}); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("a %s appointment was cancelled: %v", a.Status, err)
		}
	}
	if again.ID == first.ID {
		t.Error("the new booking took the cancelled one's row")
	}
}

func (ct contract) savedSessionCompletesItsAppointment(t *testing.T) {
	b := ct.newBook(t)
	a := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start = b.at(0, 12, 0) }))
	s := b.session(Session(b.client.ID, b.tech.ID, today))
	other := b.newClient(named("Ana", "Silva"))
	theirs := b.session(Session(other.ID, b.tech.ID, today))
	before := b.counts()
	_, err := b.st.LinkSession(b.ctx, b.tech.ID, a.ID, a.Version, theirs.ID)
	b.refused(err, "session", before)
	done, err := b.st.LinkSession(b.ctx, b.tech.ID, a.ID, a.Version, s.ID)
	if err != nil || done.Status != data.StatusCompleted || done.SessionID != s.ID {
		t.Fatalf("linked: %+v, %v", done, err)
	}
	b.wantAudit(b.tech.ID, data.ActionUpdate, data.EntityAppointment, a.ID)
	// The same session cannot complete a second appointment.
	later := b.booked(b.desk.ID, b.appt())
	_, err = b.st.LinkSession(b.ctx, b.tech.ID, later.ID, later.Version, s.ID)
	b.refused(err, "session", b.counts())
	if !strings.Contains(data.UserMessage(err), "already linked") {
		t.Errorf("a session linked twice: %q", data.UserMessage(err))
	}
}

func (ct contract) courseCountsItsSessions(t *testing.T) {
	b := ct.newBook(t)
	c := data.Course{ClientID: b.client.ID, TreatmentID: b.face.ID, Sessions: 6, IntervalDays: 28, Note: "Acne scars"}
	if err := b.st.CreateCourse(b.ctx, b.desk.ID, &c); err != nil {
		t.Fatal(err)
	}
	b.wantAudit(b.desk.ID, data.ActionCreate, data.EntityCourse, c.ID)
	inCourse := func(days int) data.Appointment {
		return b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start, a.CourseID = b.at(days, 12, 0), c.ID }))
	}
	first, second, third := inCourse(0), inCourse(28), inCourse(56)
	s := b.session(Session(b.client.ID, b.tech.ID, today))
	if _, err := b.st.LinkSession(b.ctx, b.tech.ID, first.ID, first.Version, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.st.CancelAppointment(b.ctx, b.desk.ID, second.ID, second.Version, data.Cancellation{Reason: data.CancelByClinic}); err != nil {
		t.Fatal(err)
	}
	got, err := b.st.Course(b.ctx, b.desk.ID, c.ID)
	if err != nil || got.Progress.Done != 1 || got.Progress.Booked != 1 || got.Progress.Label() != "session 2 of 6" ||
		got.TreatmentName != "Microneedling, face" {
		t.Fatalf("the course reads %+v, %v", got, err)
	}
	if a, _ := b.st.Appointment(b.ctx, b.desk.ID, third.ID); a.CourseNumber != 2 || a.CoursePlanned != 6 {
		t.Errorf("the third booking is number %d of %d; want 2 of 6 (the second was cancelled)", a.CourseNumber, a.CoursePlanned)
	}
	list, err := b.st.ClientCourses(b.ctx, b.desk.ID, b.client.ID)
	if err != nil || len(list) != 1 || list[0].Progress != got.Progress {
		t.Errorf("the client's courses: %+v, %v", list, err)
	}
	stale := c
	c.Sessions = 4
	if err := b.st.UpdateCourse(b.ctx, b.desk.ID, &c); err != nil || c.Version != 2 || c.Progress.Label() != "session 2 of 4" {
		t.Fatalf("shortened: %+v, %v", c, err)
	}
	stale.Closed = true
	if err := b.st.UpdateCourse(b.ctx, b.tech.ID, &stale); !errors.Is(err, data.ErrConflict) {
		t.Errorf("a save over a changed course: %v", err)
	}
}

func (ct contract) bookSetupIsTheOwners(t *testing.T) {
	b := ct.newBook(t)
	r := data.Room{Name: "Room 3", Active: true}
	before := b.snapshot()
	b.wantRefused(b.st.CreateRoom(b.ctx, b.desk.ID, &r), b.desk.ID, before)
	before = b.snapshot()
	tt := data.TreatmentType{Name: "Patch test", DefaultMinutes: 15, Active: true}
	b.wantRefused(b.st.CreateTreatmentType(b.ctx, b.tech.ID, &tt), b.tech.ID, before)
	w, err := b.st.WorkingHours(b.ctx, b.desk.ID, b.tech.ID)
	if err != nil || w.Set || w.Days != data.DefaultOpeningHours() {
		t.Fatalf("hours before any are saved: %+v, %v; want the clinic's", w, err)
	}
	w.Days[time.Monday] = data.DayHours{}
	before = b.snapshot()
	b.wantRefused(b.st.SaveWorkingHours(b.ctx, b.tech.ID, &w), b.tech.ID, before)
	if err := b.st.SaveWorkingHours(b.ctx, b.boss.ID, &w); err != nil || w.Version != 1 || !w.Set {
		t.Fatalf("the owner saved hours: %+v, %v", w, err)
	}
	b.wantAudit(b.boss.ID, data.ActionUpdate, data.EntityWorkingHours, b.tech.ID)
	stale := w
	w.Days[time.Tuesday] = data.DayHours{Open: data.TimeOf(12, 0), Close: data.TimeOf(20, 0)}
	if err := b.st.SaveWorkingHours(b.ctx, b.boss.ID, &w); err != nil || w.Version != 2 {
		t.Fatal(err)
	}
	if err := b.st.SaveWorkingHours(b.ctx, b.boss.ID, &stale); !errors.Is(err, data.ErrConflict) ||
		!strings.Contains(data.UserMessage(err), "Priya Raman's working hours") {
		t.Errorf("a save over changed hours: %v", err)
	}
	if got, _ := b.st.WorkingHours(b.ctx, b.desk.ID, b.tech.ID); got.Days != w.Days {
		t.Errorf("read back %+v", got.Days)
	}
	receptionistHours := data.WorkingHours{TechnicianID: b.desk.ID}
	if err := b.st.SaveWorkingHours(b.ctx, b.boss.ID, &receptionistHours); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("working hours for a receptionist: %v", err)
	}
	room := b.room1
	room.Name = "Treatment room 1"
	if err := b.st.UpdateRoom(b.ctx, b.boss.ID, &room); err != nil || room.Version != 2 {
		t.Fatal(err)
	}
	if ev := b.lastAudit(); ev.Entity != data.EntityRoom || ev.RecordName != "Treatment room 1" {
		t.Errorf("the trail names the room %q", ev.RecordName)
	}
	old := b.room1
	old.Active = false
	if err := b.st.UpdateRoom(b.ctx, b.boss.ID, &old); !errors.Is(err, data.ErrConflict) {
		t.Errorf("a save over a renamed room: %v", err)
	}
	face := b.face
	face.Active = false
	if err := b.st.UpdateTreatmentType(b.ctx, b.boss.ID, &face); err != nil {
		t.Fatal(err)
	}
	rooms, _ := b.st.Rooms(b.ctx, b.desk.ID, false)
	menu, _ := b.st.TreatmentTypes(b.ctx, b.desk.ID, false)
	all, _ := b.st.TreatmentTypes(b.ctx, b.desk.ID, true)
	if len(rooms) != 2 || rooms[1].Name != "Treatment room 1" || len(menu) != 1 || len(all) != 2 ||
		all[1].Areas[0] != data.AreaCheeks {
		t.Errorf("rooms %+v, menu %+v, all %+v", rooms, menu, all)
	}
}

// bookableStaffForEveryoneWhoSeesTheBook: the front desk, which may
// not read the staff accounts, reads who can be booked: the technicians
// and owners whose accounts are on, by name, never a receptionist or a
// switched-off account; someone unknown or switched off is refused and
// recorded.
func (ct contract) bookableStaffForEveryoneWhoSeesTheBook(t *testing.T) {
	b := ct.newBook(t)
	b.staff("Ada Front", data.RoleReceptionist)
	off := b.staff("Olga Former", data.RoleTechnician)
	off.Active, off.Version = false, 1
	if err := b.st.UpdateStaff(b.ctx, data.SystemActor, &off); err != nil {
		t.Fatal(err)
	}
	want := []data.StaffName{{ID: b.boss.ID, Name: b.boss.Name}, {ID: b.tech.ID, Name: b.tech.Name}, {ID: b.tech2.ID, Name: b.tech2.Name}}
	for _, who := range []data.Staff{b.desk, b.tech, b.boss} {
		before := b.snapshot()
		got, err := b.st.BookableStaff(b.ctx, who.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s reads %+v, %v; want %+v", who.Name, got, err, want)
		}
		if n := b.deniedRows(before); n != 0 {
			t.Errorf("%s's read wrote %d refusals", who.Name, n)
		}
	}
	for _, actor := range []int64{off.ID, 9999} {
		before := b.snapshot()
		got, err := b.st.BookableStaff(b.ctx, actor)
		if len(got) != 0 {
			t.Errorf("a refused read still listed %+v", got)
		}
		b.wantRefused(err, actor, before)
	}
}

// bookRoles: receptionists and technicians book and change
// appointments and courses, a switched-off account and an unknown one do
// nothing, and only an owner imports a history.
func (ct contract) bookRoles(t *testing.T) {
	b := ct.newBook(t)
	off := b.staff("Olga Former", data.RoleTechnician)
	off.Active = false
	off.Version = 1
	if err := b.st.UpdateStaff(b.ctx, data.SystemActor, &off); err != nil {
		t.Fatal(err)
	}
	for i, who := range []data.Staff{b.desk, b.tech, b.boss} {
		a := b.booked(who.ID, b.appt(func(a *data.Appointment) { a.Start = b.at(1+i, 15, 0) }))
		if _, err := b.st.MoveAppointment(b.ctx, who.ID, a.ID, a.Version, data.Slot{Start: b.at(1+i, 16, 0), TechnicianID: b.tech.ID}); err != nil {
			t.Errorf("%s could not move: %v", who.Name, err)
		}
	}
	for _, actor := range []int64{off.ID, 9999} {
		a := b.appt(func(a *data.Appointment) { a.Start = b.at(5, 15, 0) })
		before := b.snapshot()
		b.wantRefused(b.st.BookAppointment(b.ctx, actor, &a), actor, before)
	}
	before := b.snapshot()
	b.wantRefused(b.st.ImportAppointments(b.ctx, b.desk.ID, []data.Appointment{b.appt(func(a *data.Appointment) { a.Status = data.StatusBooked })}), b.desk.ID, before)
	history := []data.Appointment{
		b.appt(func(a *data.Appointment) {
			a.Start, a.Status = b.at(-30, 10, 0), data.StatusCompleted
			a.SessionID = b.session(Session(b.client.ID, b.tech.ID, today.AddDays(-30))).ID
		}),
		b.appt(func(a *data.Appointment) {
			a.Start, a.Status, a.Cancel = b.at(-20, 10, 0), data.StatusCancelled, data.Cancellation{Reason: data.CancelByClient}
		}),
		b.appt(func(a *data.Appointment) { a.Start = b.at(9, 10, 0) }),
	}
	for i := range history {
		if history[i].Status == "" {
			history[i].Status = data.StatusBooked
		}
	}
	if err := b.st.ImportAppointments(b.ctx, b.boss.ID, history); err != nil {
		t.Fatal(err)
	}
	list, err := b.st.ClientAppointments(b.ctx, b.desk.ID, b.client.ID)
	if err != nil || len(list) != 6 || history[0].ID == 0 || list[5].ID != history[0].ID || list[5].SessionID == 0 {
		t.Errorf("after the import the client has %+v, %v", list, err)
	}
}

// overrideReasonIsKept: a booking warned of something needs a written
// reason, which is kept with the warnings and in the audit trail; a move
// warned again keeps both reasons.
func (ct contract) overrideReasonIsKept(t *testing.T) {
	b := ct.newBook(t)
	warned := []string{"Only 12 days after the last needling session on 12/11/2026; the clinic leaves at least 28 days between needling sessions"}
	a := b.appt(func(a *data.Appointment) { a.Warnings = warned })
	b.refused(b.st.BookAppointment(b.ctx, b.desk.ID, &a), "override_reason", b.counts())
	a.OverrideReason = "Doctor agreed to a shorter gap for the wedding."
	a = b.booked(b.desk.ID, a)
	got, err := b.st.Appointment(b.ctx, b.desk.ID, a.ID)
	if err != nil || len(got.Warnings) != 1 || got.Warnings[0] != warned[0] || got.OverrideReason != a.OverrideReason {
		t.Fatalf("read back %+v, %v", got, err)
	}
	if d := b.lastAudit().Detail; !strings.Contains(d, "because: Doctor agreed") {
		t.Errorf("the audit row says %q", d)
	}
	again := []string{"Pregnant or breastfeeding"}
	_, err = b.st.MoveAppointment(b.ctx, b.desk.ID, a.ID, a.Version, data.Slot{Start: b.at(3, 10, 0), TechnicianID: b.tech.ID, Warnings: again})
	if !errors.Is(err, data.ErrInvalid) || data.FieldProblems(err)[0].Field != "override_reason" {
		t.Fatalf("a move warned of something new, without a reason: %v", err)
	}
	moved, err := b.st.MoveAppointment(b.ctx, b.desk.ID, a.ID, a.Version, data.Slot{Start: b.at(3, 10, 0),
		TechnicianID: b.tech.ID, Warnings: again, OverrideReason: "She is breastfeeding; the doctor's letter is on file."})
	if err != nil || len(moved.Warnings) != 2 || !strings.Contains(moved.OverrideReason, "wedding") ||
		!strings.Contains(moved.OverrideReason, "doctor's letter") {
		t.Fatalf("moved: %+v, %v", moved, err)
	}
}

// everyFieldReadsBack: an appointment read through the day, the
// week, the client's list and on its own is the one saved, field for
// field, with text that JSON and the names' packing must carry as typed.
func (ct contract) everyFieldReadsBack(t *testing.T) {
	b := ct.newBook(t)
	c := data.Course{ClientID: b.client.ID, TreatmentID: b.face.ID, Sessions: 3, IntervalDays: 28}
	if err := b.st.CreateCourse(b.ctx, data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	chinese := b.newClient(named("芳", "王"))
	a := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) {
		a.ClientID, a.CourseID = chinese.ID, 0
		a.Note = "She said \"no numbing\",\nthen: 'fine' — 50% off \\ [ok]"
		a.Warnings = []string{"Pregnant or breastfeeding", `A "quoted" warning`}
		a.OverrideReason = "Doctor's letter\non file"
	}))
	mine := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start, a.CourseID = b.at(3, 10, 0), c.ID }))
	for _, x := range []data.Appointment{a, mine} {
		got, err := b.st.Appointment(b.ctx, b.desk.ID, x.ID)
		if err != nil || !reflect.DeepEqual(got, x) {
			t.Errorf("read back\n%+v, %v;\nwant %+v", got, err, x)
		}
	}
	if a.ClientName != "王芳" || !strings.HasSuffix(a.Note, "[ok]") || mine.CourseNumber != 1 || mine.CoursePlanned != 3 {
		t.Errorf("booked %q %q, course %d of %d", a.ClientName, a.Note, mine.CourseNumber, mine.CoursePlanned)
	}
	day, _ := b.st.DayAppointments(b.ctx, b.desk.ID, today.AddDays(2))
	week, _ := b.st.WeekAppointments(b.ctx, b.desk.ID, data.Week{Start: today, TechnicianID: b.tech.ID})
	list, _ := b.st.ClientAppointments(b.ctx, b.desk.ID, chinese.ID)
	for _, got := range [][]data.Appointment{day, week[:1], list} {
		if len(got) != 1 || !reflect.DeepEqual(got[0], a) {
			t.Errorf("a list holds %+v; want %+v", got, a)
		}
	}
}

// sheetInputNamesTheNextBookedVisit: the aftercare sheet's input
// carries the client's first booked appointment after the session, with
// its technician; a cancelled one is not a visit, and with none booked
// the sheet has only the due date.
func (ct contract) sheetInputNamesTheNextBookedVisit(t *testing.T) {
	b := ct.newBook(t)
	s := b.session(Session(b.client.ID, b.tech.ID, today.AddDays(-1)))
	in, err := b.st.SheetInput(b.ctx, b.desk.ID, s.ID)
	if err != nil || !in.Session.NextVisit.IsZero() {
		t.Fatalf("with nothing booked: %v, %v", in.Session.NextVisit, err)
	}
	later := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start = b.at(20, 11, 0); a.TechnicianID = b.tech2.ID }))
	first := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start = b.at(10, 15, 30) }))
	in, err = b.st.SheetInput(b.ctx, b.desk.ID, s.ID)
	if err != nil || !in.Session.NextVisit.Equal(first.Start) || in.Session.NextVisitWith != b.tech.Name {
		t.Fatalf("next visit %v with %q, %v; want %v with %s", in.Session.NextVisit, in.Session.NextVisitWith, err, first.Start, b.tech.Name)
	}
	if _, err := b.st.CancelAppointment(b.ctx, b.desk.ID, first.ID, first.Version, data.Cancellation{Reason: data.CancelByClient}); err != nil {
		t.Fatal(err)
	}
	in, _ = b.st.SheetInput(b.ctx, b.desk.ID, s.ID)
	if !in.Session.NextVisit.Equal(later.Start) || in.Session.NextVisitWith != b.tech2.Name {
		t.Errorf("after the cancellation the next visit is %v with %q; want %v with %s", in.Session.NextVisit, in.Session.NextVisitWith, later.Start, b.tech2.Name)
	}
}

// aRenamedClientIsBookedUnderTheNewName: every read of the book names a
// client as they are named now. (The SQLite store keeps a copy of the
// name with each appointment for its day view; renaming the client must
// carry the new name to each, and changing anything else must not blank
// it.)
func (ct contract) aRenamedClientIsBookedUnderTheNewName(t *testing.T) {
	b := ct.newBook(t)
	a := b.booked(b.desk.ID, b.appt())
	later := b.booked(b.desk.ID, b.appt(func(x *data.Appointment) { x.Start = b.at(3, 11, 0) }))
	c, err := b.st.Client(b.ctx, data.SystemActor, b.client.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.Phone = "+44 20 7946 0000" // a change that is not the name keeps it
	if err := b.st.UpdateClient(b.ctx, b.desk.ID, &c); err != nil {
		t.Fatal(err)
	}
	if got, err := b.st.Appointment(b.ctx, b.desk.ID, a.ID); err != nil || got.ClientName != "Zoë O'Brien" {
		t.Fatalf("after a new phone number the appointment names %q (%v)", got.ClientName, err)
	}
	c.GivenName, c.FamilyName = "Zoë", "Kowalczyk"
	if err := b.st.UpdateClient(b.ctx, b.desk.ID, &c); err != nil {
		t.Fatal(err)
	}
	const want = "Zoë Kowalczyk"
	day, err := b.st.DayAppointments(b.ctx, b.desk.ID, today.AddDays(2))
	if err != nil || len(day) != 1 || day[0].ClientName != want {
		t.Errorf("the day after the rename: %+v, %v; want it under %q", day, err, want)
	}
	week, err := b.st.WeekAppointments(b.ctx, b.desk.ID, data.Week{Start: today, TechnicianID: b.tech.ID})
	if err != nil || len(week) != 2 || week[0].ClientName != want || week[1].ClientName != want {
		t.Errorf("the week after the rename: %+v, %v", week, err)
	}
	moved, err := b.st.MoveAppointment(b.ctx, b.desk.ID, later.ID, later.Version,
		data.Slot{Start: b.at(4, 11, 0), TechnicianID: later.TechnicianID, RoomID: later.RoomID})
	if err != nil || moved.ClientName != want {
		t.Errorf("moved after the rename: %+v, %v", moved, err)
	}
	next := b.booked(b.desk.ID, b.appt(func(x *data.Appointment) { x.Start = b.at(5, 9, 0) }))
	if next.ClientName != want {
		t.Errorf("booked after the rename under %q", next.ClientName)
	}
	all, err := b.st.ClientAppointments(b.ctx, b.desk.ID, b.client.ID)
	if err != nil || len(all) != 3 {
		t.Fatalf("the client's appointments: %+v, %v", all, err)
	}
	for _, x := range all {
		if x.ClientName != want {
			t.Errorf("appointment %d of the client's names %q", x.ID, x.ClientName)
		}
	}
}

// theDayNamesStaffRoomsAndTreatmentsAsTheyAreNow: the day names each
// appointment's technician, room and treatment as they are named when it
// is read, renamed here or at another workstation. (The SQLite store
// keeps the three lists in memory for its day view; a rename anywhere
// must reach it.)
func (ct contract) theDayNamesStaffRoomsAndTreatmentsAsTheyAreNow(t *testing.T) {
	b := ct.newBook(t)
	a := b.booked(b.desk.ID, b.appt())
	day := func() data.Appointment {
		t.Helper()
		got, err := b.st.DayAppointments(b.ctx, b.desk.ID, today.AddDays(2))
		if err != nil || len(got) != 1 || got[0].ID != a.ID {
			t.Fatalf("the day: %+v, %v", got, err)
		}
		return got[0]
	}
	if got := day(); got.TechnicianName != "Priya Raman" || got.RoomName != "Room 1" || got.TreatmentName != "Microneedling, face" {
		t.Fatalf("before any rename: %+v", got)
	}
	tech, err := b.st.StaffMember(b.ctx, b.boss.ID, b.tech.ID)
	if err != nil {
		t.Fatal(err)
	}
	tech.Name = "Priya Raman-Okafor"
	if err := b.st.UpdateStaff(b.ctx, b.boss.ID, &tech); err != nil {
		t.Fatal(err)
	}
	room := b.room1
	room.Name = "Garden room"
	if err := b.st.UpdateRoom(b.ctx, b.boss.ID, &room); err != nil {
		t.Fatal(err)
	}
	if got := day(); got.TechnicianName != "Priya Raman-Okafor" || got.RoomName != "Garden room" || got.TreatmentName != "Microneedling, face" {
		t.Errorf("after renaming the technician and the room here: %+v", got)
	}
	other := b.again() // another workstation
	face := b.face
	face.Name = "Collagen induction, face"
	if err := other.UpdateTreatmentType(b.ctx, b.boss.ID, &face); err != nil {
		t.Fatal(err)
	}
	if got := day(); got.TreatmentName != "Collagen induction, face" || got.RoomName != "Garden room" {
		t.Errorf("after renaming the treatment at another workstation: %+v", got)
	}
	// A technician added and booked at the other workstation is named too.
	newcomer := data.Staff{Name: "Ines Duarte", Role: data.RoleTechnician, Active: true}
	if err := other.CreateStaff(b.ctx, b.boss.ID, &newcomer); err != nil {
		t.Fatal(err)
	}
	second := b.appt(func(x *data.Appointment) { x.TechnicianID, x.RoomID, x.Start = newcomer.ID, b.room2.ID, b.at(2, 15, 0) })
	if err := other.BookAppointment(b.ctx, b.desk.ID, &second); err != nil {
		t.Fatal(err)
	}
	got, err := b.st.DayAppointments(b.ctx, b.desk.ID, today.AddDays(2))
	if err != nil || len(got) != 2 || got[1].TechnicianName != "Ines Duarte" {
		t.Errorf("after a newcomer was booked at another workstation: %+v, %v", got, err)
	}
}
