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
	"sync"
	"time"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/demo"
	"needledesk/data/mail"
	"needledesk/data/storeopen"
	"needledesk/pdf"
	"needledesk/ui"
	"needledesk/ui/admin"
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
	if err := ui.Run(ctx, startingClinic(fs, *dbPath, stderr)); err != nil {
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

// clinicFor is how the app opens and restores the clinic the --db value
// names. A clinic kept in a file is looked at before it opens (a damaged
// file is refused untouched) and checked in full in the background while
// it is open; automatic backups run while it is open: one at start-up when
// the newest is a day old, one when it closes; and the outbox's messages
// are sent while it is open (mailWorker). What only a file store has
// is asked of the store (data/store.go).
func clinicFor(path string, stderr io.Writer, opts ...storeopen.Option) ui.Clinic {
	var files restorers
	folders, err := backup.ComputerFolders()
	if err != nil { // backups then go beside the database
		fmt.Fprintf(stderr, "needledesk: %v\n", err)
	}
	return ui.Clinic{
		Path: path,
		Open: func(ctx context.Context) (ui.Deps, func(backUp bool), error) {
			opts := append([]storeopen.Option{storeopen.CheckInBackground(cli.BackupsFolder(path))}, opts...)
			st, err := storeopen.Open(ctx, path, opts...)
			if err != nil {
				files.from(err) // a damaged file offers its restore
				return ui.Deps{}, nil, err
			}
			files.from(st)
			backups := startAutoBackups(ctx, st, folders, stderr)
			mailer := startMailWorker(ctx, st, &mail.Sender{}, stderr)
			closeDB := func(backUp bool) {
				mailer.stop()
				backups.stop()
				if backUp {
					backups.atQuit(ctx)
				}
				if err := st.Close(); err != nil {
					fmt.Fprintf(stderr, "needledesk: closing %s: %v\n", path, err)
				}
			}
			deps := appDeps(st, folders, backups)
			deps.PokeOutbox = mailer.poke
			return deps, closeDB, nil
		},
		Restore: func(ctx context.Context, r admin.RestoreRequest) (string, error) {
			res, err := files.restore(ctx, r.From, data.RestoreOptions{Passphrase: r.Passphrase, Actor: r.Actor, Progress: r.Progress})
			return res.SafetyCopy, err
		},
	}
}

// errNoRestore is what a restore says for a clinic whose records are not
// kept in a file on this computer.
var errNoRestore = data.Explained(errors.New("this clinic's records are not kept in a file on this computer, " +
	"so a backup cannot be restored over them here"))

// restorers keeps the restore of the last store opened, or of the damaged
// file that could not be: the launcher restores once the store is closed.
type restorers struct {
	mu   sync.Mutex
	last data.FileRestorer
}

// from keeps v's restore, or none when it has none: v is the store just
// opened, or the error that opening gave instead.
func (r *restorers) from(v any) {
	var fr data.FileRestorer
	switch v := v.(type) {
	case error:
		_ = errors.As(v, &fr)
	case data.Store:
		fr, _ = v.(data.FileRestorer)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last = fr
}

func (r *restorers) restore(ctx context.Context, from string, opts data.RestoreOptions) (data.RestoreResult, error) {
	r.mu.Lock()
	fr := r.last
	r.mu.Unlock()
	if fr == nil {
		return data.RestoreResult{}, errNoRestore
	}
	return fr.RestoreFile(ctx, from, opts)
}

// appDeps hands the window's screens the open store and lets them hear
// of the automatic backups.
func appDeps(st data.Store, folders backup.Folders, backups *autoBackups) ui.Deps {
	deps := ui.DepsOf(st)
	deps.BackupFolders, deps.WatchBackups = folders, backups.watch
	deps.Render = pdf.RenderAftercare
	deps.LoadSampleData = demo.Sample(time.Now)
	return deps
}
