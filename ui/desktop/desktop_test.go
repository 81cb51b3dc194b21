package desktop

import (
	"bytes"
	"math"
	"runtime/debug"
	"strings"
	"testing"
)

// TestWindowFlagsAreCheckedBeforeAnyWindow: the window's own flags are
// --db and --help; anything else is named, the help follows and the exit
// status is 2, with no window opened; --help prints the help and exits 0.
func TestWindowFlagsAreCheckedBeforeAnyWindow(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"--db"}, 2, "flag needs an argument: -db"},
		{[]string{"--help"}, 0, ""},
	} {
		var out, errOut bytes.Buffer
		code := Run(t.Context(), c.args, &out, &errOut)
		help := out.String()
		if c.code != 0 {
			help = errOut.String()
		}
		if code != c.code || !strings.Contains(errOut.String(), c.want) || !strings.Contains(help, "Commands:") {
			t.Errorf("%v: exit %d, want %d\nstdout %s\nstderr %s", c.args, code, c.code, out.String(), errOut.String())
		}
	}
}

// TestWindowCollectsAtHalf: the window's Go heap is collected once it has
// grown by half of what it keeps, unless GOGC says otherwise, and keeps
// its soft limit unless GOMEMLIMIT says otherwise.
func TestWindowCollectsAtHalf(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	limitMemory()
	if got := debug.SetGCPercent(100); got != guiGCPercent {
		t.Errorf("the collector runs at %d%% growth; want %d%%", got, guiGCPercent)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != guiMemoryLimit {
		t.Errorf("the soft memory limit is %d; want %d", got, guiMemoryLimit)
	}
	t.Setenv("GOGC", "100")
	t.Setenv("GOMEMLIMIT", "1GiB")
	limitMemory()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set the window still changed the collector to %d%%", got)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set the window still set a limit of %d", got)
	}
}
