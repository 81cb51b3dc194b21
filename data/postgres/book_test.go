package postgres_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
	"needledesk/data/storetest"
)

// What only the PostgreSQL store's book has to show: the database's own
// refusals, the booking's transaction, a session linked to an
// appointment (until this store saves sessions, written here by hand).
// Everything else about the book is the contract (data/storetest).

// pgBook is a clinic on its own database with one technician, a room, a
// treatment and a client who agreed to e-mail reminders, with a raw
// connection beside the store, as a database tool would have.
type pgBook struct {
	st     *postgres.Store
	db     *pgx.Conn
	clock  *storetest.Clock
	desk   data.Staff
	tech   data.Staff
	room   data.Room
	face   data.TreatmentType
	client data.Client
}

func newPGBook(t *testing.T) *pgBook {
	t.Helper()
	ctx := t.Context()
	url := pgtest.NewDatabase(t)
	b := &pgBook{clock: storetest.NewClock(storetest.TestNow)}
	var err error
	if b.st, err = postgres.Open(ctx, url, postgres.WithClock(b.clock.Now)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.st.Close() })
	if b.db, err = pgx.Connect(ctx, url); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.db.Close(ctx) })
	b.desk = data.Staff{Name: "Sam O'Neill", Role: data.RoleReceptionist, Active: true}
	b.tech = data.Staff{Name: "Priya Raman", Role: data.RoleTechnician, Active: true}
	b.room = data.Room{Name: "Room 1", Active: true}
	b.face = data.TreatmentType{Name: "Microneedling, face", DefaultMinutes: 60, Needling: true, Active: true}
	b.client = data.Client{GivenName: "Zoë", FamilyName: "O'Brien", DateOfBirth: data.NewDate(1990, time.March, 14),
		Email: "zoe@example.com", EmailReminders: true}
	err = errors.Join(b.st.CreateStaff(ctx, data.SystemActor, &b.desk), b.st.CreateStaff(ctx, data.SystemActor, &b.tech),
		b.st.CreateRoom(ctx, data.SystemActor, &b.room), b.st.CreateTreatmentType(ctx, data.SystemActor, &b.face),
		b.st.CreateClient(ctx, data.SystemActor, &b.client))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// appt is an hour with Priya in room 1, two days from now at 10:00 UTC.
func (b *pgBook) appt() data.Appointment {
	return data.Appointment{ClientID: b.client.ID, TechnicianID: b.tech.ID, RoomID: b.room.ID, TreatmentID: b.face.ID,
		Start: storetest.TestNow.Add(46 * time.Hour), Minutes: 60}
}

