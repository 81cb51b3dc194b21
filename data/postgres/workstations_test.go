package postgres_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
)

// Two workstations are two programs on one database: these tests run the
// test binary again as each (workstationMain), so that nothing is shared
// between them but the server.

// workstation is the test binary running as one workstation.
type workstation struct {
	cmd    *exec.Cmd
	lines  chan string // what it says it committed, line by line; closed at its end
	stderr *bytes.Buffer
}

func startWorkstation(t *testing.T, env ...string) *workstation {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	w := &workstation{cmd: cmd, lines: make(chan string, 4096), stderr: &bytes.Buffer{}}
	cmd.Stderr = w.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(w.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "committed ") {
				w.lines <- sc.Text()
			}
		}
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return w
}

// committed is what a workstation said it committed: client IDs, and
// appointment IDs.
type committed struct{ clients, appointments []int64 }

func (w *workstation) read(c *committed, line string) {
	var client, appt int64
	if _, err := fmt.Sscanf(line, "committed client %d appointment %d", &client, &appt); err == nil {
		c.clients = append(c.clients, client)
		c.appointments = append(c.appointments, appt)
	}
}

// bookSetUp is what both workstations book with: a technician each and a
// line of the menu.
func bookSetUp(t *testing.T, st *postgres.Store) (techs [2]int64, treatment int64) {
	t.Helper()
	ctx := t.Context()
	for i := range techs {
		s := data.Staff{Name: []string{"Priya Raman", "Tomás Herrera"}[i], Role: data.RoleTechnician, Active: true}
		if err := st.CreateStaff(ctx, data.SystemActor, &s); err != nil {
			t.Fatal(err)
		}
		techs[i] = s.ID
	}
	tt := data.TreatmentType{Name: "Microneedling, face", DefaultMinutes: 30, Areas: []data.Area{data.AreaCheeks}, Needling: true, Active: true}
	if err := st.CreateTreatmentType(ctx, data.SystemActor, &tt); err != nil {
		t.Fatal(err)
	}
	return techs, tt.ID
}

