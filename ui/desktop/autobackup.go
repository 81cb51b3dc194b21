package desktop

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"needledesk/data"
	"needledesk/data/backup"
)

// autoBackups makes the automatic backups while the app runs: one at
// start-up when the newest is a day old, in the background and a little
// after opening so the window and the first sign-in have the computer to
// themselves, and one at quitting, after the start-up one has finished
// (or instead of it, when the app closes sooner). They are made for a
// store kept in a file on this computer (backup.Store), and for one on a
// server that this computer can dump (data.FileBackuper and
// data.ServerStore: data/postgres, with pg_dump).
type autoBackups struct {
	st       data.Store
	files    data.FileBackuper // nil when st has nothing to back up from here
	key      string            // this computer's key for the backups folder: the file, or the server's address
	folders  backup.Folders    // this computer's backups folders
	log      io.Writer
	wg       sync.WaitGroup
	logMux   sync.Mutex
	quitting chan struct{}

	watchMux sync.Mutex
	watchers []func() // told when a backup lands or old ones go (ui.Deps.WatchBackups)
}

// watch asks for fn to be called after each automatic backup that changed
// the folder.
func (a *autoBackups) watch(fn func()) {
	a.watchMux.Lock()
	defer a.watchMux.Unlock()
	a.watchers = append(a.watchers, fn)
}

func (a *autoBackups) changed() {
	a.watchMux.Lock()
	watchers := slices.Clone(a.watchers)
	a.watchMux.Unlock()
	for _, fn := range watchers {
		fn()
	}
}

// startUpBackupDelay is how long after opening the start-up backup waits.
const startUpBackupDelay = 20 * time.Second

func startAutoBackups(ctx context.Context, st data.Store, folders backup.Folders, log io.Writer) *autoBackups {
	a := newAutoBackups(st, folders, log)
	a.wg.Go(func() {
		select {
		case <-time.After(startUpBackupDelay):
			a.run(ctx, backup.AtStartUp)
		case <-a.quitting: // the backup at quitting covers it
		case <-ctx.Done():
		}
	})
	return a
}

func newAutoBackups(st data.Store, folders backup.Folders, log io.Writer) *autoBackups {
	a := &autoBackups{st: st, folders: folders, log: log, quitting: make(chan struct{})}
	if f, ok := st.(backup.Store); ok {
		a.files, a.key = f, f.Path()
	} else if f, ok := st.(interface {
		data.FileBackuper
		data.ServerStore
	}); ok {
		a.files, a.key = f, f.ServerName()
	}
	return a
}

// stop cancels the start-up backup if it has not begun, or waits for it.
func (a *autoBackups) stop() {
	close(a.quitting)
	a.wg.Wait()
}

// atQuit makes the backup at quitting, after stop. It runs even when ctx
// was cancelled (the app was interrupted), for at most a few minutes.
func (a *autoBackups) atQuit(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
	defer cancel()
	a.run(ctx, backup.AtQuit)
}

func (a *autoBackups) run(ctx context.Context, when backup.Occasion) {
	if a.files == nil {
		return
	}
	settings, err := a.st.Settings(ctx, data.SystemActor) // NeedleDesk itself makes them
	if err != nil {
		a.logf("needledesk: automatic backup: %v", err)
		return
	}
	// The folder is this computer's (taking over the one earlier versions
	// kept in the records, the first time); how many are kept, the clinic's.
	folder, err := a.folders.FolderFor(a.key, settings.Backups.Folder)
	if err != nil {
		a.logf("needledesk: automatic backup: %v", err)
	}
	res, err := backup.Auto(ctx, a.files, folder, settings.Backups, time.Now(), when)
	if err != nil {
		a.logf("needledesk: %v", err)
	}
	if res.Made != "" || len(res.Removed) > 0 {
		a.changed()
	}
	for _, p := range res.Unverified {
		a.logf("needledesk: the backup %s does not check out; it was left as it is", p)
	}
}

func (a *autoBackups) logf(format string, args ...any) {
	a.logMux.Lock()
	defer a.logMux.Unlock()
	fmt.Fprintf(a.log, format+"\n", args...)
}
