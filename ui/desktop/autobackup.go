package desktop

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"needledesk/data/sqlite"
)

// autoBackups makes the automatic backups while the app runs: one at
// start-up when the newest is a day old, in the background and a little
// after opening so the window and the first sign-in have the computer to
// themselves, and one at quitting, after the start-up one has finished
// (or instead of it, when the app closes sooner).
type autoBackups struct {
	st       *sqlite.Store
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

func startAutoBackups(ctx context.Context, st *sqlite.Store, log io.Writer) *autoBackups {
	a := &autoBackups{st: st, log: log, quitting: make(chan struct{})}
	a.wg.Go(func() {
		select {
		case <-time.After(startUpBackupDelay):
			a.run(ctx, sqlite.AtStartUp)
		case <-a.quitting: // the backup at quitting covers it
		case <-ctx.Done():
		}
	})
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
	a.run(ctx, sqlite.AtQuit)
}

func (a *autoBackups) run(ctx context.Context, when sqlite.BackupOccasion) {
	settings, err := a.st.Settings(ctx)
	if err != nil {
		a.logf("needledesk: automatic backup: %v", err)
		return
	}
	res, err := sqlite.AutoBackup(ctx, a.st, settings.Backups, time.Now(), when)
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
