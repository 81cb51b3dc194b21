package sqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// crashKills is how many times TestCrashKeepsEveryCommittedSession kills
// its writer.
const crashKills = 200

// Environment of the crash child: the database and the first sequence
// number to write.
const (
	crashDBEnv   = "NEEDLEDESK_CRASH_DB"
	crashSeqEnv  = "NEEDLEDESK_CRASH_SEQ"
	crashSeedEnv = "NEEDLEDESK_CRASH_SEED" // set to replay a failed run
)

// The crash database holds one technician, client and product, made
// before the first child runs, so their IDs are all 1.
const crashRef int64 = 1

// crashSession is the session with sequence number seq. Everything in it
// follows from seq, so the parent can tell exactly what the child wrote:
// one to four areas with their depths, a recommendation, notes of varying
// length.
func crashSession(seq int) data.Session {
	started := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(seq) * time.Minute)
	areas := make([]data.AreaTreatment, 1+seq%4)
	for i := range areas {
		// 13 areas: steps of 3 never meet the same one within four.
		areas[i] = data.AreaTreatment{Area: data.Areas[(seq+3*i)%len(data.Areas)], DepthMM: float64(1+(seq+i)%30) / 10}
	}
	return data.Session{
		ClientID: crashRef, TechnicianID: crashRef, StartedAt: started, Areas: areas,
		Device: fmt.Sprintf("Pen %d", seq), NeedleLot: fmt.Sprintf("SEQ-%d", seq), Passes: seq % 21,
		Notes:           fmt.Sprintf("Séance %d, 王芳: %s", seq, strings.Repeat("é", seq%700)),
		NextDue:         data.DateOf(started).AddDays(28),
		Recommendations: []data.Recommendation{{ProductID: crashRef, StartDay: seq % 30}},
	}
}

// TestCrashChild writes sessions until it is killed, printing each one's
// sequence number and ID only after CreateSession has returned, that is
// after its transaction committed.
func TestCrashChild(t *testing.T) {
	path := childEnv(t, crashDBEnv)
	seq, err := strconv.Atoi(os.Getenv(crashSeqEnv))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("ready")
	for ; ; seq++ {
		s := crashSession(seq)
		if err := st.CreateSession(ctx, crashRef, &s); err != nil {
			t.Fatalf("session %d: %v", seq, err)
		}
		fmt.Printf("%d %d\n", seq, s.ID) // os.Stdout is unbuffered: one write per line
	}
}

// TestCrashKeepsEveryCommittedSession kills a writing process with
// SIGKILL at random moments, over and over on one database, and checks
// after every kill that each session the writer saw committed is there
// and whole, that no half-written session is, and that SQLite finds the
// file intact. It stands for a power cut or a crash in the middle of
// charting.
func TestCrashKeepsEveryCommittedSession(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(crashSeedEnv); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("seed %d (replay with %s=%d)", seed, crashSeedEnv, seed)
	rng := rand.New(rand.NewPCG(seed, seed>>32))
	path := filepath.Join(t.TempDir(), "crash.db")
	crashFixtures(t, path)
	committed := map[int64]int{} // session ID: sequence number
	started := time.Now()
	var duringOpen int
	for kill := range crashKills {
		// Most kills land among the writes; one in eight while the child
		// is still opening the database (recovering the last crash).
		early := rng.IntN(8) == 0
		if early {
			duringOpen++
		}
		delay := time.Duration(rng.IntN(25_000)) * time.Microsecond
		for seq, id := range crashRun(t, path, kill*100_000, early, delay) {
			committed[id] = seq
		}
		crashVerify(t, path, kill, committed)
	}
	t.Logf("%d kills (%d while opening) in %s; %d sessions reported committed, all present and whole",
		crashKills, duringOpen, time.Since(started).Round(time.Millisecond), len(committed))
}

