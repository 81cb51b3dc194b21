package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// runRestore replaces (or creates) a database from a backup, keeping the
// one that was there as a safety copy.
func runRestore(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file to replace, or to create")
	from := fs.String("from", "", "backup file to restore")
	passFile := fs.String("passphrase-file", "", "the encrypted backup's passphrase is in this file")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dbPath == "" || *from == "" {
		return fmt.Errorf("give --db PATH and --from FILE: %w", errUsage)
	}
	pass, err := readPassphrase(*passFile)
	if err != nil {
		return err
	}
	started := time.Now()
	res, err := sqlite.Restore(ctx, *dbPath, *from, sqlite.RestoreOptions{Passphrase: pass, Actor: data.SystemActor})
	if errors.Is(err, sqlite.ErrPassphraseNeeded) {
		return fmt.Errorf("%w; give it with --passphrase-file FILE or the %s environment variable", err, passphraseEnv)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s in %s\n", *dbPath, *from, time.Since(started).Round(time.Millisecond))
	if res.SafetyCopy != "" {
		fmt.Fprintf(stdout, "the database that was there is kept as %s\n", res.SafetyCopy)
	} else {
		fmt.Fprintf(stdout, "there was no database at %s, so it was created\n", *dbPath)
	}
	return nil
}
