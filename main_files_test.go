package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"needledesk/data"
)

// treatedClient is the ID of a demo client with a session, as text.
func treatedClient(t *testing.T, db string) string {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(clientsJSON(t, db)), "\n") {
		var c clientJSON
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatal(err)
		}
		if c.LastSession != "" {
			return fmt.Sprint(c.ID)
		}
	}
	t.Fatal("the demo clinic has no treated client")
	return ""
}

// auditEvents counts the events in the database's audit trail.
func auditEvents(t *testing.T, db string) int {
	t.Helper()
	st, err := openStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, err := st.AuditEvents(context.Background(), data.SystemActor, data.AuditFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

// TestAftercareNeverWritesOverTheClinicsFiles: `aftercare --out` refuses
// the open database, however it is spelled (as given, ./ relative, through
// a linked folder, a link to it), the files SQLite keeps beside it, and a
// backup, even with --force; and each refusal comes before anything is
// kept or recorded. The database stays byte for byte as it was.
func TestAftercareNeverWritesOverTheClinicsFiles(t *testing.T) {
	db := demoDB(t, "20")
	id := treatedClient(t, db)
	dir := filepath.Dir(db)
	backups := backupsFolder(db)
	if err := os.Mkdir(backups, 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "backup", "--db", db, "--out", filepath.Join(backups, "kept-backup.db")); code != 0 {
		t.Fatal(errOut)
	}
	other := t.TempDir()
	if err := os.Symlink(dir, filepath.Join(other, "linked")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(db, filepath.Join(other, "sheet.pdf")); err != nil {
		t.Fatal(err)
	}
	before, events := fileHash(t, db), auditEvents(t, db)
	backupHash := fileHash(t, filepath.Join(backups, "kept-backup.db"))
	t.Chdir(dir)
	for _, c := range []struct {
		out  string
		says string
	}{
		{db, "the clinic's database"},
		{"./clinic.db", "the clinic's database"},
		{"clinic.db", "the clinic's database"},
		{filepath.Join(other, "linked", "clinic.db"), "the clinic's database"},
		{filepath.Join(other, "sheet.pdf"), "the clinic's database"},
		{db + "-wal", "the clinic's database"},
		{db + "-shm", "the clinic's database"},
		{"clinic.db-journal", "the clinic's database"},
		{filepath.Join(backups, "kept-backup.db"), "backup"},
		{filepath.Join(other, "linked", "backups", "kept-backup.db"), "backup"},
	} {
		for _, force := range []bool{false, true} {
			args := []string{"aftercare", "--db", db, "--client", id, "--out", c.out}
			if force {
				args = append(args, "--force")
			}
			code, stdout, errOut := runCLI(t, args...)
			if code != 1 || !strings.Contains(errOut, c.says) || strings.Contains(stdout, "wrote") {
				t.Errorf("--out %s (force %v): exit %d, %q %q; want a refusal saying %q", c.out, force, code, stdout, errOut, c.says)
			}
		}
	}
	if fileHash(t, db) != before {
		t.Fatal("the database changed")
	}
	if fileHash(t, filepath.Join(backups, "kept-backup.db")) != backupHash {
		t.Error("the backup changed")
	}
	for _, s := range []string{"-wal", "-shm", "-journal"} {
		if info, err := os.Lstat(db + s); err == nil && info.Size() > 0 {
			t.Errorf("%s was written: %d bytes", db+s, info.Size())
		}
	}
	if got := auditEvents(t, db); got != events {
		t.Errorf("refused writes left %d events in the trail; want %d", got, events)
	}
	if code, _, errOut := runCLI(t, "check", "--db", db); code != 0 {
		t.Errorf("check after the refusals: %s", errOut)
	}
}

// TestAftercareReplacesOnlyWithForce: an existing file is refused unless
// --force is given, and then replaced by a private file; a link at the
// destination is never followed or replaced; a missing folder is refused
// before the sheet is kept.
func TestAftercareReplacesOnlyWithForce(t *testing.T) {
	db := demoDB(t, "20")
	id := treatedClient(t, db)
	dir := t.TempDir()
	taken := filepath.Join(dir, "taken.pdf")
	if err := os.WriteFile(taken, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", taken)
	if code != 1 || !strings.Contains(errOut, "already exists") || !strings.Contains(errOut, "--force") {
		t.Errorf("an existing file: exit %d, %q", code, errOut)
	}
	if b, _ := os.ReadFile(taken); string(b) != "keep me" {
		t.Fatal("an existing file was overwritten without --force")
	}
	if code, _, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", taken, "--force"); code != 0 {
		t.Fatalf("--force: exit %d, %s", code, errOut)
	}
	if b, _ := os.ReadFile(taken); !strings.HasPrefix(string(b), "%PDF") {
		t.Error("--force did not replace the file with the sheet")
	}
	if info, err := os.Stat(taken); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the sheet's mode: %v, %v; want 0600", info.Mode(), err)
	}
	fresh := filepath.Join(dir, "fresh.pdf")
	if code, _, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", fresh); code != 0 {
		t.Fatalf("a new file: %s", errOut)
	}
	if info, err := os.Stat(fresh); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("a new sheet's mode: %v, %v; want 0600", info.Mode(), err)
	}

	// A link at the destination, to a file or to nowhere yet: never
	// followed, never replaced.
	elsewhere := filepath.Join(t.TempDir(), "elsewhere.txt")
	if err := os.WriteFile(elsewhere, []byte("someone's file"), 0o600); err != nil {
		t.Fatal(err)
	}
	nowhere := filepath.Join(t.TempDir(), "planted.pdf")
	for target, link := range map[string]string{elsewhere: "to-file.pdf", nowhere: "to-nowhere.pdf"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
		for _, force := range []string{"--regenerate", "--force"} {
			code, _, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", filepath.Join(dir, link), force)
			if code != 1 || !strings.Contains(errOut, "link") {
				t.Errorf("a link %s (%s): exit %d, %q", link, force, code, errOut)
			}
		}
		if info, err := os.Lstat(filepath.Join(dir, link)); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the link %s was replaced", link)
		}
	}
	if b, _ := os.ReadFile(elsewhere); string(b) != "someone's file" {
		t.Error("a link was followed")
	}
	if _, err := os.Lstat(nowhere); !os.IsNotExist(err) {
		t.Error("a link to nowhere was followed")
	}

	// A folder that does not exist: refused before the sheet is kept.
	events := auditEvents(t, db)
	code, _, errOut = runCLI(t, "aftercare", "--db", db, "--client", id, "--out", filepath.Join(dir, "no such folder", "s.pdf"), "--regenerate")
	if code != 1 || !strings.Contains(errOut, "does not exist") {
		t.Errorf("a missing folder: exit %d, %q", code, errOut)
	}
	if got := auditEvents(t, db); got != events {
		t.Errorf("the refused sheet was recorded: %d events, want %d", got, events)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
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
