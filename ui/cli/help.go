package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
)

const helpEnd = `
Run needledesk COMMAND --help for a command's flags.

Commands that change the database work under the first active owner's
account, or the owner named with --as NAME, and the audit trail records
them as done from the command line by the computer's user.

Without --db the app uses %s.
A backup is encrypted when a passphrase is given, from a file or the
NEEDLEDESK_PASSPHRASE environment variable; never on the command line.
`

// printHelp lists the commands, one line each.
func printHelp(w io.Writer) {
	fmt.Fprint(w, "NeedleDesk: client records and aftercare sheets for skin-needling clinics.\n\n")
	fmt.Fprint(w, "Usage:\n  needledesk [--db PATH]      open the app\n  needledesk COMMAND [FLAGS]\n\nCommands:\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, helpEnd, DefaultDBPath())
}

// PrintHelp is the help main prints for the window's --help.
func PrintHelp(w io.Writer) { printHelp(w) }

// printCommandHelp shows how a command is called and its flags with
// their defaults.
func printCommandHelp(w io.Writer, fs *flag.FlagSet) {
	c, _ := lookup(fs.Name())
	fmt.Fprintf(w, "needledesk %s: %s\n\nUsage:\n  needledesk %s %s\n\nFlags:\n", c.name, c.summary, c.name, c.args)
	fs.SetOutput(w)
	fs.PrintDefaults()
	if c.asOwner {
		fmt.Fprintln(w, "  -as name\n    \tthe active owner the work is done as (default: the first active owner)")
	}
	fs.SetOutput(io.Discard)
}

// runHelp lists the commands, or with a command's name, its flags.
func runHelp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("help", flag.ContinueOnError)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		printHelp(stdout)
		return nil
	case len(rest) > 1:
		return fmt.Errorf("help takes at most one command's name: %w", errUsage)
	}
	c, ok := lookup(rest[0])
	if !ok || c.name == "help" {
		return fmt.Errorf("there is no command %q: %w", rest[0], errUsage)
	}
	return c.run(ctx, []string{"--help"}, stdout, stderr)
}
