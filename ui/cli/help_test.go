package cli

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

// commandFlags is the flag set a command parses, as it gives it for --help.
func commandFlags(t *testing.T, c command) *flag.FlagSet {
	t.Helper()
	var help *helpWanted
	if err := c.run(t.Context(), []string{"--help"}, io.Discard, io.Discard); !errors.As(err, &help) {
		t.Fatalf("%s --help returned %v", c.name, err)
	}
	return help.flags
}

// TestHelpListsEveryCommandOnOneLine: `needledesk help` lists each command
// once, on a line of its own with what it does.
func TestHelpListsEveryCommandOnOneLine(t *testing.T) {
	code, out, errOut := runCLI(t, "help")
	if code != 0 || errOut != "" {
		t.Fatalf("help: exit %d, stderr %q", code, errOut)
	}
	for _, c := range commands {
		var lines []string
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) > 0 && f[0] == c.name {
				lines = append(lines, l)
			}
		}
		if len(lines) != 1 || !strings.HasSuffix(lines[0], c.summary) {
			t.Errorf("help lists %s on %q; want one line ending %q", c.name, lines, c.summary)
		}
	}
}

// TestCommandHelpListsItsFlagsWithDefaults: `needledesk COMMAND --help`
// and `needledesk help COMMAND` print how the command is called and every
// flag it takes, with its default, and exit 0.
func TestCommandHelpListsItsFlagsWithDefaults(t *testing.T) {
	for _, c := range commands {
		fs := commandFlags(t, c)
		code, out, errOut := runCLI(t, c.name, "--help")
		if code != 0 || errOut != "" {
			t.Errorf("%s --help: exit %d, stderr %q", c.name, code, errOut)
		}
		if !strings.Contains(out, "needledesk "+c.name+" "+c.args) {
			t.Errorf("%s --help does not say how it is called:\n%s", c.name, out)
		}
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(out, "-"+f.Name) || !strings.Contains(out, f.Usage) {
				t.Errorf("%s --help does not list -%s:\n%s", c.name, f.Name, out)
			}
			if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && !strings.Contains(out, "(default "+f.DefValue+")") {
				t.Errorf("%s --help does not give -%s's default %s:\n%s", c.name, f.Name, f.DefValue, out)
			}
		})
		if got := strings.Contains(out, "-as name"); got != c.asOwner {
			t.Errorf("%s --help lists --as: %v; it works as an owner: %v", c.name, got, c.asOwner)
		}
		if c.name == "help" {
			continue
		}
		if code, again, _ := runCLI(t, "help", c.name); code != 0 || again != out {
			t.Errorf("help %s: exit %d, and it differs from %s --help:\n%s", c.name, code, c.name, again)
		}
	}
	if _, out, _ := runCLI(t, "demo", "--help"); !strings.Contains(out, "(default 500)") {
		t.Errorf("demo --help does not give --clients's default of 500:\n%s", out)
	}
}

// TestWrongCallsSayWhatIsWrongAndPrintTheHelp: an unknown command, an
// unknown flag, a flag's bad value or a missing flag is named, followed
// by the help (the list of commands, or the command's flags), and the
// exit status is 2.
func TestWrongCallsSayWhatIsWrongAndPrintTheHelp(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"frobnicate"}, []string{`there is no command "frobnicate"`, "Commands:", "reset-password"}},
		{[]string{"help", "frobnicate"}, []string{`there is no command "frobnicate"`}},
		{[]string{"clients", "--bogus"}, []string{"flag provided but not defined: -bogus", "needledesk clients --db PATH", "-find string"}},
		{[]string{"demo", "--clients", "x", "--db", "x.db"}, []string{`invalid value "x" for flag -clients`, "-seed uint"}},
		{[]string{"export", "--db", "x.db"}, []string{"give --out DIR and either --client ID or --all", "-out string"}},
		{[]string{"clients"}, []string{"--db PATH is required", "-json"}},
		{[]string{"backup", "--db", "x.db", "--out", "y", "--as"}, []string{"--as needs an owner's name", "-passphrase-file"}},
	} {
		code, out, errOut := runCLI(t, c.args...)
		if code != 2 || out != "" {
			t.Errorf("%v: exit %d, stdout %q; want 2 and nothing", c.args, code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr does not say %q:\n%s", c.args, w, errOut)
			}
		}
	}
}
