package sqlite_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/sqlite"
)

// clinicBackup is a demo clinic, its backup, and a dump of the clinic as
// the backup has it.
type clinicBackup struct {
	backup string
	want   map[string][]string
}

func makeClinicBackup(t *testing.T, clients int, opts sqlite.BackupOptions) clinicBackup {
	t.Helper()
	e := demoEnv(t, clients)
	name := "clinic-backup.db"
	if len(opts.Passphrase) > 0 {
		name += ".enc"
	}
	backup := filepath.Join(t.TempDir(), name)
	if err := e.st.Backup(e.ctx, data.SystemActor, backup, opts); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(t.TempDir(), "plain.db")
	if err := e.st.Backup(e.ctx, data.SystemActor, plain, sqlite.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	want := dump(t, plain)
	// The second backup's own audit row is not in the first backup.
	want["audit_event"] = want["audit_event"][:len(want["audit_event"])-1]
	return clinicBackup{backup: backup, want: want}
}

// restoredAsWanted checks the restored database holds every row of the
// backup, and one more audit row: the restore itself, the newest.
func restoredAsWanted(t *testing.T, path string, cb clinicBackup, actor int64) {
	t.Helper()
	got := dump(t, path)
	sameTables(t, got, cb.want, "audit_event", "audit_head", "sqlite_sequence", "store_meta") // the trail gains the restore and a new ID
	audit := got["audit_event"]
	if len(audit) != len(cb.want["audit_event"])+1 || !slices.Equal(audit[:len(audit)-1], cb.want["audit_event"]) {
		t.Errorf("audit trail: %d rows, want the backup's %d and the restore", len(audit), len(cb.want["audit_event"]))
	}
	ev := lastEvent(t, path)
	if ev.Action != data.ActionRestore || ev.Entity != data.EntityDatabase || ev.ActorID != actor {
		t.Errorf("the newest audit event is %+v; want the restore by %d", ev, actor)
	}
	if err := sqlite.QuickCheck(t.Context(), path); err != nil {
		t.Errorf("the restored database: %v", err)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("%s left beside the restored database", suffix)
		}
	}
}

func TestRestoreIntoANewPath(t *testing.T) {
	cb := makeClinicBackup(t, 250, sqlite.BackupOptions{})
	dir := filepath.Join(t.TempDir(), "new clinic #2")
	path := filepath.Join(dir, "clinic.db")
	var steps []int
	res, err := sqlite.Restore(t.Context(), path, cb.backup, sqlite.RestoreOptions{Actor: 5,
		Progress: func(done, total int) { steps = append(steps, done) }})
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if res.SafetyCopy != "" || res.SchemaVersion != sqlite.KnownVersion() {
		t.Errorf("result %+v", res)
	}
	if !slices.Equal(steps, []int{1, 2, 3, 4}) {
		t.Errorf("progress %v", steps)
	}
	restoredAsWanted(t, path, cb, 5)
	if runtime.GOOS != "windows" {
		for p, mode := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
			if info, err := os.Stat(p); err != nil || info.Mode().Perm() != mode {
				t.Errorf("%s: mode %v, %v; want %o", p, info.Mode().Perm(), err, mode)
			}
		}
	}
	if names := folderNames(t, dir); !slices.Equal(names, []string{"clinic.db", "clinic.db.witness"}) {
		t.Errorf("the folder holds %v", names)
	}
}

func TestRestoreOverAnExistingDatabase(t *testing.T) {
	cb := makeClinicBackup(t, 250, sqlite.BackupOptions{})
	e := newEnv(t)
	e.client(named("Only", "Current"))
	e.staff("Sam O'Neill", data.RoleReceptionist)
	if owner := e.staff("Maya Lindqvist", data.RoleOwner); owner.ID != 2 { // the current database's owner asks (PermRestore)
		t.Fatalf("owner has ID %d", owner.ID)
	}
	e.closeStore()
	current := dump(t, e.path)
	e.clock.Set(testNow)
	res, err := sqlite.Restore(e.ctx, e.path, cb.backup, sqlite.RestoreOptions{Actor: 2, Clock: e.clock.Now})
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	restoredAsWanted(t, e.path, cb, 2)
	wantSafety := filepath.Join(filepath.Dir(e.path), "backups", "needledesk-2026-11-22T120000Z-before-restore.db")
	if res.SafetyCopy != wantSafety {
		t.Fatalf("safety copy at %q; want %q", res.SafetyCopy, wantSafety)
	}
	sameTables(t, dump(t, res.SafetyCopy), current)
	// A second restore in the same second keeps both safety copies.
	res2, err := sqlite.Restore(e.ctx, e.path, cb.backup, sqlite.RestoreOptions{Clock: e.clock.Now})
	if err != nil || res2.SafetyCopy == res.SafetyCopy || !strings.HasSuffix(res2.SafetyCopy, "-before-restore-2.db") {
		t.Errorf("second restore: %+v, %v", res2, err)
	}
}

