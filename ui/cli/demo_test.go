package cli

import (
	"bytes"
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

// TestDemoPrintsItsSignInAccounts: `demo` names one account per role with
// the passwords the README documents, and each signs in with it.
func TestDemoPrintsItsSignInAccounts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	code, out, errOut := runCLI(t, "demo", "--db", db, "--clients", "5")
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	staff, err := st.StaffList(t.Context(), data.SystemActor, false)
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
