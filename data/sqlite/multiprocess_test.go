package sqlite_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// Two copies of NeedleDesk, or the app and a command, on one database:
// SQLite lets one process write at a time, and the store's busy timeout
// and immediate transactions make the other wait its turn instead of
// failing. These tests run real processes at once to prove it.

const (
	writerDBEnv   = "NEEDLEDESK_WRITER_DB"
	writerTagEnv  = "NEEDLEDESK_WRITER_TAG"  // the given name of every client the child adds
	writerModeEnv = "NEEDLEDESK_WRITER_MODE" // one of the writerModes
	holderDBEnv   = "NEEDLEDESK_HOLDER_DB"
)

// rowsPerWriter is how many clients (and, importing, sessions) each
// writer adds.
const rowsPerWriter = 2000

// writerModes are the ways a child writes its rows.
var writerModes = map[string]func(ctx context.Context, st *sqlite.Store, tag string) error{
	"one by one": writeOneByOne,
	"imports":    writeInBatches,
}

// writerClient is the i-th client a writer tagged tag adds. Names take
// letters only, so i is spelled in letters in the family name.
func writerClient(tag string, i int) data.Client {
	family := []byte{byte('a' + i/676%26), byte('a' + i/26%26), byte('a' + i%26)}
	return data.Client{
		GivenName: tag, FamilyName: "Writer-" + string(family), DateOfBirth: data.NewDate(1980, 1, 1+i%28),
		Phone: fmt.Sprintf("+44 7700 9%05d", i), Email: fmt.Sprintf("%s.%d@example.com", tag, i),
	}
}

func writeOneByOne(ctx context.Context, st *sqlite.Store, tag string) error {
	for i := range rowsPerWriter {
		c := writerClient(tag, i)
		if err := st.CreateClient(ctx, 0, &c); err != nil {
			return fmt.Errorf("client %d: %w", i, err)
		}
	}
	return nil
}

// writeInBatches imports clients and then a session for each, 250 at a
// time, as a long import from the command line would.
func writeInBatches(ctx context.Context, st *sqlite.Store, tag string) error {
	const batch = 250
	for start := 0; start < rowsPerWriter; start += batch {
		cs := make([]data.Client, batch)
		for i := range cs {
			cs[i] = writerClient(tag, start+i)
		}
		if err := st.ImportClients(ctx, 0, cs); err != nil {
			return err
		}
		ss := make([]data.Session, batch)
		for i, c := range cs {
			ss[i] = validSession(c.ID, 1, today.AddDays(-i%300))
		}
		if err := st.ImportSessions(ctx, 0, ss); err != nil {
			return err
		}
	}
	return nil
}

// TestWriterChild opens the store, says "ready", waits for a line on its
// input so that both writers start together, writes, and says "done".
func TestWriterChild(t *testing.T) {
	path := childEnv(t, writerDBEnv)
	write := writerModes[os.Getenv(writerModeEnv)]
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	if err := write(ctx, st, os.Getenv(writerTagEnv)); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("done in %s\n", time.Since(started).Round(time.Millisecond))
}

func TestTwoProcessesWriteAtOnce(t *testing.T) {
	for mode := range writerModes {
		t.Run(mode, func(t *testing.T) {
			e := newEnv(t)
			e.technician() // ID 1, for the sessions
			var children []*child
			for _, tag := range []string{"Alpha", "Beta"} {
				children = append(children, startChild(t, "TestWriterChild",
					writerDBEnv+"="+e.path, writerTagEnv+"="+tag, writerModeEnv+"="+mode))
			}
			for _, c := range children {
				c.expect(t, "ready")
			}
			for _, c := range children {
				if _, err := fmt.Fprintln(c.stdin, "go"); err != nil {
					t.Fatal(err)
				}
			}
			for i, c := range children {
				t.Logf("writer %d: %v", i+1, c.finish(t))
			}
			e.wantWritten(mode == "imports")
		})
	}
}

