package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

func TestAftercareWritesTheKeptSheetAgain(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "30"); code != 0 {
		t.Fatal(errOut)
	}
	_, list, _ := runCLI(t, "clients", "--db", db, "--json")
	// Find a client with sessions: the first that aftercare accepts.
	var client clientJSON
	var first string
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		if err := json.Unmarshal([]byte(line), &client); err != nil {
			t.Fatal(err)
		}
		if client.LastSession != "" {
			first = filepath.Join(dir, "first.pdf")
			break
		}
	}
	if first == "" {
		t.Fatal("the demo clinic has no treated client")
	}
	id := fmt.Sprint(client.ID)
	if code, out, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", first); code != 0 || !strings.Contains(out, "version 1") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	again := filepath.Join(dir, "again.pdf")
	if code, out, _ := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", again); code != 0 || !strings.Contains(out, "version 1") {
		t.Fatalf("second write: exit %d: %s", code, out)
	}
	if fileHash(t, first) != fileHash(t, again) {
		t.Fatal("writing a kept sheet again gave different bytes")
	}
	if code, out, _ := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", again, "--regenerate", "--force"); code != 0 || !strings.Contains(out, "version 2") {
		t.Fatalf("--regenerate: exit %d: %s", code, out)
	}
	text, err := exec.Command("pdftotext", "-layout", first, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (install poppler-utils: make test-deps): %v", err)
	}
	if !strings.Contains(string(text), client.GivenName+" "+client.FamilyName) {
		t.Fatalf("the sheet does not name %s %s", client.GivenName, client.FamilyName)
	}
	for _, args := range [][]string{
		{"--session", "999999", "--out", filepath.Join(dir, "x.pdf")},
		{"--client", "999999", "--out", filepath.Join(dir, "x.pdf")},
	} {
		if code, _, errOut := runCLI(t, append([]string{"aftercare", "--db", db}, args...)...); code != 1 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.pdf")); !os.IsNotExist(err) {
		t.Error("a failed command left a file behind")
	}
	if code, _, _ := runCLI(t, "aftercare", "--db", db, "--session", "1", "--client", "1", "--out", "x.pdf"); code != 2 {
		t.Errorf("--session with --client: exit %d, want 2", code)
	}
}

// Writing a kept sheet again after the record changed hands back the kept
// sheet as it was, and says on stderr that it no longer matches and how to
// make a new version.
func TestAftercareSaysWhenTheKeptSheetNoLongerMatches(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "20", "--seed", "7"); code != 0 {
		t.Fatal(errOut)
	}
	// The first demo client with a session.
	out := filepath.Join(dir, "sheet.pdf")
	var id string
	var clientID int64
	for clientID = 1; clientID <= 20 && id == ""; clientID++ {
		try := strconv.FormatInt(clientID, 10)
		if code, _, errOut := runCLI(t, "aftercare", "--db", db, "--client", try, "--out", out); code == 0 && errOut == "" {
			id = try
		}
	}
	clientID--
	if id == "" {
		t.Fatal("no demo client has a session to make a sheet for")
	}
	if code, _, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", out, "--force"); code != 0 || errOut != "" {
		t.Fatalf("nothing changed, yet: exit %d, stderr %q", code, errOut)
	}
	before := fileHash(t, out)

	ctx := context.Background()
	st, actor, err := openAsOwner(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.Client(ctx, actor, clientID)
	if err == nil {
		c.GivenName += " Marie" // the first thing the sheet prints
		err = st.UpdateClient(ctx, actor, &c)
	}
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	code, stdout, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", out, "--force")
	if code != 0 || !strings.Contains(stdout, "version 1") || fileHash(t, out) != before {
		t.Fatalf("the kept sheet was not handed back as it was: exit %d, %s", code, stdout)
	}
	for _, want := range []string{"kept sheet, version 1", "have changed since this sheet was made", "the client's name", "--regenerate"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q: %s", want, errOut)
		}
	}
	if code, stdout, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", out, "--regenerate", "--force"); code != 0 ||
		!strings.Contains(stdout, "version 2") || errOut != "" {
		t.Fatalf("--regenerate: exit %d, %s, stderr %q", code, stdout, errOut)
	}
	if code, _, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", out, "--force"); code != 0 || errOut != "" {
		t.Errorf("the new version matches the record, yet: %q", errOut)
	}
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
	backups := BackupsFolder(db)
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
