package desktop

import (
	"bytes"
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
