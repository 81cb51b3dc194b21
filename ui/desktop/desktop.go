// Package desktop opens NeedleDesk's window on the clinic the --db value
// names: it wires the store the opener gives to the screens of package ui,
// and makes the automatic backups while the window is open. main calls it
// when the arguments name no command (see package cli).
package desktop

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"needledesk/data/demo"
	"needledesk/data/sqlite"
	"needledesk/data/storeopen"
	"needledesk/pdf"
	"needledesk/ui"
	"needledesk/ui/cli"
)

// Run opens the window: needledesk [--db PATH]. It returns the process
// exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("needledesk", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbPath := fs.String("db", cli.DefaultDBPath(), "database file")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		cli.PrintHelp(stdout)
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "needledesk: %v\n\n", err)
		cli.PrintHelp(stderr)
		return 2
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "needledesk: unexpected %q\n\n", fs.Arg(0))
		cli.PrintHelp(stderr)
		return 2
	}
	limitMemory()
	if err := ui.Run(ctx, clinicFor(*dbPath, stderr)); err != nil {
		fmt.Fprintf(stderr, "needledesk: %v\n", err)
		return 1
	}
	return 0
}

// guiMemoryLimit is a soft limit on the Go heap of the running app, so
// that a burst (a large export) does not let the heap grow to twice its
// size and keep it. It is soft: work that needs more still gets it.
const guiMemoryLimit = 96 << 20

// guiGCPercent has the collector run once the heap has grown by half of
// what the last collection kept, rather than by all of it (Go's default,
// 100). The window keeps about 20 MB, and the memory it holds while idle
// follows the heap's goal: this keeps about 10 MB more for the desk's
// other programs, for twice as many collections of a few milliseconds
// each (the window allocates little once shown).
const guiGCPercent = 50

// limitMemory applies guiMemoryLimit and guiGCPercent unless GOMEMLIMIT
// and GOGC set others.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(guiMemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(guiGCPercent)
	}
}

// clinicFor is how the app checks, opens and restores the database at
// path. Automatic backups run while it is open: one at start-up when the
// newest is a day old, one when it closes.
func clinicFor(path string, stderr io.Writer) ui.Clinic {
	return ui.Clinic{
		Path: path,
		Check: func(ctx context.Context) error {
			return asDamage(sqlite.StartUpLook(ctx, path, cli.BackupsFolder(path)))
		},
		Open: func(ctx context.Context) (ui.Deps, func(backUp bool), error) {
			// The pages are checked in the background; writes wait for it.
			st, err := storeopen.Open(ctx, path, sqlite.WithBackgroundCheck(sqlite.BackgroundCheck{BackupsFolder: cli.BackupsFolder(path)}))
			if err != nil {
				return ui.Deps{}, nil, asDamage(err)
			}
			backups := startAutoBackups(ctx, st, stderr)
			closeDB := func(backUp bool) {
				backups.stop()
				if backUp {
					backups.atQuit(ctx)
				}
				if err := st.Close(); err != nil {
					fmt.Fprintf(stderr, "needledesk: closing %s: %v\n", path, err)
				}
			}
			deps := appDeps(st, backups)
			deps.Checked = func(ctx context.Context) error { return asDamage(st.Checked(ctx)) }
			return deps, closeDB, nil
		},
		Restore: func(ctx context.Context, r ui.RestoreRequest) (string, error) {
			res, err := sqlite.Restore(ctx, path, r.From, sqlite.RestoreOptions{
				Passphrase: r.Passphrase, Actor: r.Actor, Progress: r.Progress})
			return res.SafetyCopy, err
		},
	}
}

// asDamage turns the store's damaged-file error into the window's.
func asDamage(err error) error {
	var d *sqlite.DamagedDatabaseError
	if errors.As(err, &d) {
		return &ui.Damage{Problem: d.Problem.Error(), Backup: d.Backup, BackupAt: d.BackupAt}
	}
	return err
}

// appDeps hands the window's screens the open store and lets them hear
// of the automatic backups.
func appDeps(st *sqlite.Store, backups *autoBackups) ui.Deps {
	deps := depsFor(st)
	deps.WatchBackups = backups.watch
	return deps
}

// depsFor hands the app's screens the open store.
func depsFor(st *sqlite.Store) ui.Deps {
	return ui.Deps{
		Clients: st, Sessions: st, Products: st, Staff: st, Settings: st, Sheets: st, Accounts: st, Audit: st,
		Export: st, DatabasePath: st.Path(),
		Backup: func(ctx context.Context, actor int64, dest string, passphrase []byte, progress func(done, total int)) error {
			return st.Backup(ctx, actor, dest, sqlite.BackupOptions{Passphrase: passphrase, Progress: progress})
		},
		Render: pdf.RenderAftercare,
		LoadSampleData: func(ctx context.Context, progress func(done, total int)) error {
			_, err := demo.Fill(ctx, st, demo.Options{Clients: 300, Seed: 1, Now: time.Now(), Progress: progress})
			return err
		},
	}
}
