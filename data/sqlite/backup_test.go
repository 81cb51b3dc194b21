package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/sqlite"
)

func TestBackupIsAWholeCheckedCopyAndIsAudited(t *testing.T) {
	e := demoEnv(t, 150)
	dest := filepath.Join(t.TempDir(), "copy.db")
	owner := e.owner()
	var calls [][2]int
	err := e.st.Backup(e.ctx, owner.ID, dest, sqlite.BackupOptions{Progress: func(done, total int) {
		calls = append(calls, [2]int{done, total})
	}})
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if rep, err := sqlite.Check(e.ctx, dest); err != nil || !rep.IntegrityOK {
		t.Fatalf("the backup does not check out: %+v, %v", rep, err)
	}
	if len(calls) == 0 {
		t.Fatal("no progress was reported")
	}
	for i, c := range calls {
		if c[0] < 0 || c[0] > c[1] || (i > 0 && c[0] < calls[i-1][0]) {
			t.Fatalf("progress went %v", calls)
		}
	}
	if last := calls[len(calls)-1]; last[0] != last[1] {
		t.Errorf("progress ended at %v", last)
	}
	ev := e.lastAudit()
	if ev.Action != data.ActionBackup || ev.Entity != data.EntityDatabase || ev.ActorID != owner.ID || ev.Detail != "copy.db" {
		t.Errorf("audit event %+v; want the owner backing up the database to copy.db", ev)
	}
	// The audit row is written after the copy, so the copy is the database
	// without it.
	e.closeStore()
	sameTables(t, dump(t, dest), dump(t, e.path), "audit_event", "audit_head", "sqlite_sequence")
	if got, want := rowCount(t, dest, "audit_event"), rowCount(t, e.path, "audit_event")-1; got != want {
		t.Errorf("the backup has %d audit rows; want %d", got, want)
	}
	if info, err := os.Stat(dest); err == nil && info.Mode().Perm() != 0o600 {
		t.Errorf("the backup has mode %o; want 0600", info.Mode().Perm())
	}
	if names := folderNames(t, filepath.Dir(dest)); !slices.Equal(names, []string{"copy.db", "copy.db.manifest"}) {
		t.Errorf("left beside the backup: %v; want it and its manifest", names)
	}
}

func TestBackupNeverReplacesAFile(t *testing.T) {
	e := newEnv(t)
	e.client()
	dir := t.TempDir()
	existing := filepath.Join(dir, "taken.db")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := e.count("audit_event")
	for name, dest := range map[string]string{
		"an existing file":        existing,
		"the database itself":     e.path,
		"the database's journal":  e.path + "-wal",
		"a folder that is absent": filepath.Join(dir, "no such folder", "b.db"),
		"no name at all":          "",
	} {
		if err := e.st.Backup(e.ctx, data.SystemActor, dest, sqlite.BackupOptions{}); err == nil {
			t.Errorf("%s: a backup was written", name)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Error("the existing file was changed")
	}
	if got := e.count("audit_event"); got != before {
		t.Errorf("refused backups were audited: %d rows, was %d", got, before)
	}
	if names := folderNames(t, dir); len(names) != 1 {
		t.Errorf("left behind: %v", names)
	}
}

// TestBackupWhileWriting: the copy is one snapshot, taken while another
// goroutine keeps adding clients with their sessions.
func TestBackupWhileWriting(t *testing.T) {
	e := demoEnv(t, 300)
	tech := e.technician()
	ctx, stop := context.WithCancel(e.ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		for ctx.Err() == nil {
			c := validClient(named("Writer", "During Backup"))
			if err := e.st.CreateClient(ctx, data.SystemActor, &c); err != nil {
				return
			}
			s := validSession(c.ID, tech.ID, today)
			_ = e.st.CreateSession(ctx, data.SystemActor, &s)
		}
	})
	dest := filepath.Join(t.TempDir(), "busy.db")
	err := e.st.Backup(e.ctx, data.SystemActor, dest, sqlite.BackupOptions{})
	stop()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := sqlite.Check(e.ctx, dest)
	if err != nil || !rep.IntegrityOK {
		t.Fatalf("a backup made while writing: %+v, %v", rep, err)
	}
}

func TestBackupCancelledLeavesNothing(t *testing.T) {
	e := demoEnv(t, 200)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	err := e.st.Backup(ctx, data.SystemActor, filepath.Join(dir, "c.db"), sqlite.BackupOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v; want context.Canceled", err)
	}
	if names := folderNames(t, dir); len(names) != 0 {
		t.Errorf("a cancelled backup left %v", names)
	}
}

func TestEncryptedBackup(t *testing.T) {
	e := demoEnv(t, 100)
	out := t.TempDir() // a USB stick
	dest := filepath.Join(out, "clinic.db.age")
	pass := []byte("a long passphrase for the stick")
	var last [2]int
	err := e.st.Backup(e.ctx, data.SystemActor, dest, sqlite.BackupOptions{Passphrase: pass, WorkFactor: cheapWorkFactor,
		Progress: func(done, total int) { last = [2]int{done, total} }})
	if err != nil {
		t.Fatal(err)
	}
	if last[0] != last[1] || last[1] == 0 {
		t.Errorf("progress ended at %v", last)
	}
	if names := folderNames(t, out); !slices.Equal(names, []string{"clinic.db.age", "clinic.db.age.manifest"}) {
		t.Fatalf("the stick holds %v; want only the encrypted backup and its manifest", names)
	}
	names := slices.DeleteFunc(folderNames(t, filepath.Dir(e.path)), func(n string) bool {
		return strings.HasPrefix(n, ".needledesk.db.witness.") // the witness file being rewritten in the background
	})
	if len(names) != 4 { // db, -wal, -shm, the witness file
		t.Errorf("left beside the database: %v", names)
	}
	b, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	if backup.Detect(b) != backup.FormatAge || bytes.Contains(b, []byte("SQLite format 3")) || bytes.Contains(b, []byte("Dermapen")) {
		t.Error("the encrypted backup is readable without its passphrase")
	}
	if ev := e.lastAudit(); ev.Action != data.ActionBackup {
		t.Errorf("not audited: %+v", ev)
	}
	if err := e.st.Backup(e.ctx, data.SystemActor, filepath.Join(out, "short.enc"), sqlite.BackupOptions{Passphrase: []byte("short")}); !errors.Is(err, backup.ErrShortPassphrase) {
		t.Errorf("a short passphrase: %v", err)
	}
	if names := folderNames(t, out); len(names) != 2 { // the backup and its manifest
		t.Errorf("a refused backup left %v", names)
	}
}

func TestBackupErrorsSayWhy(t *testing.T) {
	e := newEnv(t)
	err := e.st.Backup(e.ctx, data.SystemActor, filepath.Join(t.TempDir(), "missing", "x.db"), sqlite.BackupOptions{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "cannot be used for the backup") {
		t.Errorf("into a missing folder: %v", err)
	}
	if got := data.UserMessage(err); got != err.Error() {
		t.Errorf("the app shows %q; want the words that say which folder and why", got)
	}
}
