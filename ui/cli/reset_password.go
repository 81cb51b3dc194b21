package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"needledesk/data"
	"needledesk/data/sqlite"

	"golang.org/x/term"
)

// passwordInput is where reset-password reads the new password: the
// terminal, without echo, or the first line of standard input when it is
// not a terminal (scripts, tests).
var passwordInput = os.Stdin

// runResetPassword sets a new password for a member of staff, for an
// owner who forgot theirs: only someone at the computer that holds the
// file, as a user who may write it, can do this, which is no more than
// such a person could do to the file anyway. The reset is recorded in
// the audit trail, under the owner the command works as, as done from
// the command line by the computer's user.
func runResetPassword(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reset-password", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file")
	name := fs.String("staff", "", "whose password to reset, by name")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dbPath == "" || strings.TrimSpace(*name) == "" {
		return fmt.Errorf("give --db PATH and --staff NAME: %w", errUsage)
	}
	if err := mustExist(*dbPath); err != nil {
		return err
	}
	if err := mayWrite(*dbPath); err != nil {
		return err
	}
	password, err := readNewPassword(stderr, *name)
	if err != nil {
		return err
	}
	if why := data.CheckPassword(password); why != "" {
		return fmt.Errorf("the new password %s; nothing was changed", why)
	}
	st, actor, err := openAsOwner(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	who, err := staffByName(ctx, st, *name)
	if err != nil {
		return err
	}
	ctx = sqlite.WithOrigin(ctx, "reset with needledesk reset-password at the computer that holds the file, as the computer's user "+osUser())
	if err := st.SetPassword(ctx, actor, who.ID, password); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "the password of %s was reset; the reset is recorded in the audit trail\n", who.Name)
	return nil
}

// mayWrite refuses a file the computer's user running the command may not
// Write: opening it for writing, without changing it, is the test.
func mayWrite(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("the computer's user %s may not change %s (%w); a password can be reset only by a user of this computer who may write the clinic's file",
			osUser(), path, errors.Unwrap(err))
	}
	return f.Close()
}

// staffByName finds a member of staff, switched off or not, by name
// (case does not matter).
func staffByName(ctx context.Context, st data.StaffStore, name string) (data.Staff, error) {
	staff, err := st.StaffList(ctx, data.SystemActor, true)
	if err != nil {
		return data.Staff{}, err
	}
	var names []string
	for _, s := range staff {
		if strings.EqualFold(s.Name, strings.TrimSpace(name)) {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return data.Staff{}, fmt.Errorf("no one named %q is on the clinic's staff list (%s)", name, strings.Join(names, ", "))
}

// readNewPassword asks twice on the terminal without echo, or reads the
// first line of standard input when it is not a terminal.
func readNewPassword(prompt io.Writer, name string) (string, error) {
	fd := int(passwordInput.Fd())
	if !term.IsTerminal(fd) {
		line, err := bufio.NewReader(passwordInput).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading the new password: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	ask := func(q string) (string, error) {
		fmt.Fprint(prompt, q)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(prompt)
		return string(b), err
	}
	first, err := ask("New password for " + name + ": ")
	if err != nil {
		return "", fmt.Errorf("reading the new password: %w", err)
	}
	again, err := ask("Type it again: ")
	if err != nil {
		return "", fmt.Errorf("reading the new password: %w", err)
	}
	if first != again {
		return "", errors.New("the two passwords differ; nothing was changed")
	}
	return first, nil
}
