package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"needledesk/data/demo"
)

// runDemo fills a database with a made-up clinic.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file (created if missing)")
	clients := fs.Int("clients", 500, "number of clients to add")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same clinic")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *clients < 0 || *clients > 5_000_000 {
		return fmt.Errorf("--clients must be between 0 and 5000000: %w", errUsage)
	}
	st, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	started := time.Now()
	res, err := demo.Fill(ctx, st, demo.Options{
		Clients: *clients, Seed: *seed, Now: time.Now(),
		Progress: func(done, total int) { fmt.Fprintf(stderr, "\radded %d of %d clients", done, total) },
	})
	if *clients > 0 {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %d clients, %d sessions and %d appointments to %s in %s\n",
		res.Clients, res.Sessions, res.Appointments, *dbPath, time.Since(started).Round(time.Millisecond))
	printDemoAccounts(stdout, res.Accounts)
	return nil
}

// printDemoAccounts lists who can sign in to a new demo clinic, and how.
func printDemoAccounts(w io.Writer, accounts []demo.Account) {
	if len(accounts) == 0 {
		return
	}
	fmt.Fprintln(w, "sign in as:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, a := range accounts {
		fmt.Fprintf(tw, "  %s\t%s\tpassword %s\n", a.Staff.Name, a.Staff.Role.Label(), a.Password)
	}
	_ = tw.Flush()
}
