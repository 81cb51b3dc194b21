package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/backup"
)

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

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// runCLI runs one command in-process, as the binary would.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// demoDB makes a demo clinic of n clients and returns its path.
func demoDB(t *testing.T, n string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "clinic", "clinic.db")
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", n); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	return db
}

// damagedWithBackup makes a clinic with a good backup in the backups folder
// beside it, then damages the clinic's pages.
func damagedWithBackup(t *testing.T) (db, backupPath string) {
	t.Helper()
	db = demoDB(t, "80")
	backupPath = filepath.Join(filepath.Dir(db), "backups", backup.FileName(time.Now().Add(-time.Hour), 1, false))
	if err := os.Mkdir(filepath.Dir(backupPath), 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "backup", "--db", db, "--out", backupPath); code != 0 {
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
	return db, backupPath
}
