package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
)

// The command line's backups of a clinic on the throwaway PostgreSQL
// server (data/postgres/pgtest).

// serverClinic is a clinic with an owner and two clients on a new
// database of the test server.
func serverClinic(t *testing.T) string {
	t.Helper()
	url := pgtest.NewDatabase(t)
	st, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	owner := data.Staff{Name: "Dana Owner", Role: data.RoleOwner, Active: true}
	if err := st.CreateStaff(t.Context(), data.SystemActor, &owner); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Zoë", "Ana"} {
		c := data.Client{GivenName: name, FamilyName: "Ødegård", DateOfBirth: data.NewDate(1991, time.July, 9), Phone: "0161 496 0000"}
		if err := st.CreateClient(t.Context(), owner.ID, &c); err != nil {
			t.Fatal(err)
		}
	}
	return url
}

func TestServerBackupAndRestoreFromTheCommandLine(t *testing.T) {
	source := serverClinic(t)
	want := clientsJSON(t, source)
	if !strings.Contains(want, "Ødegård") {
		t.Fatalf("the clinic's clients: %s", want)
	}
	out := filepath.Join(t.TempDir(), "clinic.dump")
	code, stdout, errOut := runCLI(t, "backup", "--db", source, "--out", out)
	if code != 0 || !strings.Contains(stdout, "wrote "+out) || !strings.Contains(stdout, "checked after writing") || !strings.Contains(errOut, "100%") {
		t.Fatalf("backup: exit %d\n%s\n%s", code, stdout, errOut)
	}
	code, _, errOut = runCLI(t, "restore", "--db", source, "--from", out)
	if code != 1 || !strings.Contains(errOut, "new, empty database") || !strings.Contains(errOut, "already holds") {
		t.Errorf("restore over the clinic's own database: exit %d, %q", code, errOut)
	}
	target := pgtest.NewDatabase(t)
	code, stdout, errOut = runCLI(t, "restore", "--db", target, "--from", out)
	if code != 0 || !strings.Contains(stdout, "audit trail checks out") || !strings.Contains(stdout, "--db "+target) {
		t.Fatalf("restore into an empty database: exit %d\n%s\n%s", code, stdout, errOut)
	}
	if got := clientsJSON(t, target); got != want {
		t.Errorf("the restored clients differ:\n%s\nwant\n%s", got, want)
	}
}

func TestEncryptedServerBackupFromTheCommandLine(t *testing.T) {
	source := serverClinic(t)
	dir := t.TempDir()
	passFile := filepath.Join(dir, "pass.txt")
	if err := os.WriteFile(passFile, []byte("a passphrase for the stick\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "clinic.dump.age")
	if code, stdout, errOut := runCLI(t, "backup", "--db", source, "--out", out, "--passphrase-file", passFile); code != 0 ||
		!strings.Contains(stdout, "encrypted") {
		t.Fatalf("encrypted backup: exit %d\n%s\n%s", code, stdout, errOut)
	}
	target := pgtest.NewDatabase(t)
	code, _, errOut := runCLI(t, "restore", "--db", target, "--from", out)
	if code != 1 || !strings.Contains(errOut, "--passphrase-file") || !strings.Contains(errOut, "NEEDLEDESK_PASSPHRASE") {
		t.Errorf("restore without a passphrase: exit %d, %q", code, errOut)
	}
	t.Setenv("NEEDLEDESK_PASSPHRASE", "not the passphrase at all")
	if code, _, errOut := runCLI(t, "restore", "--db", target, "--from", out); code != 1 || !strings.Contains(errOut, "passphrase is not the one") {
		t.Errorf("restore with a wrong passphrase: exit %d, %q", code, errOut)
	}
	if code, stdout, errOut := runCLI(t, "restore", "--db", target, "--from", out, "--passphrase-file", passFile); code != 0 {
		t.Fatalf("restore: exit %d\n%s\n%s", code, stdout, errOut)
	}
	if got, want := clientsJSON(t, target), clientsJSON(t, source); got != want {
		t.Errorf("the restored clients differ:\n%s\nwant\n%s", got, want)
	}
}
