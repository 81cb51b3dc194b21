package cli

import (
	"context"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// newestEvent opens db and returns its newest audit event and the staff
// list.
func newestEvent(t *testing.T, db string) (data.AuditEvent, []data.Staff) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, err := st.AuditEvents(t.Context(), data.SystemActor, data.AuditFilter{Limit: 1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("audit trail: %v", err)
	}
	staff, err := st.StaffList(t.Context(), data.SystemActor, true)
	if err != nil {
		t.Fatal(err)
	}
	return evs[0], staff
}

func staffNamed(t *testing.T, staff []data.Staff, name string) data.Staff {
	t.Helper()
	for _, s := range staff {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no staff member %q", name)
	return data.Staff{}
}

func osUserName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

// TestCommandLineWorkNamesTheCommandLineAndTheOwner: work done from the
// command line is recorded under the owner the command names with --as
// (or the first active owner), and says it came from the command line and
// which of the computer's users ran it. --as must name an active owner.
func TestCommandLineWorkNamesTheCommandLineAndTheOwner(t *testing.T) {
	db := demoDB(t, "5")
	st, err := sqlite.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	second := data.Staff{Name: "Noor Haddad", Role: data.RoleOwner, Active: true}
	if err := st.CreateStaff(t.Context(), data.SystemActor, &second); err != nil {
		t.Fatal(err)
	}
	st.Close()
	csv := filepath.Join(t.TempDir(), "c.csv")
	if err := os.WriteFile(csv, []byte("given_name,family_name,date_of_birth,phone,email,notes\nAda,Byron,1990-01-02,+44 20 7946 0001,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI(t, "import-clients", "--db", db, "--as", "Noor Haddad", csv); code != 0 {
		t.Fatalf("import --as: exit %d\n%s%s", code, out, errOut)
	}
	ev, staff := newestEvent(t, db)
	if ev.ActorID != second.ID || !strings.Contains(ev.Detail, "command line") || !strings.Contains(ev.Detail, osUserName()) {
		t.Errorf("import --as Noor Haddad recorded %+v; want actor %d, the command line and user %q", ev, second.ID, osUserName())
	}
	out := filepath.Join(t.TempDir(), "b.db")
	if code, _, errOut := runCLI(t, "backup", "--db", db, "--out", out); code != 0 {
		t.Fatal(errOut)
	}
	first := staffNamed(t, staff, "Maya Lindqvist")
	if ev, _ := newestEvent(t, db); ev.ActorID != first.ID || !strings.Contains(ev.Detail, "command line") {
		t.Errorf("backup without --as recorded %+v; want the first owner %d and the command line", ev, first.ID)
	}
	for _, as := range []string{"Sam O'Neill", "Nobody Here"} {
		code, _, errOut := runCLI(t, "backup", "--db", db, "--out", filepath.Join(t.TempDir(), "x.db"), "--as", as)
		if code != 1 || !strings.Contains(errOut, as) {
			t.Errorf("--as %q: exit %d, %q; want 1 and a message naming them", as, code, errOut)
		}
	}
}
