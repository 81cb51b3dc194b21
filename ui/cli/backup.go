package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"needledesk/data"
	"needledesk/data/storeopen"
)

// passphraseEnv holds a backup passphrase for scripts. A passphrase is
// never taken on the command line, where other users of the computer and
// the shell's history would see it.
const passphraseEnv = "NEEDLEDESK_PASSPHRASE"

// readPassphrase reads the passphrase from file (its first line) or, with
// no file, from NEEDLEDESK_PASSPHRASE. It returns nil when neither gives
// one.
func readPassphrase(file string) ([]byte, error) {
	if file == "" {
		if p := os.Getenv(passphraseEnv); p != "" {
			return []byte(p), nil
		}
		return nil, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading the passphrase: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return nil, fmt.Errorf("the passphrase file %s is empty: %w", file, errUsage)
	}
	return []byte(line), nil
}

// errNoFileBackup is backup's answer for records not kept in a file on
// this computer.
var errNoFileBackup = errors.New("this clinic's records are not kept in a file on this computer; " +
	"their backups are made where they are kept")

// runBackup writes a checked copy of the database, encrypted when a
// passphrase is given: of a clinic's server database, a pg_dump archive
// (data/postgres).
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file, or the clinic's server database (postgres://…)")
	out := fs.String("out", "", "backup file to write; it must not exist yet")
	passFile := fs.String("passphrase-file", "", "encrypt the backup with the passphrase in this file")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dbPath == "" || *out == "" {
		return fmt.Errorf("give --db PATH and --out FILE: %w", errUsage)
	}
	if !storeopen.IsServer(*dbPath) { // a server's database is there, or opening says plainly that it is not
		if err := mustExist(*dbPath); err != nil {
			return err
		}
	}
	pass, err := readPassphrase(*passFile)
	if err != nil {
		return err
	}
	st, actor, kept, err := openForOutput(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	files, ok := st.(data.FileBackuper)
	if !ok {
		return errNoFileBackup
	}
	if err := checkBackupOut(*out, kept); err != nil {
		return err
	}
	started := time.Now()
	err = files.Backup(ctx, actor, *out, data.BackupOptions{Passphrase: pass, Progress: percentPrinter(stderr, "backing up")})
	fmt.Fprintln(stderr)
	if err != nil {
		return err
	}
	how := ""
	if len(pass) > 0 {
		how = ", encrypted"
	}
	fmt.Fprintf(stdout, "wrote %s (%s%s) in %s; it was checked after writing\n",
		*out, fileSize(*out), how, time.Since(started).Round(time.Millisecond))
	return nil
}

func fileSize(path string) string {
	info, err := os.Stat(path)
	if err != nil {
		return "size unknown"
	}
	return fmt.Sprintf("%.1f MB", float64(info.Size())/1e6)
}

// checkBackupOut checks backup's --out before the copy is made: a backup
// never replaces a file, and never goes where the database's own files do.
func checkBackupOut(out string, kept data.KeptFiles) error {
	_, err := data.CheckDestination(out, kept, false)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w; a backup never replaces a file, so choose another name", err)
	}
	return err
}
