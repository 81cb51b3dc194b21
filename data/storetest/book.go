package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// The appointment book's contract: booking, changing and reading
// appointments, the book's set-up, courses and the outbox, as both
// stores must keep it (moved here from data/sqlite's tests).

func (c contract) runBook(t *testing.T) {
	t.Run("BookAndReadTheBook", c.bookAndReadTheBook)
	t.Run("BookingRefusesWhatItCannotFind", c.bookingRefusesWhatItCannotFind)
	t.Run("BookingInThePastIsAnOwnersAndNoted", c.bookingInThePastIsAnOwnersAndNoted)
	t.Run("EveryChangeIsAuditedAndVersioned", c.everyChangeIsAuditedAndVersioned)
	t.Run("CancelledAndMissedStayInTheHistory", c.cancelledAndMissedStayInTheHistory)
	t.Run("SavedSessionCompletesItsAppointment", c.savedSessionCompletesItsAppointment)
	t.Run("CourseCountsItsSessions", c.courseCountsItsSessions)
	t.Run("BookSetupIsTheOwners", c.bookSetupIsTheOwners)
	t.Run("BookableStaffForEveryoneWhoSeesTheBook", c.bookableStaffForEveryoneWhoSeesTheBook)
	t.Run("BookRoles", c.bookRoles)
	t.Run("OverrideReasonIsKept", c.overrideReasonIsKept)
	t.Run("EveryFieldReadsBack", c.everyFieldReadsBack)
	t.Run("ARenamedClientIsBookedUnderTheNewName", c.aRenamedClientIsBookedUnderTheNewName)
	t.Run("TheDayNamesStaffRoomsAndTreatmentsAsTheyAreNow", c.theDayNamesStaffRoomsAndTreatmentsAsTheyAreNow)
	t.Run("SheetInputNamesTheNextBookedVisit", c.sheetInputNamesTheNextBookedVisit)
	t.Run("NeverDoubleBooked", c.neverDoubleBooked)
	t.Run("AnImportHoldingAClashIsRefused", c.anImportHoldingAClashIsRefused)
	t.Run("NoDoubleBookingFromTwoWorkstations", c.noDoubleBookingFromTwoWorkstations)
	t.Run("TwoWorkstationsChangeOneAppointment", c.twoWorkstationsChangeOneAppointment)
	t.Run("TenOClockOnTheDaysTheClocksChange", c.tenOClockOnTheDaysTheClocksChange)
	t.Run("BookSettingsAreKept", c.bookSettingsAreKept)
	t.Run("NewClinicTakesTheComputersZone", c.newClinicTakesTheComputersZone)
	t.Run("EmailReminderConsentIsKept", c.emailReminderConsentIsKept)
	t.Run("BookingQueuesAConfirmationAndAReminder", c.bookingQueuesAConfirmationAndAReminder)
	t.Run("MovedCancelledAndMissed", c.movedCancelledAndMissed)
	t.Run("ClaimLeaseSentFailedRetried", c.claimLeaseSentFailedRetried)
	t.Run("ClaimedItemSaysWhatTheBookSays", c.claimedItemSaysWhatTheBookSays)
	t.Run("TwoSendersNeverTakeTheSameMessage", c.twoSendersNeverTakeTheSameMessage)
	t.Run("TheOutboxIsTheOwners", c.theOutboxIsTheOwners)
}

// book is a small clinic in London with the appointment book set up: two
// technicians, a receptionist, an owner, two rooms, two treatments and a
// client who agreed to e-mail reminders. TestNow is Sunday 22 November
// 2026, noon; London is on GMT.
type book struct {
	t                 *testing.T
	ctx               context.Context
	c                 contract
	st                data.Store
	clock             *Clock
	loc               *time.Location
	tech, tech2, desk data.Staff
	boss              data.Staff
	room1, room2      data.Room
	face, consult     data.TreatmentType
	client            data.Client
}

