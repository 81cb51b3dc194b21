package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/sqlite"
	"needledesk/data/storeopen"
)

// runRestore replaces (or creates) a database from a backup, keeping the
// one that was there as a safety copy; a backup of a clinic's server
// database goes into a new, empty database on a server instead.
func runRestore(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file to replace, or to create; or a new, empty database on the server (postgres://…)")
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
	if storeopen.IsServer(*dbPath) {
		return restoreToServer(ctx, *dbPath, *from, pass, stdout)
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

// restoreToServer restores a backup of a clinic's server database into
// the empty database target, and says how to point the workstations at
// it.
func restoreToServer(ctx context.Context, target, from string, pass []byte, stdout io.Writer) error {
	started := time.Now()
	_, err := postgres.Restore(ctx, target, from, data.RestoreOptions{Passphrase: pass, Actor: data.SystemActor})
	if errors.Is(err, postgres.ErrPassphraseNeeded) {
		return fmt.Errorf("%w; give it with --passphrase-file FILE or the %s environment variable", err, passphraseEnv)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s in %s; its audit trail checks out\n", from, postgres.Address(target), time.Since(started).Round(time.Millisecond))
	fmt.Fprintf(stdout, "the database the workstations use now was not changed: to work on the restored records, "+
		"start NeedleDesk on each workstation with --db %s\n", postgres.Address(target))
	return nil
}
