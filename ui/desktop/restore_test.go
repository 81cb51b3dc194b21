package desktop

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/storeopen"
	"needledesk/ui/admin"
)

// TestTheWindowRestoresWhatTheStoreOffers: the window restores through
// what the store offers (data.FileRestorer), never through a store of a
// particular kind: over a damaged file, through the restore its damage
// report offers; over records it had open, through the closed store's.
func TestTheWindowRestoresWhatTheStoreOffers(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // this computer's settings: none
	path := filepath.Join(t.TempDir(), "clinic.db")
	st, err := storeopen.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := backup.Auto(t.Context(), st.(backup.Store), filepath.Join(filepath.Dir(path), "backups"),
		data.DefaultBackupSettings(), time.Now(), backup.AtQuit)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 8192), 0o600); err != nil {
		t.Fatal(err)
	}
	clinic := clinicFor(path, io.Discard)
	_, _, err = clinic.Open(t.Context())
	var report data.DamageReport
	if !errors.As(err, &report) || report.Damage().Backup != res.Made {
		t.Fatalf("opening the damaged file: %v; want a damage report offering %s", err, res.Made)
	}
	if _, err := clinic.Restore(t.Context(), admin.RestoreRequest{From: res.Made, Actor: data.SystemActor}); err != nil {
		t.Fatalf("restoring over the damaged file: %v", err)
	}
	deps, closeDB, err := clinic.Open(t.Context())
	if err != nil {
		t.Fatalf("opening the restored file: %v", err)
	}
	if _, err := clinic.Restore(t.Context(), admin.RestoreRequest{From: res.Made, Actor: data.SystemActor}); err == nil {
		t.Error("a backup was restored over records still open")
	}
	if deps.Store == nil {
		t.Fatal("the screens were not given the store")
	}
	closeDB(false)
	safety, err := clinic.Restore(t.Context(), admin.RestoreRequest{From: res.Made, Actor: data.SystemActor})
	if err != nil || safety == "" {
		t.Errorf("restoring over the closed records: %q, %v; want a safety copy", safety, err)
	}
}

// serverStore is a store with none of a file store's capabilities.
type serverStore struct{ data.Store }

// TestNoRestoreForRecordsNotInAFile: records not kept in a file on this
// computer are not restored here; the window says so plainly, and makes
// no automatic backups of them.
func TestNoRestoreForRecordsNotInAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	st, err := storeopen.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var r restorers
	r.from(data.Store(serverStore{st}))
	if _, err := r.restore(t.Context(), "backup.db", data.RestoreOptions{}); !errors.Is(err, errNoRestore) {
		t.Errorf("restore over a server's records: %v; want errNoRestore", err)
	}
	a := newAutoBackups(serverStore{st}, backup.Folders{}, io.Discard)
	a.run(t.Context(), backup.AtQuit)
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), "backups")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an automatic backup of a server's records was attempted: %v", err)
	}
}