func (c contract) newBook(t *testing.T) *book {
	t.Helper()
	clock := NewClock(TestNow)
	st := c.open(t, clock.Now)
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	b := &book{t: t, ctx: t.Context(), c: c, st: st, clock: clock}
	s, err := st.Settings(b.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	s.ClinicName, s.TimeZone = "Lumen Skin Studio", "Europe/London"
	if err := st.SaveSettings(b.ctx, data.SystemActor, &s); err != nil {
		t.Fatal(err)
	}
	b.loc = s.Location()
	b.tech = b.staff("Priya Raman", data.RoleTechnician)
	b.tech2 = b.staff("Tomás Herrera", data.RoleTechnician)
	b.desk = b.staff("Sam O'Neill", data.RoleReceptionist)
	b.boss = b.staff("Maya Lindqvist", data.RoleOwner)
	b.room1, b.room2 = b.room("Room 1"), b.room("Room 2")
	b.face = b.treatment(data.TreatmentType{Name: "Microneedling, face", DefaultMinutes: 60,
		Areas: []data.Area{data.AreaCheeks, data.AreaForehead}, Needling: true, Active: true})
	b.consult = b.treatment(data.TreatmentType{Name: "Consultation", DefaultMinutes: 30, Active: true})
	b.client = b.newClient(func(c *data.Client) { c.EmailReminders = true })
	return b
}

// again opens a second handle onto the book's clinic, on the same clock,
// as a second workstation would.
func (b *book) again() data.Store {
	b.t.Helper()
	other := b.c.again(b.t, b.st, b.clock.Now)
	b.t.Cleanup(func() { _ = other.Close() })
	return other
}

func (b *book) staff(name string, role data.Role) data.Staff {
	b.t.Helper()
	s := data.Staff{Name: name, Role: role, Active: true}
	if err := b.st.CreateStaff(b.ctx, data.SystemActor, &s); err != nil {
		b.t.Fatalf("CreateStaff(%s): %v", name, err)
	}
	return s
}

func (b *book) room(name string) data.Room {
	b.t.Helper()
	r := data.Room{Name: name, Active: true}
	if err := b.st.CreateRoom(b.ctx, data.SystemActor, &r); err != nil {
		b.t.Fatal(err)
	}
	return r
}

func (b *book) treatment(t data.TreatmentType) data.TreatmentType {
	b.t.Helper()
	if err := b.st.CreateTreatmentType(b.ctx, data.SystemActor, &t); err != nil {
		b.t.Fatal(err)
	}
	return t
}

// bookClient is a client every check accepts; edits change it.
func bookClient(edits ...func(*data.Client)) data.Client {
	c := data.Client{
		GivenName:   "Zoë",
		FamilyName:  "O'Brien",
		DateOfBirth: data.NewDate(1990, time.March, 14),
		Phone:       "+44 20 7946 0958",
		Email:       "zoe@example.com",
	}
	for _, e := range edits {
		e(&c)
	}
	return c
}

func (b *book) newClient(edits ...func(*data.Client)) data.Client {
	b.t.Helper()
	c := bookClient(edits...)
	if err := b.st.CreateClient(b.ctx, data.SystemActor, &c); err != nil {
		b.t.Fatalf("CreateClient(%s): %v", c.FullName(), err)
	}
	return c
}

// session saves s.
func (b *book) session(s data.Session) data.Session {
	b.t.Helper()
	if err := b.st.CreateSession(b.ctx, data.SystemActor, &s); err != nil {
		b.t.Fatalf("CreateSession: %v", err)
	}
	return s
}

// at is the instant of a London wall-clock time, days after TestNow's day.
func (b *book) at(days, h, m int) time.Time {
	return data.At(today.AddDays(days), data.TimeOf(h, m), b.loc)
}

// appt is a face treatment for the client with tech in room 1, two days
// from now at 10:00 London time, for an hour; edits change it.
func (b *book) appt(edits ...func(*data.Appointment)) data.Appointment {
	a := data.Appointment{ClientID: b.client.ID, TechnicianID: b.tech.ID, RoomID: b.room1.ID, TreatmentID: b.face.ID,
		Start: b.at(2, 10, 0), Minutes: 60, Note: "First visit; bring the patch test result."}
	for _, e := range edits {
		e(&a)
	}
	return a
}

// booked books a as actor and fails the test if it cannot.
func (b *book) booked(actor int64, a data.Appointment) data.Appointment {
	b.t.Helper()
	if err := b.st.BookAppointment(b.ctx, actor, &a); err != nil {
		b.t.Fatalf("BookAppointment: %v", err)
	}
	return a
}

// audit is the whole trail, newest first.
func (b *book) audit() []data.AuditEvent {
	b.t.Helper()
	evs, err := b.st.AuditEvents(b.ctx, data.SystemActor, data.AuditFilter{Limit: 10000})
	if err != nil {
		b.t.Fatalf("AuditEvents: %v", err)
	}
	return evs
}

// lastAudit is the newest audit event.
func (b *book) lastAudit() data.AuditEvent {
	b.t.Helper()
	evs, err := b.st.AuditEvents(b.ctx, data.SystemActor, data.AuditFilter{Limit: 1})
	if err != nil || len(evs) != 1 {
		b.t.Fatalf("AuditEvents: %v (%d events)", err, len(evs))
	}
	return evs[0]
}

// wantAudit checks the newest audit event says what the change was.
func (b *book) wantAudit(actor int64, action data.Action, entity data.Entity, id int64) {
	b.t.Helper()
	got := b.lastAudit()
	if got.ActorID != actor || got.Action != action || got.Entity != entity || got.EntityID != id {
		b.t.Errorf("last audit event = %+v; want actor %d %s %s %d", got, actor, action, entity, id)
	}
	if !got.At.Equal(b.clock.Now()) {
		b.t.Errorf("audit event at %v; want the store's clock, %v", got.At, b.clock.Now())
	}
}

// clients is every client, archived ones too.
func (b *book) clients() []data.ClientSummary {
	b.t.Helper()
	cs, err := b.st.FindClients(b.ctx, data.SystemActor, data.ClientFilter{State: data.AnyState, Limit: 1000})
	if err != nil {
		b.t.Fatal(err)
	}
	return cs
}

// tally counts what a refused write must not add to: the appointments,
// the audit trail and the outbox.
type tally struct{ appointments, audit, outbox int }

func (b *book) counts() tally {
	b.t.Helper()
	var n tally
	for _, c := range b.clients() {
		as, err := b.st.ClientAppointments(b.ctx, data.SystemActor, c.ID)
		if err != nil {
			b.t.Fatal(err)
		}
		n.appointments += len(as)
	}
	n.audit = len(b.audit())
	ms, err := b.st.Outbox(b.ctx, data.SystemActor, data.OutboxFilter{Limit: 1000})
	if err != nil {
		b.t.Fatal(err)
	}
	n.outbox = len(ms)
	return n
}

// unchanged fails the test when the counts moved since before.
func (b *book) unchanged(before tally, after string) {
	b.t.Helper()
	if now := b.counts(); now != before {
		b.t.Errorf("after %s: %d appointments, %d audit rows, %d messages; want %d, %d, %d", after,
			now.appointments, now.audit, now.outbox, before.appointments, before.audit, before.outbox)
	}
}

// refused checks err is a validation error naming field, and that
// nothing was written.
func (b *book) refused(err error, field string, before tally) {
	b.t.Helper()
	if !errors.Is(err, data.ErrInvalid) {
		b.t.Fatalf("error = %v; want data.ErrInvalid", err)
	}
	var ve *data.ValidationError
	if !errors.As(err, &ve) || ve.For(field) == "" {
		b.t.Errorf("error %v does not name the field %q", err, field)
	}
	b.unchanged(before, "a refused write")
}

// state is everything the book holds, read through the store, as text
// (the trail apart): two states are equal when nothing in the book
// changed.
type state struct {
	book  map[string]string
	audit []data.AuditEvent
}

func (b *book) snapshot() state {
	b.t.Helper()
	sys := data.SystemActor
	out := state{book: map[string]string{}, audit: b.audit()}
	put := func(key string, v any, err error) {
		if err != nil {
			b.t.Fatalf("reading %s: %v", key, err)
		}
		out.book[key] = fmt.Sprintf("%+v", v)
	}
	rooms, err := b.st.Rooms(b.ctx, sys, true)
	put("rooms", rooms, err)
	menu, err := b.st.TreatmentTypes(b.ctx, sys, true)
	put("treatments", menu, err)
	staff, err := b.st.StaffList(b.ctx, sys, true)
	put("staff", staff, err)
	for _, s := range staff {
		if s.Role != data.RoleReceptionist {
			w, err := b.st.WorkingHours(b.ctx, sys, s.ID)
			put(fmt.Sprintf("hours of %d", s.ID), w, err)
		}
	}
	for _, c := range b.clients() {
		as, err := b.st.ClientAppointments(b.ctx, sys, c.ID)
		put(fmt.Sprintf("appointments of %d", c.ID), as, err)
		cs, err := b.st.ClientCourses(b.ctx, sys, c.ID)
		put(fmt.Sprintf("courses of %d", c.ID), cs, err)
	}
	ms, err := b.st.Outbox(b.ctx, sys, data.OutboxFilter{Limit: 1000})
	put("outbox", ms, err)
	return out
}

// wantRefused checks err refuses the actor (ErrForbidden, in words), that
// the book did not change, and that the refusal is the one row the trail
// gained.
func (b *book) wantRefused(err error, actor int64, before state) {
	b.t.Helper()
	if !errors.Is(err, data.ErrForbidden) {
		b.t.Fatalf("error = %v; want data.ErrForbidden", err)
	}
	var fe *data.ForbiddenError
	if msg := data.UserMessage(err); !errors.As(err, &fe) || !strings.Contains(msg, fe.Message) || strings.Contains(msg, "Something went wrong") {
		b.t.Errorf("the message for a refusal reads %q", msg)
	}
	after := b.snapshot()
	for _, key := range sortedKeys(before.book) {
		if before.book[key] != after.book[key] {
			b.t.Errorf("a refused action changed %s:\nbefore %s\nafter  %s", key, before.book[key], after.book[key])
		}
	}
	if got, want := len(after.audit), len(before.audit)+1; got != want {
		b.t.Fatalf("the audit trail has %d rows after a refusal; want %d", got, want)
	}
	last := after.audit[0]
	if last.Action != data.ActionDenied || last.ActorID != actor || !last.At.Equal(b.clock.Now()) {
		b.t.Errorf("the refusal was recorded as %+v; want a denied row by %d", last, actor)
	}
}

// deniedRows counts the refusals recorded since before.
func (b *book) deniedRows(before state) int {
	b.t.Helper()
	var newest int64
	if len(before.audit) > 0 {
		newest = before.audit[0].ID
	}
	n := 0
	for _, e := range b.audit() {
		if e.ID > newest && e.Action == data.ActionDenied {
			n++
		}
	}
	return n
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
