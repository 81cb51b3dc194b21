package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

// TestBackupAndExportNeverWriteOverTheDatabase: `backup --out` and
// `export --out` refuse the database's own files however they are
// spelled, even the -journal that a WAL database does not have yet, and
// the database stays as it was.
func TestBackupAndExportNeverWriteOverTheDatabase(t *testing.T) {
	db := demoDB(t, "5")
	dir := filepath.Dir(db)
	other := t.TempDir()
	if err := os.Symlink(dir, filepath.Join(other, "linked")); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, db)
	t.Chdir(dir)
	for _, out := range []string{db, "clinic.db", "./clinic.db-journal", filepath.Join(other, "linked", "clinic.db-journal"), db + "-wal", db + "-shm"} {
		code, stdout, errOut := runCLI(t, "backup", "--db", db, "--out", out)
		if code != 1 || strings.Contains(stdout, "wrote") || !strings.Contains(errOut, "the clinic's database") {
			t.Errorf("backup --out %s: exit %d, %q %q", out, code, stdout, errOut)
		}
		code, stdout, errOut = runCLI(t, "export", "--db", db, "--all", "--out", out)
		if code != 1 || strings.Contains(stdout, "wrote") || !strings.Contains(errOut, "the clinic's database") {
			t.Errorf("export --out %s: exit %d, %q %q", out, code, stdout, errOut)
		}
	}
	if fileHash(t, db) != before {
		t.Fatal("the database changed")
	}
	for _, s := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Lstat(db + s); err == nil {
			t.Errorf("%s was made", db+s)
		}
	}
	if code, _, errOut := runCLI(t, "check", "--db", db); code != 0 {
		t.Errorf("check after the refusals: %s", errOut)
	}
	// An existing file is still refused by backup, which never replaces
	// one, and the export into a folder beside the database still works.
	taken := filepath.Join(other, "taken.db")
	if err := os.WriteFile(taken, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "backup", "--db", db, "--out", taken); code != 1 || !strings.Contains(errOut, "never replaces") {
		t.Errorf("backup onto an existing file: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "export", "--db", db, "--all", "--out", "exports"); code != 0 {
		t.Errorf("export beside the database: %s", errOut)
	}
}