func (b *pgBook) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := b.db.QueryRow(t.Context(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTheServerRefusesADoubleBooking: a clash written behind the store (a
// database tool, an older copy of NeedleDesk) is refused by the database
// itself; a change that clashes with nothing is not.
func TestTheServerRefusesADoubleBooking(t *testing.T) {
	b := newPGBook(t)
	held := b.appt()
	if err := b.st.BookAppointment(t.Context(), b.desk.ID, &held); err != nil {
		t.Fatal(err)
	}
	_, err := b.db.Exec(t.Context(), `INSERT INTO appointment (client_id, technician_id, treatment_id, start_at, end_at,
		minutes, status, created_at, created_by, updated_at, updated_by)
		SELECT client_id, technician_id, treatment_id, '2026-11-24T10:59:00.000000000Z', '2026-11-24T11:30:00.000000000Z',
			31, 'booked', created_at, 0, updated_at, 0 FROM appointment WHERE id = $1`, held.ID)
	if err == nil || !strings.Contains(err.Error(), "appointment clash") {
		t.Fatalf("a clash written behind the store: %v", err)
	}
	if _, err := b.db.Exec(t.Context(), `UPDATE appointment SET room_id = NULL WHERE id = $1`, held.ID); err != nil {
		t.Fatalf("a change that clashes with nothing: %v", err)
	}
	var stored string
	if err := b.db.QueryRow(t.Context(), `SELECT start_at FROM appointment WHERE id = $1`, held.ID).Scan(&stored); err != nil ||
		stored != "2026-11-24T10:00:00.000000000Z" {
		t.Errorf("kept as %q (%v); want the UTC instant, fixed width", stored, err)
	}
}

// TestMessagesAreQueuedInTheBookingsTransaction: when the booking fails
// after its messages were queued (here its audit row is refused), neither
// the appointment nor its messages are kept.
func TestMessagesAreQueuedInTheBookingsTransaction(t *testing.T) {
	b := newPGBook(t)
	_, err := b.db.Exec(t.Context(), `CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'refused by the test'; END; $$;
		CREATE TRIGGER test_refuse BEFORE INSERT ON audit_event FOR EACH ROW
		WHEN (NEW.entity = 'appointment') EXECUTE FUNCTION test_refuse()`)
	if err != nil {
		t.Fatal(err)
	}
	a := b.appt()
	if err := b.st.BookAppointment(t.Context(), b.desk.ID, &a); err == nil || !strings.Contains(err.Error(), "refused by the test") {
		t.Fatalf("booking with its audit row refused: %v", err)
	}
	for _, table := range []string{"appointment", "outbox"} {
		if n := b.count(t, table); n != 0 {
			t.Errorf("%s has %d rows after the failed booking; want none", table, n)
		}
	}
	if _, err := b.db.Exec(t.Context(), `DROP TRIGGER test_refuse ON audit_event`); err != nil {
		t.Fatal(err)
	}
	if err := b.st.BookAppointment(t.Context(), b.desk.ID, &a); err != nil {
		t.Fatal(err)
	}
	if n := b.count(t, "outbox"); n != 2 {
		t.Errorf("the booking queued %d messages; want a confirmation and a reminder", n)
	}
}

// TestLinkingASessionCompletesTheAppointment: a session saved for the
// appointment's client completes it (and withdraws its messages); another
// client's session, or one already linked, is refused. The session is
// written by hand: this store does not save sessions yet.
func TestLinkingASessionCompletesTheAppointment(t *testing.T) {
	b := newPGBook(t)
	ctx := t.Context()
	a := b.appt()
	a.Start = storetest.TestNow.Add(30 * time.Minute)
	if err := b.st.BookAppointment(ctx, b.desk.ID, &a); err != nil {
		t.Fatal(err)
	}
	other := data.Client{GivenName: "Ana", FamilyName: "Silva", DateOfBirth: data.NewDate(1985, time.May, 1), Phone: "+1 555 010 0000"}
	if err := b.st.CreateClient(ctx, data.SystemActor, &other); err != nil {
		t.Fatal(err)
	}
	session := func(clientID int64) int64 {
		var id int64
		err := b.db.QueryRow(ctx, `INSERT INTO session (client_id, technician_id, started_at, created_at, updated_at)
			VALUES ($1, $2, '2026-11-22T12:30:00.000000000Z', '2026-11-22T13:30:00.000000000Z', '2026-11-22T13:30:00.000000000Z')
			RETURNING id`, clientID, b.tech.ID).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	mine, theirs := session(b.client.ID), session(other.ID)
	b.clock.Advance(90 * time.Minute)
	_, err := b.st.LinkSession(ctx, b.tech.ID, a.ID, a.Version, theirs)
	if !errors.Is(err, data.ErrInvalid) || !strings.Contains(data.UserMessage(err), "another client's session") {
		t.Fatalf("linking another client's session: %v", err)
	}
	done, err := b.st.LinkSession(ctx, b.tech.ID, a.ID, a.Version, mine)
	if err != nil || done.Status != data.StatusCompleted || done.SessionID != mine || done.Version != 2 {
		t.Fatalf("linked: %+v, %v", done, err)
	}
	ms, err := b.st.AppointmentMessages(ctx, b.desk.ID, a.ID)
	if err != nil || len(ms) != 1 || ms[0].State != data.OutboxWithdrawn {
		t.Errorf("the completed appointment's messages: %+v, %v; want its confirmation withdrawn", ms, err)
	}
	later := b.appt()
	if err := b.st.BookAppointment(ctx, b.desk.ID, &later); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(later.Start.Sub(b.clock.Now()) + time.Minute)
	_, err = b.st.LinkSession(ctx, b.tech.ID, later.ID, later.Version, mine)
	if !errors.Is(err, data.ErrInvalid) || !strings.Contains(data.UserMessage(err), "already linked") {
		t.Errorf("a session linked twice: %v", err)
	}
	events, err := b.st.AuditEvents(ctx, data.SystemActor, data.AuditFilter{Entity: data.EntityAppointment, EntityID: a.ID})
	if err != nil || len(events) != 2 || events[0].Detail != "completed: session "+strconv.FormatInt(mine, 10)+" was saved for it" {
		t.Errorf("the appointment's trail: %+v, %v", events, err)
	}
}
