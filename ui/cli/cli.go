// Package cli is NeedleDesk's command line, the app's second user
// interface: one file per command, each with its tests beside it. It
// imports no Fyne; main opens the window when the arguments name no
// command.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// command is one of needledesk's commands.
type command struct {
	name    string
	args    string // how it is called, after its name
	summary string // one line for `needledesk help`
	asOwner bool   // it works as an owner, whom --as may name
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands in the order `needledesk help` lists them.
var commands []command

func init() {
	commands = []command{
		{"demo", "--db PATH [--clients N] [--seed S]", "fill a database with a sample clinic", false, runDemo},
		{"import-clients", "--db PATH FILE.csv [--all-or-nothing]", "add clients from a spreadsheet", true, runImportClients},
		{"clients", "--db PATH [--find TEXT] [--json]", "list clients", false, runClients},
		{"appointments", "--db PATH --day YYYY-MM-DD [--json]", "list a day's appointments", false, runAppointments},
		{"export", "--db PATH (--client ID | --all) --out DIR", "write a client's record, or every client, to files", true, runExport},
		{"check", "--db PATH|postgres://... [--backups DIR]", "check a database without changing it", false, runCheck},
		{"backup", "--db PATH|postgres://... --out FILE [--passphrase-file F]", "write a checked copy of a database (of a server's: pg_dump)", true, runBackup},
		{"restore", "--db PATH|postgres://... --from FILE [--passphrase-file F]", "replace (or create) a database from a backup; a server's goes into a new, empty database", false, runRestore},
		{"aftercare", "--db PATH (--session ID | --client ID) --out FILE.pdf [--regenerate] [--force]", "write a session's aftercare sheet", true, runAftercare},
		{"pg-init", "--db postgres://... [--role NAME] [--upgrade]", "set up an empty PostgreSQL database for a clinic, and the role the workstations connect as; --upgrade brings one set up by an older NeedleDesk up to date", false, runPgInit},
		{"move-to-postgres", "--from FILE --to postgres://...", "copy a clinic from its file onto a PostgreSQL server, and check the copy", false, runMoveToPostgres},
		{"reset-password", "--db PATH --staff NAME", "set a new password (for an owner who forgot it)", true, runResetPassword},
		{"help", "[COMMAND]", "list the commands, or a command's flags", false, runHelp},
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// IsCommand reports whether args name a command rather than the window:
// the window takes only flags (--db PATH, --help).
func IsCommand(args []string) bool {
	return len(args) > 0 && !strings.HasPrefix(args[0], "-")
}

// Run runs the command args name and returns the process exit status: 0
// done, 1 failed, 2 called wrongly (the problem and the help are printed).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printHelp(stderr)
		return 2
	}
	name, args := args[0], args[1:]
	cmd, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "needledesk: there is no command %q\n\n", name)
		printHelp(stderr)
		return 2
	}
	ctx, args, err := commandLineWork(ctx, args)
	if err == nil {
		err = cmd.run(ctx, args, stdout, stderr)
	}
	var help *helpWanted
	switch {
	case err == nil:
		return 0
	case errors.As(err, &help):
		printCommandHelp(stdout, help.flags)
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "needledesk %s: %v\n\n", name, err)
		fs := usageFlags(err)
		if fs == nil {
			// The command's own flags: what it returns for --help.
			if errors.As(cmd.run(ctx, []string{"--help"}, io.Discard, io.Discard), &help) {
				fs = help.flags
			}
		}
		if fs != nil {
			printCommandHelp(stderr, fs)
		} else {
			printHelp(stderr)
		}
		return 2
	case errors.Is(err, errReported):
		return 1
	default:
		fmt.Fprintf(stderr, "needledesk %s: %v\n", name, err)
		return 1
	}
}

var (
	// errUsage marks a command called wrongly: exit status 2.
	errUsage = errors.New("usage")
	// errReported marks a command whose problems it printed itself.
	errReported = errors.New("problems were reported")
)

// DefaultDBPath is the clinic database in the user's config folder.
func DefaultDBPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "NeedleDesk", "clinic.db")
}

// helpWanted is returned by parseFlags for --help.
type helpWanted struct{ flags *flag.FlagSet }

func (h *helpWanted) Error() string { return "help requested" }
func (h *helpWanted) Unwrap() error { return flag.ErrHelp }

// flagError is a bad flag: the problem, and the command's flags to show.
type flagError struct {
	err   error
	flags *flag.FlagSet
}

func (e *flagError) Error() string   { return e.err.Error() }
func (e *flagError) Unwrap() []error { return []error{e.err, errUsage} }

// usageFlags is the flag set of a bad-flag error, or nil.
func usageFlags(err error) *flag.FlagSet {
	var fe *flagError
	if errors.As(err, &fe) {
		return fe.flags
	}
	return nil
}

// parseFlags parses flags wherever they stand among the arguments, so
// `import-clients FILE.csv --db x.db` works as well as the documented order.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpWanted{fs}
			}
			return nil, &flagError{err, fs}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}