func crashFixtures(t *testing.T, path string) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tech := data.Staff{Name: "Priya Raman", Role: data.RoleTechnician, Active: true}
	c := validClient()
	p := validProduct("Calm Gel", data.CategoryProtectiveGel)
	err = st.CreateStaff(ctx, 0, &tech)
	if err == nil {
		err = st.CreateClient(ctx, 0, &c)
	}
	if err == nil {
		err = st.CreateProduct(ctx, 0, &p)
	}
	if err != nil || tech.ID != crashRef || c.ID != crashRef || p.ID != crashRef {
		t.Fatalf("setting up: %v (IDs %d %d %d)", err, tech.ID, c.ID, p.ID)
	}
}

// crashRun starts a child writing from sequence number first, kills it
// after delay (counted from its start when early, else from its first
// write), and returns the sessions it reported as committed.
func crashRun(t *testing.T, path string, first int, early bool, delay time.Duration) map[int]int64 {
	c := startChild(t, "TestCrashChild", crashDBEnv+"="+path, crashSeqEnv+"="+strconv.Itoa(first))
	if !early {
		c.expect(t, "ready")
	}
	timer := time.NewTimer(delay)
	defer timer.Stop()
	reported := map[int]int64{}
	killed := false
	for lines := c.lines; lines != nil; {
		select {
		case line, ok := <-lines:
			if !ok { // the child is gone and every line it printed has been read
				lines = nil
				break
			}
			if err := recordLine(reported, line); err != nil {
				t.Fatal(err)
			}
		case <-timer.C:
			if err := c.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	err := c.cmd.Wait()
	if !killed {
		t.Fatalf("the writer ended by itself (%v) instead of being killed:\n%s", err, c.stderr)
	}
	return reported
}

func recordLine(reported map[int]int64, line string) error {
	if line == "ready" {
		return nil
	}
	var seq int
	var id int64
	if _, err := fmt.Sscanf(line, "%d %d", &seq, &id); err != nil {
		return fmt.Errorf("the writer printed %q", line)
	}
	reported[seq] = id
	return nil
}

// crashVerify opens the database after a kill, as the app would, and
// checks it.
func crashVerify(t *testing.T, path string, kill int, committed map[int64]int) {
	t.Helper()
	ctx := t.Context()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("after kill %d the database does not open: %v", kill+1, err)
	}
	defer st.Close()
	var check string
	if err := st.WriterForTest().QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("after kill %d integrity_check says %q (%v)", kill+1, check, err)
	}
	sessions, err := st.ClientSessions(ctx, data.SystemActor, crashRef)
	if err != nil {
		t.Fatalf("after kill %d: %v", kill+1, err)
	}
	found := make(map[int64]bool, len(sessions))
	for _, s := range sessions {
		found[s.ID] = true
		seq, err := strconv.Atoi(strings.TrimPrefix(s.NeedleLot, "SEQ-"))
		if err != nil {
			t.Fatalf("after kill %d session %d has needle lot %q", kill+1, s.ID, s.NeedleLot)
		}
		if want, ok := committed[s.ID]; ok && want != seq {
			t.Fatalf("after kill %d session %d holds sequence %d; the writer reported %d", kill+1, s.ID, seq, want)
		}
		// Unreported sessions (committed just before the kill, not yet
		// printed) must be whole too.
		if got, want := asWritten(s), crashSession(seq); !reflect.DeepEqual(got, want) {
			t.Fatalf("after kill %d session %d (sequence %d) is not what was written:\n got %+v\nwant %+v", kill+1, s.ID, seq, got, want)
		}
	}
	for id, seq := range committed {
		if !found[id] {
			t.Fatalf("after kill %d session %d (sequence %d) is missing, though its commit had returned", kill+1, id, seq)
		}
	}
}

// asWritten drops what the store fills in, leaving what the writer gave.
func asWritten(s data.Session) data.Session {
	s.ID, s.CreatedAt, s.UpdatedAt, s.TechnicianName = 0, time.Time{}, time.Time{}, ""
	s.Version, s.UpdatedBy = 0, 0
	for i := range s.Recommendations {
		s.Recommendations[i].Product = data.Product{}
	}
	return s
}