// wantWritten checks that both writers' rows are all there, each with its
// audit row, and that the file and its search index are intact.
func (e *env) wantWritten(withSessions bool) {
	t := e.t
	t.Helper()
	db := e.st.WriterForTest()
	for _, tag := range []string{"Alpha", "Beta"} {
		var clients, sessions int
		err := db.QueryRowContext(e.ctx, `SELECT count(DISTINCT c.id), count(s.id) FROM client c
			LEFT JOIN session s ON s.client_id = c.id WHERE c.given_name = ?`, tag).Scan(&clients, &sessions)
		if err != nil {
			t.Fatal(err)
		}
		wantSessions := 0
		if withSessions {
			wantSessions = rowsPerWriter
		}
		if clients != rowsPerWriter || sessions != wantSessions {
			t.Errorf("writer %s left %d clients and %d sessions; want %d and %d", tag, clients, sessions, rowsPerWriter, wantSessions)
		}
	}
	if n := e.count("client"); n != 2*rowsPerWriter {
		t.Errorf("%d clients in all; want %d", n, 2*rowsPerWriter)
	}
	var audited int
	err := db.QueryRowContext(e.ctx, `SELECT count(*) FROM audit_event WHERE entity = 'client' AND action = 'create'`).Scan(&audited)
	if err != nil || audited != 2*rowsPerWriter {
		t.Errorf("%d client audit rows (%v); want %d", audited, err, 2*rowsPerWriter)
	}
	var turns int // how often the next client ID changes writer: shows they ran at once
	err = db.QueryRowContext(e.ctx, `SELECT count(*) FROM (SELECT given_name, lag(given_name) OVER (ORDER BY id) AS prev FROM client)
		WHERE prev IS NOT NULL AND prev <> given_name`).Scan(&turns)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the writers took turns %d times", turns)
	e.wantIntact()
}

// wantIntact runs SQLite's own checks on the file and the search index.
func (e *env) wantIntact() {
	e.t.Helper()
	db := e.st.WriterForTest()
	var check string
	if err := db.QueryRowContext(e.ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		e.t.Errorf("integrity_check: %q (%v)", check, err)
	}
	if _, err := db.ExecContext(e.ctx, `INSERT INTO client_search (client_search) VALUES ('integrity-check')`); err != nil {
		e.t.Errorf("the search index does not match the clients: %v", err)
	}
}

// TestHolderChild holds the write lock, as a long import in another
// process would: it begins an immediate transaction, writes, says
// "holding", and commits only when a line arrives on its input.
func TestHolderChild(t *testing.T) {
	path := childEnv(t, holderDBEnv)
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO store_meta (key, value) VALUES ('holder', 'was here')`); err != nil {
		t.Fatal(err)
	}
	fmt.Println("holding")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	fmt.Println("committed")
}

// TestWriteWaitsForAnotherProcessesTransaction saves a client while
// another process holds the write lock: briefly, as a second copy of the
// app saving, and for longer than SQLite's five-second busy timeout, as an
// import of a large spreadsheet from the command line.
func TestWriteWaitsForAnotherProcessesTransaction(t *testing.T) {
	for _, hold := range []time.Duration{300 * time.Millisecond, 6 * time.Second} {
		t.Run(hold.String(), func(t *testing.T) {
			if hold > time.Second && testing.Short() {
				t.Skip("a long wait; skipped with -short")
			}
			writeWhileHeld(t, hold)
		})
	}
}

func writeWhileHeld(t *testing.T, hold time.Duration) {
	e := newEnv(t)
	holder := startChild(t, "TestHolderChild", holderDBEnv+"="+e.path)
	holder.expect(t, "holding")
	done := make(chan error, 1)
	c := validClient()
	go func() { done <- e.st.CreateClient(e.ctx, 0, &c) }()
	// The sleep gives the write time to reach SQLite and wait there; it is
	// not what is tested: nothing can finish while the lock is held.
	time.Sleep(hold)
	select {
	case err := <-done:
		t.Fatalf("CreateClient returned (%v) while another process held the write lock", err)
	default:
	}
	if _, err := fmt.Fprintln(holder.stdin, "commit"); err != nil {
		t.Fatal(err)
	}
	holder.expect(t, "committed")
	if err := <-done; err != nil {
		t.Fatalf("CreateClient failed instead of waiting for the other process: %v", err)
	}
	holder.finish(t)
	var v string
	if err := e.st.WriterForTest().QueryRowContext(e.ctx, `SELECT value FROM store_meta WHERE key = 'holder'`).Scan(&v); err != nil {
		t.Errorf("the other process's write is gone: %v", err)
	}
	if got, err := e.st.Client(e.ctx, data.SystemActor, c.ID); err != nil || got.GivenName != c.GivenName {
		t.Errorf("the waiting write is not there: %v", err)
	}
	e.wantIntact()
}
