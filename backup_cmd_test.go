package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// demoDB makes a demo clinic of n clients and returns its path.
func demoDB(t *testing.T, n string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "clinic", "clinic.db")
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", n); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	return db
}

func clientsJSON(t *testing.T, db string) string {
	t.Helper()
	code, out, errOut := runCLI(t, "clients", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("clients: %s", errOut)
	}
	return out
}

func TestBackupAndRestoreRoundTrip(t *testing.T) {
	db := demoDB(t, "120")
	want := clientsJSON(t, db)
	out := filepath.Join(t.TempDir(), "copy.db")
	code, stdout, errOut := runCLI(t, "backup", "--db", db, "--out", out)
	if code != 0 || !strings.Contains(stdout, "wrote "+out) || !strings.Contains(errOut, "100%") {
		t.Fatalf("backup: exit %d\n%s\n%s", code, stdout, errOut)
	}
	// Into a new path.
	fresh := filepath.Join(t.TempDir(), "new", "clinic.db")
	code, stdout, errOut = runCLI(t, "restore", "--db", fresh, "--from", out)
	if code != 0 || !strings.Contains(stdout, "it was created") {
		t.Fatalf("restore into a new path: exit %d\n%s\n%s", code, stdout, errOut)
	}
	if got := clientsJSON(t, fresh); got != want {
		t.Error("the restored clinic's clients differ")
	}
	// Over the clinic, after a client was added.
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "5", "--seed", "9"); code != 0 {
		t.Fatal(errOut)
	}
	code, stdout, errOut = runCLI(t, "restore", "--db", db, "--from", out)
	if code != 0 || !strings.Contains(stdout, "is kept as "+filepath.Join(filepath.Dir(db), "backups")) {
		t.Fatalf("restore over the clinic: exit %d\n%s\n%s", code, stdout, errOut)
	}
	if got := clientsJSON(t, db); got != want {
		t.Error("the restored clinic's clients differ")
	}
}

func TestEncryptedBackupByPassphraseFileOrEnvironment(t *testing.T) {
	db := demoDB(t, "30")
	want := clientsJSON(t, db)
	dir := t.TempDir()
	passFile := filepath.Join(dir, "pass.txt")
	if err := os.WriteFile(passFile, []byte("a passphrase for the stick\r\nsecond line ignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "clinic.db.enc")
	if code, stdout, errOut := runCLI(t, "backup", "--db", db, "--out", out, "--passphrase-file", passFile); code != 0 ||
		!strings.Contains(stdout, "encrypted") {
		t.Fatalf("encrypted backup: exit %d\n%s\n%s", code, stdout, errOut)
	}
	target := filepath.Join(t.TempDir(), "clinic.db")
	code, _, errOut := runCLI(t, "restore", "--db", target, "--from", out)
	if code != 1 || !strings.Contains(errOut, "--passphrase-file") || !strings.Contains(errOut, "NEEDLEDESK_PASSPHRASE") {
		t.Errorf("restore without a passphrase: exit %d, %q", code, errOut)
	}
	t.Setenv("NEEDLEDESK_PASSPHRASE", "not the passphrase")
	if code, _, errOut := runCLI(t, "restore", "--db", target, "--from", out); code != 1 || !strings.Contains(errOut, "passphrase is not the one") {
		t.Errorf("restore with a wrong passphrase: exit %d, %q", code, errOut)
	}
	t.Setenv("NEEDLEDESK_PASSPHRASE", "a passphrase for the stick")
	if code, _, errOut := runCLI(t, "restore", "--db", target, "--from", out); code != 0 {
		t.Fatalf("restore with the passphrase from the environment: %s", errOut)
	}
	if got := clientsJSON(t, target); got != want {
		t.Error("the restored clinic's clients differ")
	}
}

func TestBackupCommandRefusals(t *testing.T) {
	db := demoDB(t, "5")
	dir := t.TempDir()
	taken := filepath.Join(dir, "taken.db")
	if err := os.WriteFile(taken, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"backup", "--db", db}, 2, "--out FILE"},
		{[]string{"restore", "--db", db}, 2, "--from FILE"},
		{[]string{"backup", "--db", db, "--out", taken}, 1, "already exists"},
		{[]string{"backup", "--db", filepath.Join(dir, "none.db"), "--out", filepath.Join(dir, "x.db")}, 1, "there is no database"},
		{[]string{"backup", "--db", db, "--out", filepath.Join(dir, "y.db"), "--passphrase", "secret"}, 2, "passphrase"},
		{[]string{"restore", "--db", db, "--from", filepath.Join(dir, "missing.db")}, 1, "missing.db"},
	} {
		code, _, errOut := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.says) {
			t.Errorf("%v: exit %d, %q; want %d saying %q", c.args, code, errOut, c.code, c.says)
		}
	}
	if b, _ := os.ReadFile(taken); string(b) != "keep" {
		t.Error("an existing file was overwritten")
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("backup created the missing database")
	}
}

// damagedWithBackup makes a clinic with a good backup in the backups folder
// beside it, then damages the clinic's pages.
func damagedWithBackup(t *testing.T) (db, backup string) {
	t.Helper()
	db = demoDB(t, "80")
	backup = filepath.Join(filepath.Dir(db), "backups", data.BackupFileName(time.Now().Add(-time.Hour), 1, false))
	if err := os.Mkdir(filepath.Dir(backup), 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "backup", "--db", db, "--out", backup); code != 0 {
		t.Fatal(errOut)
	}
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < 5*4096 && i < len(b); i++ {
		b[i] = byte(i * 7)
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return db, backup
}

func TestCheckNamesTheNewestGoodBackup(t *testing.T) {
	db, backup := damagedWithBackup(t)
	before := fileHash(t, db)
	code, stdout, errOut := runCLI(t, "check", "--db", db)
	if code != 1 || !strings.Contains(stdout, "the newest good backup is "+backup) ||
		!strings.Contains(stdout, "needledesk restore --db") || !strings.Contains(errOut, "damaged") {
		t.Errorf("check on a damaged clinic: exit %d\n%s\n%s", code, stdout, errOut)
	}
	code, stdout, _ = runCLI(t, "check", "--db", db, "--backups", t.TempDir())
	if code != 1 || !strings.Contains(stdout, "no good backup was found") {
		t.Errorf("check with an empty backups folder: exit %d\n%s", code, stdout)
	}
	if fileHash(t, db) != before {
		t.Error("check changed the damaged file")
	}
}

// TestAutoBackupsTellTheScreensWhenABackupLands: the app's Backups tab
// asks (ui.Deps.WatchBackups) to hear of each automatic backup; the
// start-up backup tells it once it is in the folder, and a start-up with a
// backup less than a day old, which adds nothing, tells it nothing.
func TestAutoBackupsTellTheScreensWhenABackupLands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	st, err := openStore(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &autoBackups{st: st, log: io.Discard, quitting: make(chan struct{})}
	var told []int
	appDeps(st, a).WatchBackups(func() {
		found, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "backups", "needledesk-*.db"))
		told = append(told, len(found))
	})
	a.run(t.Context(), sqlite.AtStartUp)
	if len(told) != 1 || told[0] != 1 {
		t.Fatalf("after the start-up backup the screens were told %v; want once, with the backup in the folder", told)
	}
	a.run(t.Context(), sqlite.AtStartUp)
	if len(told) != 1 {
		t.Errorf("a start-up that made no backup told the screens again: %v", told)
	}
}
