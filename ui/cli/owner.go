package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"strings"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/sqlite"
	"needledesk/data/storeopen"
)

// What every command shares: opening the store from --db, finding the
// owner the work is done as, the command-line origin in the audit trail,
// and checking the files a command writes (written atomically with
// data.WriteFileAtomic).

// openStore opens the store the --db value names.
func openStore(ctx context.Context, db string) (data.Store, error) {
	st, err := storeopen.Open(ctx, db)
	if errors.Is(err, storeopen.ErrNoDB) {
		return nil, fmt.Errorf("%w: %w", err, errUsage)
	}
	return st, err
}

// actorFor picks who command-line work is recorded as, and whose role the
// store checks: the active owner --as names, else the first active owner
// by name, or NeedleDesk itself (data.SystemActor, allowed everything) on
// a database with no owner yet. Whoever can run the command can open the
// database file anyway; the trail says it was the command line, and which
// of the computer's users (commandLineWork).
func actorFor(ctx context.Context, st data.StaffStore) (int64, error) {
	staff, err := st.StaffList(ctx, data.SystemActor, false) // NeedleDesk itself looks for the owner
	if err != nil {
		return 0, err
	}
	as, _ := ctx.Value(actAsKey{}).(string)
	var owners []string
	for _, s := range staff {
		if s.Role == data.RoleOwner && (as == "" || strings.EqualFold(s.Name, as)) {
			return s.ID, nil
		}
		if s.Role == data.RoleOwner {
			owners = append(owners, s.Name)
		}
	}
	if as != "" {
		return 0, fmt.Errorf("--as %q names no active owner of this clinic; command-line work is done under an owner's account (owners: %s)",
			as, strings.Join(owners, ", "))
	}
	return data.SystemActor, nil
}

// actAsKey carries the --as NAME of a command.
type actAsKey struct{}

// commandLineWork takes --as NAME out of a command's arguments into ctx,
// and marks ctx so that the audit trail records the work as done from the
// command line by the computer's user who ran it.
func commandLineWork(ctx context.Context, args []string) (context.Context, []string, error) {
	var rest []string
	as := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--as" || a == "-as":
			if i+1 >= len(args) || args[i+1] == "" {
				return ctx, nil, fmt.Errorf("--as needs an owner's name: %w", errUsage)
			}
			as, i = args[i+1], i+1
		case strings.HasPrefix(a, "--as=") || strings.HasPrefix(a, "-as="):
			as = a[strings.Index(a, "=")+1:]
		default:
			rest = append(rest, a)
		}
	}
	ctx = context.WithValue(ctx, actAsKey{}, strings.TrimSpace(as))
	return sqlite.WithOrigin(ctx, "from the command line, as the computer's user "+osUser()), rest, nil
}

// osUser is the name of the computer's user running NeedleDesk.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "USERNAME", "LOGNAME"} {
		if name := os.Getenv(v); name != "" {
			return name
		}
	}
	return "(unknown)"
}

// openAsOwner opens the store for a command that writes, with the actor
// it acts as (see actorFor); the caller closes the store.
func openAsOwner(ctx context.Context, db string) (data.Store, int64, error) {
	st, err := openStore(ctx, db)
	if err != nil {
		return nil, 0, err
	}
	actor, err := actorFor(ctx, st)
	if err != nil {
		st.Close()
		return nil, 0, err
	}
	return st, actor, nil
}

// mustExist refuses a database path with no file behind it, where opening
// the store would quietly create an empty clinic to export nothing from.
func mustExist(path string) error {
	if path == "" {
		return fmt.Errorf("%w: %w", storeopen.ErrNoDB, errUsage)
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("there is no database at %s", path)
	} else if err != nil {
		return err
	}
	return nil
}

// BackupsFolder is where the command line and the start-up check look for
// backups of the database at dbPath: the folder chosen for it on this
// computer (data/backup keeps it, outside the database, so a damaged
// database cannot hide it), else the folder beside the database.
func BackupsFolder(dbPath string) string {
	if folders, err := backup.ComputerFolders(); err == nil {
		if chosen, err := folders.Chosen(dbPath); err == nil && chosen != "" {
			return chosen
		}
	}
	return backup.BesideDatabase(dbPath)
}

// openForOutput opens the store as the acting owner for a command that
// writes files, with the clinic's files no output may replace.
func openForOutput(ctx context.Context, db string) (data.Store, int64, data.KeptFiles, error) {
	st, actor, err := openAsOwner(ctx, db)
	if err != nil {
		return nil, 0, data.KeptFiles{}, err
	}
	kept, err := keptFiles(ctx, st, actor, db)
	if err != nil {
		st.Close()
		return nil, 0, data.KeptFiles{}, err
	}
	return st, actor, kept, nil
}

// keptFiles are the files a command never writes over: the database at
// dbPath with SQLite's files beside it, and the backups, in the folder
// beside the database, in the one this computer chose for it, and in the
// one its settings name.
func keptFiles(ctx context.Context, st data.SettingsStore, actor int64, dbPath string) (data.KeptFiles, error) {
	kept := data.KeptFiles{Database: dbPath, BackupFolders: []string{backup.BesideDatabase(dbPath), BackupsFolder(dbPath)}}
	settings, err := st.Settings(ctx, actor)
	if err != nil {
		return kept, err
	}
	// the folder earlier versions kept in the settings, which this
	// computer takes over when it first opens the window
	kept.BackupFolders = append(kept.BackupFolders, settings.Backups.FolderFor(dbPath))
	return kept, nil
}

// checkOut checks a command's --out file before anything is made or
// recorded; see data.CheckDestination.
func checkOut(out string, kept data.KeptFiles, force bool) error {
	_, err := data.CheckDestination(out, kept, force)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w; give --force to replace it", err)
	}
	return err
}

// percentPrinter writes progress as a percentage on one line, only when it
// changes.
func percentPrinter(w io.Writer, verb string) func(done, total int) {
	last := -1
	return func(done, total int) {
		if total <= 0 {
			return
		}
		if p := done * 100 / total; p != last {
			last = p
			fmt.Fprintf(w, "\r%s %d%%", verb, p)
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
