package sqlite_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/sqlite"
)

// someClients are n valid clients with long notes, so they fill pages fast.
func someClients(n int, tag string) []data.Client {
	out := make([]data.Client, n)
	for i := range out {
		out[i] = validClient(named("Filler", tag+" "+letters(i)))
		out[i].Notes = strings.Repeat("Prefers afternoon appointments. ", 60)
	}
	return out
}

// clientNames lists every client's family name, in ID order.
func clientNames(t *testing.T, st *sqlite.Store) []string {
	t.Helper()
	var out []string
	rows, err := st.WriterForTest().QueryContext(t.Context(), `SELECT family_name FROM client ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// TestFullDatabaseRollsBackAndKeepsEarlierData makes the disk "full" with
// max_page_count, which works even as root: a write that needs more pages
// fails with SQLITE_FULL, exactly as on a full disk.
func TestFullDatabaseRollsBackAndKeepsEarlierData(t *testing.T) {
	e := newEnv(t)
	if err := e.st.ImportClients(e.ctx, data.SystemActor, someClients(20, "Before")); err != nil {
		t.Fatal(err)
	}
	var pages int
	if err := e.st.WriterForTest().QueryRowContext(e.ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	e.closeStore()
	st, err := sqlite.Open(e.ctx, e.path, sqlite.WithWriteParamsForTest(fmt.Sprintf("&_pragma=max_page_count(%d)", pages+4)))
	if err != nil {
		t.Fatal(err)
	}
	before := clientNames(t, st)
	audits := countRows(t, st, "audit_event")

	err = st.ImportClients(e.ctx, data.SystemActor, someClients(300, "During"))
	if !errors.Is(err, data.ErrDiskFull) || !strings.Contains(err.Error(), "the disk is full") ||
		!strings.Contains(data.UserMessage(err), "The disk is full") {
		t.Fatalf("import on a full disk: %v; want data.ErrDiskFull in words", err)
	}
	c := someClients(1, "Single")[0]
	c.Notes = strings.Repeat("x", 20000) // needs overflow pages
	if err := st.CreateClient(e.ctx, data.SystemActor, &c); !errors.Is(err, data.ErrDiskFull) {
		t.Fatalf("a single client on a full disk: %v", err)
	}
	if got := clientNames(t, st); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Errorf("clients after the failed writes: %d, want the %d from before", len(got), len(before))
	}
	if got := countRows(t, st, "audit_event"); got != audits {
		t.Errorf("audit rows %d; want %d", got, audits)
	}
	// A small change that fits is still saved.
	small := validClient(named("Small", "Fits"))
	if err := st.CreateClient(e.ctx, data.SystemActor, &small); err != nil {
		t.Errorf("a small change after the disk filled up: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := sqlite.Check(e.ctx, e.path)
	if err != nil || !rep.IntegrityOK {
		t.Fatalf("after the disk filled up: %+v, %v", rep, err)
	}
	st, err = sqlite.Open(e.ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := clientNames(t, st); len(got) != len(before)+1 || got[len(got)-1] != "Fits" {
		t.Errorf("after reopening: %d clients", len(got))
	}
}

func countRows(t *testing.T, st *sqlite.Store, table string) int {
	t.Helper()
	var n int
	if err := st.WriterForTest().QueryRowContext(t.Context(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBackupIntoAReadOnlyFolder uses folder permissions, which root
// ignores; the tmpfs tests (diskfull_linux_test.go) cover root.
func TestBackupIntoAReadOnlyFolder(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs Unix permissions that apply (not root)")
	}
	e := newEnv(t)
	e.client()
	dir := filepath.Join(t.TempDir(), "locked")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	err := e.st.Backup(e.ctx, data.SystemActor, filepath.Join(dir, "b.db"), sqlite.BackupOptions{})
	if !errors.Is(err, data.ErrReadOnly) {
		t.Errorf("backup into a read-only folder: %v; want data.ErrReadOnly", err)
	}
	if names := folderNames(t, dir); len(names) != 0 {
		t.Errorf("left %v", names)
	}
	_, err = backup.Auto(e.ctx, e.st, filepath.Join(dir, "sub"), data.BackupSettings{KeepDaily: 7}, testNow, backup.AtQuit)
	if !errors.Is(err, data.ErrReadOnly) {
		t.Errorf("automatic backup into a read-only folder: %v", err)
	}
}