// workstation runs this test binary as one workstation (TestMain sends
// it here when NEEDLEDESK_PG_URL is set): it registers clients and books
// each an appointment with its technician, one after another, saying each
// once committed, until it has done NEEDLEDESK_PG_COUNT (0: until killed).
// It returns the exit status.
func workstationMain() int {
	url := os.Getenv("NEEDLEDESK_PG_URL")
	name := os.Getenv("NEEDLEDESK_PG_NAME")
	tech, _ := strconv.ParseInt(os.Getenv("NEEDLEDESK_PG_TECH"), 10, 64)
	treatment, _ := strconv.ParseInt(os.Getenv("NEEDLEDESK_PG_TREATMENT"), 10, 64)
	count, _ := strconv.Atoi(os.Getenv("NEEDLEDESK_PG_COUNT"))
	ctx := context.Background()
	st, err := postgres.Open(ctx, url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer st.Close()
	start := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; count == 0 || i < count; i++ {
		c := data.Client{GivenName: name, FamilyName: "Client", DateOfBirth: data.NewDate(1990, 1, 1),
			Phone: fmt.Sprintf("+44 20 7946 %04d", i)}
		if err := st.CreateClient(ctx, data.SystemActor, &c); err != nil {
			fmt.Fprintf(os.Stderr, "client %d: %v\n", i, err)
			return 1
		}
		a := data.Appointment{ClientID: c.ID, TechnicianID: tech, TreatmentID: treatment,
			Start: start.Add(time.Duration(i) * 30 * time.Minute), Minutes: 30}
		if err := st.BookAppointment(ctx, data.SystemActor, &a); err != nil {
			fmt.Fprintf(os.Stderr, "appointment %d: %v\n", i, err)
			return 1
		}
		fmt.Printf("committed client %d appointment %d\n", c.ID, a.ID)
	}
	return 0
}

// TestTwoWorkstationsWriteAtOnce: two programs register clients and book
// them at the same moment on one database; every one is kept, the audit
// trail is one chain and verifies, with a row for each.
func TestTwoWorkstationsWriteAtOnce(t *testing.T) {
	url := pgtest.NewDatabase(t)
	st := openStore(t, url)
	techs, treatment := bookSetUp(t, st)
	const each = 60
	var ws []*workstation
	for i, name := range []string{"Front", "Room"} {
		ws = append(ws, startWorkstation(t, "NEEDLEDESK_PG_URL="+url, "NEEDLEDESK_PG_NAME="+name,
			fmt.Sprint("NEEDLEDESK_PG_TECH=", techs[i]), fmt.Sprint("NEEDLEDESK_PG_TREATMENT=", treatment),
			fmt.Sprint("NEEDLEDESK_PG_COUNT=", each)))
	}
	var all committed
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for line := range w.lines {
				mu.Lock()
				w.read(&all, line)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, w := range ws {
		if err := w.cmd.Wait(); err != nil {
			t.Fatalf("a workstation failed: %v\n%s", err, w.stderr)
		}
	}
	if len(all.clients) != 2*each {
		t.Fatalf("the workstations committed %d clients; want %d", len(all.clients), 2*each)
	}
	checkKept(t, st, all)
}

// TestAWorkstationKilledMidSaveLosesNothingCommitted: a workstation killed
// (SIGKILL) while it saves loses nothing it had committed, leaves nothing
// half-written, and the other workstations go on writing.
func TestAWorkstationKilledMidSaveLosesNothingCommitted(t *testing.T) {
	url := pgtest.NewDatabase(t)
	st := openStore(t, url)
	techs, treatment := bookSetUp(t, st)
	w := startWorkstation(t, "NEEDLEDESK_PG_URL="+url, "NEEDLEDESK_PG_NAME=Front",
		fmt.Sprint("NEEDLEDESK_PG_TECH=", techs[0]), fmt.Sprint("NEEDLEDESK_PG_TREATMENT=", treatment), "NEEDLEDESK_PG_COUNT=0")
	var done committed
	for line := range w.lines {
		w.read(&done, line)
		if len(done.clients) == 25 {
			break
		}
	}
	if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = w.cmd.Wait()
	for line := range w.lines { // said before it died
		w.read(&done, line)
	}
	if len(done.clients) < 25 {
		t.Fatalf("the workstation committed only %d clients before it was killed:\n%s", len(done.clients), w.stderr)
	}
	// Whatever it was saving when killed is either whole or absent: every
	// client has its appointment, and the chain verifies.
	list, err := st.FindClients(t.Context(), data.SystemActor, data.ClientFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(list); n != len(done.clients) && n != len(done.clients)+1 {
		t.Errorf("%d clients after the kill; %d were committed (one more may have committed unsaid)", n, len(done.clients))
	}
	checkKept(t, st, done)
	// The others go on: a new client is saved at once.
	c := data.Client{GivenName: "After", FamilyName: "Kill", DateOfBirth: data.NewDate(1980, 1, 1), Phone: "+44 20 7946 9999"}
	ctx, cancel := context.WithTimeout(t.Context(), waitLimit)
	defer cancel()
	if err := st.CreateClient(ctx, data.SystemActor, &c); err != nil {
		t.Fatalf("saving after the other workstation was killed: %v", err)
	}
}

// checkKept checks that every client and appointment said committed is
// there, and that the audit chain verifies.
func checkKept(t *testing.T, st *postgres.Store, c committed) {
	t.Helper()
	ctx := t.Context()
	for i, id := range c.clients {
		if _, err := st.Client(ctx, data.SystemActor, id); err != nil {
			t.Fatalf("client %d, said committed, is not there: %v", id, err)
		}
		if _, err := st.Appointment(ctx, data.SystemActor, c.appointments[i]); err != nil {
			t.Fatalf("appointment %d, said committed, is not there: %v", c.appointments[i], err)
		}
	}
	rep, err := st.VerifyAuditChain(ctx)
	if err != nil || rep.Problem != "" {
		t.Fatalf("the audit chain after two workstations: %v %s", err, rep.Problem)
	}
	var creates int
	events, err := st.AuditEvents(ctx, data.SystemActor, data.AuditFilter{Action: data.ActionCreate, Entity: data.EntityClient, Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	creates = len(events)
	if creates < len(c.clients) {
		t.Errorf("%d client creations in the trail; want at least %d", creates, len(c.clients))
	}
}
