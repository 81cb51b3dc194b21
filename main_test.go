package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/sqlite"
)

// runCLI runs one command in-process, as the binary would.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestDemoBuildsAHealthyWALDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if code, out, errOut := runCLI(t, "demo", "--db", db, "--clients", "500"); code != 0 {
		t.Fatalf("demo exit %d: %s %s", code, out, errOut)
	}
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("sqlite3 is not installed; run `make test-deps`")
	}
	got, err := exec.Command(sqlite3, db, "PRAGMA integrity_check; PRAGMA foreign_key_check; PRAGMA journal_mode").CombinedOutput()
	if err != nil || string(got) != "ok\nwal\n" {
		t.Fatalf("sqlite3 printed %q (%v), want ok and wal only", got, err)
	}
	code, out, _ := runCLI(t, "clients", "--db", db, "--json")
	if code != 0 || strings.Count(out, "\n") != 500 {
		t.Fatalf("clients --json: exit %d, %d lines", code, strings.Count(out, "\n"))
	}
	if code, out, _ := runCLI(t, "check", "--db", db); code != 0 || !strings.Contains(out, "integrity: ok") {
		t.Fatalf("check on a demo database: exit %d: %s", code, out)
	}
}

func TestDemoIsRepeatable(t *testing.T) {
	dir := t.TempDir()
	var lists [2]string
	for i := range lists {
		db := filepath.Join(dir, []string{"a.db", "b.db"}[i])
		if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "60", "--seed", "7"); code != 0 {
			t.Fatal(errOut)
		}
		_, lists[i], _ = runCLI(t, "clients", "--db", db, "--json")
	}
	if lists[0] != lists[1] {
		t.Fatal("the same seed gave two different clinics")
	}
	accented := strings.ContainsFunc(lists[0], func(r rune) bool { return r >= 0xC0 && r <= 0x24F })
	otherScript := strings.ContainsFunc(lists[0], func(r rune) bool { return r >= 0x370 })
	if !accented || !otherScript {
		t.Errorf("demo names lack accents (%v) or non-Latin scripts (%v)", accented, otherScript)
	}
}

func TestImportClientsReportsBadRowsAndKeepsGoodOnesExactly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	hostile := "Robert'); DROP TABLE clients;-- \"quoted\" 100% _under_ \\back\\"
	csv := "given_name,family_name,date_of_birth,phone,email,notes\n" +
		"Zoë,Łukasz-Smith,1990-03-14,+44 20 7946 0958,zoe@example.com,\"" + strings.ReplaceAll(hostile, `"`, `""`) + "\"\n" +
		"\n" +
		"芳,王,1985-07-01,+86 10 5555 0101,,\"" + strings.Repeat("长", 10000) + "\"\n" +
		"Ann,Lee,2090-01-01,+1 555 010 9999,,\n" + // line 5: future birth date
		"In\xffvalid,Bytes,1990-01-01,+1 555 010 9999,,\n" + // line 6
		"Mary,Major,1990-01-01,+1 555 010 9999,not-an-email,\n" // line 7
	file := filepath.Join(dir, "clients.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "import-clients", "--db", db, file)
	if code != 1 {
		t.Fatalf("exit %d, want 1 when rows were refused; %s %s", code, out, errOut)
	}
	for _, want := range []string{"line 5: date_of_birth: ", "line 6: given_name: ", "line 7: email: "} {
		if !strings.Contains(errOut, want) {
			t.Errorf("report lacks %q:\n%s", want, errOut)
		}
	}
	_, list, _ := runCLI(t, "clients", "--db", db, "--json")
	got := map[string]clientJSON{}
	sc := bufio.NewScanner(strings.NewReader(list))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c clientJSON
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		got[c.GivenName] = c
	}
	if len(got) != 2 {
		t.Fatalf("got %d clients, want the 2 good rows: %v", len(got), list)
	}
	if c := got["Zoë"]; c.FamilyName != "Łukasz-Smith" || c.Notes != hostile {
		t.Errorf("Zoë came back as %+v", c)
	}
	if c := got["芳"]; c.FamilyName != "王" || c.Notes != strings.Repeat("长", 10000) {
		t.Errorf("王芳 was not kept exactly")
	}
	code, out, _ = runCLI(t, "clients", "--db", db, "--find", "zoe")
	if code != 0 || !strings.Contains(out, "Zoë") || strings.Contains(out, "王") {
		t.Fatalf("--find zoe: exit %d\n%s", code, out)
	}
}

func TestCheckNeverChangesADamagedFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.db")
	if err := os.WriteFile(bad, bytes.Repeat([]byte("not a database "), 500), 0o600); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, bad)
	code, _, errOut := runCLI(t, "check", "--db", bad)
	if code != 1 || errOut == "" {
		t.Fatalf("check on garbage: exit %d, stderr %q", code, errOut)
	}
	if fileHash(t, bad) != before {
		t.Fatal("check changed the damaged file")
	}
	missing := filepath.Join(dir, "missing.db")
	if code, _, _ := runCLI(t, "check", "--db", missing); code != 1 {
		t.Fatalf("check on a missing file: exit %d", code)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("check created a database")
	}
}

// TestCheckFindsATamperedAuditTrail edits a demo clinic's trail as someone
// with a database tool would, and `check` names the event and fails.
func TestCheckFindsATamperedAuditTrail(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "30"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, _ := runCLI(t, "check", "--db", db)
	if code != 0 || !strings.Contains(out, "audit trail: ok (") {
		t.Fatalf("check on a fresh demo clinic: exit %d\n%s", code, out)
	}
	for _, c := range []struct{ edit, want string }{
		{`UPDATE audit_event SET actor_id = 42 WHERE id = 5`, "audit trail: audit event 5 was changed"},
		{`DELETE FROM audit_event WHERE id > (SELECT max(id) - 3 FROM audit_event)`, "audit trail: audit events after "},
	} {
		orig, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		copied := filepath.Join(t.TempDir(), "copy.db")
		if err := os.WriteFile(copied, orig, 0o600); err != nil {
			t.Fatal(err)
		}
		conn, err := sql.Open("sqlite", copied)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`DROP TRIGGER IF EXISTS audit_event_no_update`, `DROP TRIGGER IF EXISTS audit_event_no_delete`, c.edit} {
			if _, err := conn.ExecContext(t.Context(), q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := conn.Close(); err != nil {
			t.Fatal(err)
		}
		before := fileHash(t, copied)
		code, out, errOut := runCLI(t, "check", "--db", copied)
		if code != 1 || !strings.Contains(out, c.want) || !strings.Contains(errOut, "it was not changed") {
			t.Errorf("after %s: exit %d, want 1 and %q\n%s%s", c.edit, code, c.want, out, errOut)
		}
		if fileHash(t, copied) != before {
			t.Error("check changed the file")
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"demo", "--clients", "x", "--db", "x.db"}, {"import-clients", "--db", "x.db"}, {"clients"}} {
		if code, _, errOut := runCLI(t, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
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

// TestDemoPrintsItsSignInAccounts: `demo` names one account per role with
// the passwords the README documents, and each signs in with it.
func TestDemoPrintsItsSignInAccounts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	code, out, errOut := runCLI(t, "demo", "--db", db, "--clients", "5")
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	staff, err := st.StaffList(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	signedIn := map[data.Role]bool{}
	for _, s := range staff {
		pw := demo.Passwords[s.Role]
		line := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(s.Name) + ` +` + s.Role.Label() + ` +password ` + regexp.QuoteMeta(pw) + `$`)
		if !line.MatchString(out) {
			continue
		}
		if !bytes.Contains(readme, []byte("| "+s.Name)) || !bytes.Contains(readme, []byte("`"+pw+"`")) {
			t.Errorf("README's Demo sign-in does not list %s with %q", s.Name, pw)
		}
		if _, err := st.SignIn(t.Context(), s.ID, pw); err != nil {
			t.Errorf("%s cannot sign in with the printed password: %v", s.Name, err)
		}
		signedIn[s.Role] = true
	}
	if len(signedIn) != len(data.Roles) {
		t.Errorf("demo printed accounts for %v; want every role:\n%s", signedIn, out)
	}
}

// TestReadmeRoleTableMatchesTheStore: the README's table of roles says
// what data.Role.Can allows, permission by permission.
func TestReadmeRoleTableMatchesTheStore(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	yes := map[bool]string{true: "yes", false: "no"}
	for _, p := range data.Permissions {
		cells := []string{p.Describe()}
		for _, r := range data.Roles {
			cells = append(cells, yes[r.Can(p)])
		}
		row := regexp.MustCompile(`(?m)^\| ` + strings.Join(quoteAll(cells), ` +\| +`) + ` +\|$`)
		if !row.Match(readme) {
			t.Errorf("README has no role table row %q", strings.Join(cells, " | "))
		}
	}
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = regexp.QuoteMeta(s)
	}
	return out
}

// TestMain lets a test run the real program in a process of its own, with
// the environment it chooses: NEEDLEDESK_TEST_ARGS holds the arguments,
// one per line. Whatever runs before main (package initialisation, Fyne's
// included) runs in that process as it would in the binary.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("NEEDLEDESK_TEST_ARGS"); ok {
		os.Exit(run(context.Background(), strings.Split(args, "\n"), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// runProcess runs the program with args in a new process with the extra
// environment variables, and returns its exit status and output.
func runProcess(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), env...)
	cmd.Env = append(cmd.Env, "NEEDLEDESK_TEST_ARGS="+strings.Join(args, "\n"))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

// TestCommandsInTheCLocalePrintNoGUIWarnings runs commands as a container
// would, with LANG=C.UTF-8: they show no window, so nothing about the GUI
// (Fyne's "Error parsing user locale C") may reach their output.
func TestCommandsInTheCLocalePrintNoGUIWarnings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	for _, locale := range []string{"LANG=C.UTF-8", "LC_ALL=C.utf8", "LANG=POSIX.UTF-8", "LANG=C"} {
		env := []string{"LC_ALL=", "LC_MESSAGES=", "LANGUAGE=", locale}
		for _, args := range [][]string{{"clients", "--db", db}, {"--help"}} {
			code, _, errOut := runProcess(t, env, args...)
			if code != 0 {
				t.Errorf("%s %v: exit %d\n%s", locale, args, code, errOut)
			}
			if strings.Contains(errOut, "Fyne") || strings.Contains(errOut, "locale") {
				t.Errorf("%s %v printed a GUI warning:\n%s", locale, args, errOut)
			}
		}
	}
	// A locale nobody can read is still reported, not hidden.
	_, _, errOut := runProcess(t, []string{"LC_ALL=", "LC_MESSAGES=", "LANGUAGE=", "LANG=@@"}, "--help")
	if !strings.Contains(errOut, "Error parsing user locale") {
		t.Errorf("an unreadable locale went unreported:\n%s", errOut)
	}
}

// TestCheckFindsTruncationAndEditsBehindNeedleDesk: issue 19's cases, run
// as someone with a database tool would on the clinic's own file (its
// witness file beside it): before, check said "ok (N events)" to the
// first two and nothing at all about the others.
func TestCheckFindsTruncationAndEditsBehindNeedleDesk(t *testing.T) {
	zero := strings.Repeat("0", 64)
	for _, c := range []struct {
		name  string
		edits []string
		want  []string
	}{
		{"drop the triggers, delete the newest events, move the head", []string{
			`DROP TRIGGER audit_event_no_update`, `DROP TRIGGER audit_event_no_delete`,
			`DELETE FROM audit_event WHERE id > (SELECT max(id) - 5 FROM audit_event)`,
			`UPDATE audit_head SET last_id = (SELECT max(id) FROM audit_event), events = (SELECT count(*) FROM audit_event), hash = (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1)`,
		}, []string{"trigger audit_event_no_delete) is missing", "events were removed from its end"}},
		{"delete every event and zero the head", []string{
			`DROP TRIGGER audit_event_no_update`, `DROP TRIGGER audit_event_no_delete`, `DELETE FROM audit_event`,
			`UPDATE audit_head SET last_id = 0, events = 0, hash = '` + zero + `'`,
		}, []string{"every event was removed"}},
		{"a direct UPDATE of a client row", []string{`UPDATE client SET medications = 'none' WHERE id = 2`},
			[]string{"client 2 does not match its last change recorded in the audit trail"}},
		{"a direct UPDATE of a staff row", []string{`UPDATE staff SET role = 'owner' WHERE role = 'receptionist'`},
			[]string{"does not match its last change recorded in the audit trail"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "clinic.db")
			if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "20"); code != 0 {
				t.Fatal(errOut)
			}
			conn, err := sql.Open("sqlite", db)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range c.edits {
				if _, err := conn.ExecContext(t.Context(), q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if err := conn.Close(); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCLI(t, "check", "--db", db)
			if code != 1 {
				t.Errorf("exit %d, want 1\n%s%s", code, out, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("check does not say %q:\n%s", w, out)
				}
			}
		})
	}
}
