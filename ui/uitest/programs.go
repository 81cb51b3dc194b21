package uitest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// FakeProgram puts a shell script called name in dir; each run writes its
// arguments, one a line, to dir/name.args and then runs body.
func FakeProgram(t testing.TB, dir, name, body string) {
	t.Helper()
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + filepath.Join(dir, name+".args") + "\"\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// ProgramArgs reads what fake program name was run with; nil if never.
func ProgramArgs(t testing.TB, dir, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name+".args"))
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// ProgramsOnly makes a new folder the only place programs are found, so
// no printer or viewer of the computer running the test plays a part.
func ProgramsOnly(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	return dir
}

// WaitDialog waits for a dialog in w and returns every text it shows.
func WaitDialog(t testing.TB, q Queue, w fyne.Window) string {
	t.Helper()
	q.WaitFor(t, "a dialog", func() bool { return w.Canvas().Overlays().Top() != nil })
	return strings.Join(Texts(w.Canvas().Overlays().Top()), "\n")
}