func TestRestoreAnEncryptedBackup(t *testing.T) {
	pass := []byte("the stick in the drawer")
	cb := makeClinicBackup(t, 100, sqlite.BackupOptions{Passphrase: pass, WorkFactor: cheapWorkFactor})
	path := filepath.Join(t.TempDir(), "clinic.db")
	_, err := sqlite.Restore(t.Context(), path, cb.backup, sqlite.RestoreOptions{})
	if !errors.Is(err, sqlite.ErrPassphraseNeeded) {
		t.Errorf("no passphrase: %v", err)
	}
	_, err = sqlite.Restore(t.Context(), path, cb.backup, sqlite.RestoreOptions{Passphrase: []byte("the stick in the drawer!")})
	if !errors.Is(err, backup.ErrWrongPassphrase) || !strings.Contains(err.Error(), "nothing was changed") ||
		data.UserMessage(err) != err.Error() {
		t.Errorf("wrong passphrase: %v, shown as %q", err, data.UserMessage(err))
	}
	if names := folderNames(t, filepath.Dir(path)); len(names) != 0 {
		t.Fatalf("failed restores left %v", names)
	}
	if _, err := sqlite.Restore(t.Context(), path, cb.backup, sqlite.RestoreOptions{Passphrase: pass}); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	restoredAsWanted(t, path, cb, 0)
}

