package sqlite_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// Two workstations booking the same slot at the same moment: two
// processes on one file, each booking the same technician, room and time
// in each round, released together. Exactly one booking wins each round;
// the other is refused naming it, and everything else each process books
// alongside is kept.

const (
	bookerDBEnv   = "NEEDLEDESK_BOOKER_DB"
	bookerArgsEnv = "NEEDLEDESK_BOOKER_ARGS" // client, own technician, shared technician, room, treatment, receptionist, first slot (unix), rounds
)

const bookingRounds = 200

// TestBookerChild opens the store, says "ready", and for each line on its
// input books the round's shared slot and a slot of its own technician's,
// saying "won N", or "lost N" when the shared slot was refused as a clash.
func TestBookerChild(t *testing.T) {
	path := childEnv(t, bookerDBEnv)
	var client, own, shared, room, treatment, desk, first int64
	var rounds int
	if _, err := fmt.Sscan(os.Getenv(bookerArgsEnv), &client, &own, &shared, &room, &treatment, &desk, &first, &rounds); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fmt.Println("ready")
	in := bufio.NewReader(os.Stdin)
	for i := range rounds {
		if _, err := in.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
		start := time.Unix(first, 0).Add(time.Duration(i) * time.Hour)
		a := data.Appointment{ClientID: client, TechnicianID: shared, RoomID: room, TreatmentID: treatment, Start: start, Minutes: 60}
		err := st.BookAppointment(ctx, desk, &a)
		var clash *data.BookingClash
		result := "won"
		switch {
		case errors.As(err, &clash) && clash.With.Start.Equal(start) && clash.With.ClientID != client:
			result = "lost"
		case err != nil:
			t.Fatalf("round %d: %v", i, err)
		}
		mine := data.Appointment{ClientID: client, TechnicianID: own, TreatmentID: treatment, Start: start, Minutes: 60}
		if err := st.BookAppointment(ctx, desk, &mine); err != nil {
			t.Fatalf("round %d, the process's own booking: %v", i, err)
		}
		fmt.Printf("%s %d\n", result, i)
	}
}

func TestTwoProcessesBookOneSlot(t *testing.T) {
	b := newBook(t)
	clients := []data.Client{b.client, b.env.client(named("Ana", "Silva"))}
	own := []data.Staff{b.tech2, b.staff("Chloé Martin", data.RoleTechnician)}
	// Rounds an hour apart from tomorrow at midnight, in the real clock's
	// future: the children run on the computer's own time.
	first := time.Now().Truncate(time.Hour).Add(24 * time.Hour)
	var children []*child
	for i := range clients {
		args := fmt.Sprint(clients[i].ID, own[i].ID, b.tech.ID, b.room1.ID, b.face.ID, b.desk.ID, first.Unix(), bookingRounds)
		children = append(children, startChild(t, "TestBookerChild", bookerDBEnv+"="+b.path, bookerArgsEnv+"="+args))
	}
	for _, c := range children {
		c.expect(t, "ready")
	}
	winners := map[string]int{}
	for round := range bookingRounds {
		for _, c := range children {
			if _, err := fmt.Fprintln(c.stdin, "go"); err != nil {
				t.Fatal(err)
			}
		}
		won := 0
		for i, c := range children {
			line := c.expect(t, "")
			if line == "won "+strconv.Itoa(round) {
				won++
				winners[clients[i].GivenName]++
			} else if line != "lost "+strconv.Itoa(round) {
				t.Fatalf("round %d: child %d said %q", round, i, line)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d bookings won the one slot", round, won)
		}
	}
	for _, c := range children {
		c.stdin.Close()
		c.finish(t)
	}
	t.Logf("slots won: %v", winners)
	b.wantBooked(first)
}

// wantBooked checks the file after the race: one appointment per shared
// slot, every process's own bookings, an audit row for each, and a
// sound file.
func (b *book) wantBooked(first time.Time) {
	t := b.t
	db := b.st.WriterForTest()
	var shared, distinct, owned, audited int
	err := db.QueryRowContext(b.ctx, `SELECT count(*), count(DISTINCT start_at) FROM appointment WHERE technician_id = ?`,
		b.tech.ID).Scan(&shared, &distinct)
	if err != nil || shared != bookingRounds || distinct != bookingRounds {
		t.Errorf("the shared technician holds %d appointments at %d times (%v); want %d at %d", shared, distinct, err, bookingRounds, bookingRounds)
	}
	err = db.QueryRowContext(b.ctx, `SELECT count(*) FROM appointment WHERE technician_id != ?`, b.tech.ID).Scan(&owned)
	if err != nil || owned != 2*bookingRounds {
		t.Errorf("%d of the processes' own bookings are kept (%v); want %d", owned, err, 2*bookingRounds)
	}
	err = db.QueryRowContext(b.ctx, `SELECT count(*) FROM audit_event WHERE entity = 'appointment' AND action = 'create'`).Scan(&audited)
	if err != nil || audited != 3*bookingRounds {
		t.Errorf("%d booking audit rows (%v); want %d", audited, err, 3*bookingRounds)
	}
	var firstStart string
	if err := db.QueryRowContext(b.ctx, `SELECT min(start_at) FROM appointment`).Scan(&firstStart); err != nil ||
		firstStart[:16] != first.UTC().Format("2006-01-02T15:04") {
		t.Errorf("the first slot is %s (%v); want %s", firstStart, err, first.UTC())
	}
	b.wantIntact()
	rep, err := sqlite.Check(b.ctx, b.path)
	if err != nil || len(rep.Problems) != 0 {
		t.Errorf("check after the race: %v %v", err, rep.Problems)
	}
}
