package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// withPasswordInput runs fn with reset-password reading text as its
// standard input (not a terminal).
func withPasswordInput(t *testing.T, text string, fn func()) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	old := passwordInput
	passwordInput = f
	defer func() { passwordInput = old; f.Close() }()
	fn()
}

// TestResetPasswordForAnOwnerWhoForgotIt: the owner signs in with the new
// password, the old one no longer works, and the reset is in the trail as
// done from the command line.
func TestResetPasswordForAnOwnerWhoForgotIt(t *testing.T) {
	db := demoDB(t, "3")
	var code int
	var out, errOut string
	withPasswordInput(t, "a brand new secret\n", func() {
		code, out, errOut = runCLI(t, "reset-password", "--db", db, "--staff", "Maya Lindqvist")
	})
	if code != 0 || !strings.Contains(out, "Maya Lindqvist") {
		t.Fatalf("reset-password: exit %d\n%s%s", code, out, errOut)
	}
	ev, staff := newestEvent(t, db)
	maya := staffNamed(t, staff, "Maya Lindqvist")
	if ev.Action != data.ActionPasswordSet || ev.EntityID != maya.ID || !strings.Contains(ev.Detail, "reset-password") ||
		!strings.Contains(ev.Detail, osUserName()) {
		t.Errorf("newest event %+v; want the reset of %d, from the command line by %q", ev, maya.ID, osUserName())
	}
	st, err := sqlite.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.SignIn(t.Context(), maya.ID, "owner-demo"); err == nil {
		t.Error("the old password still signs in")
	}
	if _, err := st.SignIn(t.Context(), maya.ID, "a brand new secret"); err != nil {
		t.Errorf("the new password: %v", err)
	}
}

func TestResetPasswordRefusals(t *testing.T) {
	db := demoDB(t, "3")
	for _, c := range []struct {
		input string
		args  []string
		want  string
	}{
		{"short\n", []string{"--staff", "Maya Lindqvist"}, "too short"},
		{"a brand new secret\n", []string{"--staff", "Nobody Here"}, "Nobody Here"},
		{"a brand new secret\n", nil, "--staff NAME"},
	} {
		before := fileHash(t, db)
		var code int
		var errOut string
		withPasswordInput(t, c.input, func() {
			code, _, errOut = runCLI(t, append([]string{"reset-password", "--db", db}, c.args...)...)
		})
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want a refusal with %q", c.args, code, errOut, c.want)
		}
		if c.want == "too short" && fileHash(t, db) != before {
			t.Error("a refused password changed the file")
		}
	}
}

// TestResetPasswordNeedsAFileTheUserMayWrite runs the command as another
// of the computer's users (nobody), who may read the clinic's file but
// not write it: refused, and nothing changes. Only root can switch users,
// which is how the tests run here and in CI.
func TestResetPasswordNeedsAFileTheUserMayWrite(t *testing.T) {
	if os.Getenv("NEEDLEDESK_RESET_AS_NOBODY") != "" {
		withPasswordInput(t, "a brand new secret\n", func() {
			code, _, errOut := runCLI(t, "reset-password", "--db", os.Getenv("NEEDLEDESK_RESET_AS_NOBODY"), "--staff", "Maya Lindqvist")
			os.Stderr.WriteString(errOut)
			os.Exit(code)
		})
		return
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to run the command as another user")
	}
	dir := filepath.Join(t.TempDir(), "shared")
	db := filepath.Join(dir, "clinic.db")
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "2"); code != 0 {
		t.Fatal(errOut)
	}
	top := filepath.Dir(filepath.Dir(dir)) // the test's own temporary folder
	for p, mode := range map[string]os.FileMode{top: 0o755, filepath.Dir(dir): 0o755, dir: 0o755, db: 0o644} {
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	before := fileHash(t, db)
	self, err := os.ReadFile(os.Args[0]) // the test binary, where nobody may run it
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(filepath.Dir(dir), "needledesk.test")
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestResetPasswordNeedsAFileTheUserMayWrite$")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NEEDLEDESK_RESET_AS_NOBODY="+db, "HOME=/tmp")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "may not change") {
		t.Errorf("as nobody: %v\n%s", err, out)
	}
	if fileHash(t, db) != before {
		t.Error("the file changed")
	}
}