// refusedRestore checks a refused restore changed nothing at path.
func refusedRestore(t *testing.T, path, from string, opts sqlite.RestoreOptions, want error, words string) {
	t.Helper()
	hash := fileHash(t, path)
	names := folderNames(t, filepath.Dir(path))
	_, err := sqlite.Restore(t.Context(), path, from, opts)
	if !errors.Is(err, want) || !strings.Contains(err.Error(), words) {
		t.Errorf("restore from %s: %v; want %v saying %q", filepath.Base(from), err, want, words)
	}
	if msg := data.UserMessage(err); strings.HasPrefix(msg, "Something went wrong") {
		t.Errorf("a refused backup reads as a fault of NeedleDesk: %q", msg)
	}
	if fileHash(t, path) != hash {
		t.Error("the database changed")
	}
	if got := folderNames(t, filepath.Dir(path)); !slices.Equal(got, names) {
		t.Errorf("the folder went from %v to %v", names, got)
	}
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	e := newEnv(t)
	e.client()
	e.closeStore()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	st, _ := sqlite.Open(e.ctx, e.path)
	if err := st.Backup(e.ctx, data.SystemActor, good, sqlite.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	_ = st.Close()
	content, _ := os.ReadFile(good)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	newer := write("newer.db", content)
	db := rawDB(t, newer)
	if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (999, 'future', 'x')`); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	foreign := write("foreign.db", nil)
	db = rawDB(t, foreign)
	if _, err := db.Exec(`CREATE TABLE recipes (name TEXT)`); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	damaged := damages(t, content)

	refusedRestore(t, e.path, newer, sqlite.RestoreOptions{}, sqlite.ErrNewerSchema, "newer version of NeedleDesk")
	refusedRestore(t, e.path, foreign, sqlite.RestoreOptions{}, data.ErrDamaged, "not a NeedleDesk one")
	refusedRestore(t, e.path, write("cut.db", damaged["truncated at half its pages"]), sqlite.RestoreOptions{}, data.ErrDamaged, "cut short")
	refusedRestore(t, e.path, write("pages.db", damaged["random bytes over pages 2 to 5"]), sqlite.RestoreOptions{}, data.ErrDamaged, "damaged")
	refusedRestore(t, e.path, write("empty.db", nil), sqlite.RestoreOptions{}, data.ErrDamaged, "empty")
	refusedRestore(t, e.path, write("notes.txt", []byte("shopping list")), sqlite.RestoreOptions{}, data.ErrDamaged, "not a database")
	refusedRestore(t, e.path, filepath.Join(dir, "missing.db"), sqlite.RestoreOptions{}, fs.ErrNotExist, "missing.db")
	refusedRestore(t, e.path, e.path, sqlite.RestoreOptions{}, data.ErrInvalid, "the database itself")
	enc := filepath.Join(dir, "cut.db.enc")
	st, _ = sqlite.Open(e.ctx, good)
	if err := st.Backup(e.ctx, data.SystemActor, enc, sqlite.BackupOptions{Passphrase: []byte("0123456789ab"), WorkFactor: cheapWorkFactor}); err != nil {
		t.Fatal(err)
	}
	_ = st.Close()
	b, _ := os.ReadFile(enc)
	refusedRestore(t, e.path, write("cut.db.enc", b[:len(b)-100]), sqlite.RestoreOptions{Passphrase: []byte("0123456789ab")},
		data.ErrDamaged, "incomplete")
}

// TestRestoreRefusesWhileTheDatabaseIsOpen: the app (or another program)
// still has the database open; replacing it under them would lose their
// next writes or mix two databases.
func TestRestoreRefusesWhileTheDatabaseIsOpen(t *testing.T) {
	cb := makeClinicBackup(t, 20, sqlite.BackupOptions{})
	e := newEnv(t)
	e.client()
	before := dump(t, e.path)
	_, err := sqlite.Restore(e.ctx, e.path, cb.backup, sqlite.RestoreOptions{})
	if !errors.Is(err, sqlite.ErrInUse) || !strings.Contains(err.Error(), "Nothing was changed") {
		t.Fatalf("restore over an open database: %v; want ErrInUse", err)
	}
	e.client(named("Still", "Working"))
	if got := dump(t, e.path); len(got["client"]) != len(before["client"])+1 {
		t.Error("the open store no longer works on its file")
	}
}

// TestRestoreOverADamagedDatabase: the damaged file and its -wal are kept
// byte for byte, and the stale -wal and -shm do not reach the restored
// database.
func TestRestoreOverADamagedDatabase(t *testing.T) {
	cb := makeClinicBackup(t, 100, sqlite.BackupOptions{})
	good := healthyFile(t)
	path := writeDamaged(t, damages(t, good)["random bytes over pages 2 to 5"])
	// Its -wal does not check out either (SQLite ignores such a one), so
	// the file stays damaged; it must still be kept with the file.
	wal := bytes.Repeat([]byte("frames of the damaged database's last changes"), 100)
	if err := os.WriteFile(path+"-wal", wal, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+"-shm", make([]byte, 32768), 0o600); err != nil {
		t.Fatal(err)
	}
	hash := fileHash(t, path)
	res, err := sqlite.Restore(t.Context(), path, cb.backup, sqlite.RestoreOptions{})
	if err != nil {
		t.Fatalf("Restore over a damaged database: %v", err)
	}
	if fileHash(t, res.SafetyCopy) != hash {
		t.Error("the damaged database was not kept byte for byte")
	}
	if b, err := os.ReadFile(res.SafetyCopy + "-wal"); err != nil || !bytes.Equal(b, wal) {
		t.Errorf("its -wal was not kept: %d bytes, %v", len(b), err)
	}
	restoredAsWanted(t, path, cb, 0)
}

// realWAL is the -wal of a database with changes not yet checkpointed:
// valid frames that SQLite replays into whatever file it finds beside.
func realWAL(t *testing.T) []byte {
	t.Helper()
	e := newEnv(t)
	for range 5 {
		e.client(named("Stray", "Frames"))
	}
	b, err := os.ReadFile(e.path + "-wal")
	if err != nil || len(b) < 4096 {
		t.Fatalf("the -wal of an open store: %d bytes, %v", len(b), err)
	}
	return b
}

func TestRestoreRemovesAStrayJournalBesideAMissingDatabase(t *testing.T) {
	cb := makeClinicBackup(t, 20, sqlite.BackupOptions{})
	path := filepath.Join(t.TempDir(), "clinic.db")
	// clinic.db was deleted by hand but its -wal was left: SQLite would
	// replay it into whatever file takes the name next.
	if err := os.WriteFile(path+"-wal", realWAL(t), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Restore(t.Context(), path, cb.backup, sqlite.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	restoredAsWanted(t, path, cb, 0)
}

func TestRestoreRefusesABackupStillInUse(t *testing.T) {
	other := newEnv(t) // another clinic's database, open in a program
	other.client()
	e := newEnv(t)
	e.client()
	e.closeStore()
	refusedRestore(t, e.path, other.path, sqlite.RestoreOptions{}, sqlite.ErrInUse, "not yet written into it")
}
