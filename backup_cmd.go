package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
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

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file")
	out := fs.String("out", "", "backup file to write; it must not exist yet")
	passFile := fs.String("passphrase-file", "", "encrypt the backup with the passphrase in this file")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dbPath == "" || *out == "" {
		return fmt.Errorf("give --db PATH and --out FILE: %w", errUsage)
	}
	if err := mustExist(*dbPath); err != nil {
		return err
	}
	pass, err := readPassphrase(*passFile)
	if err != nil {
		return err
	}
	st, actor, err := openAsOwner(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	kept, err := keptFiles(ctx, st, *dbPath)
	if err != nil {
		return err
	}
	if err := checkBackupOut(*out, kept); err != nil {
		return err
	}
	started := time.Now()
	err = st.Backup(ctx, actor, *out, sqlite.BackupOptions{Passphrase: pass, Progress: percentPrinter(stderr, "backing up")})
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

// backupsFolder is where the command line and the start-up check look for
// backups: beside the database. The folder the clinic chose is in the
// database's settings, which a damaged database cannot be trusted to give.
func backupsFolder(dbPath string) string {
	return data.DefaultBackupSettings().FolderFor(dbPath)
}

// keptFiles are the files a command never writes over: the database at
// dbPath with SQLite's files beside it, and the backups, both in the
// folder beside the database and in the one the clinic chose.
func keptFiles(ctx context.Context, st data.SettingsStore, dbPath string) (data.KeptFiles, error) {
	kept := data.KeptFiles{Database: dbPath, BackupFolders: []string{backupsFolder(dbPath)}}
	settings, err := st.Settings(ctx)
	if err != nil {
		return kept, err
	}
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

// checkBackupOut checks backup's --out before the copy is made: a backup
// never replaces a file, and never goes where the database's own files do.
func checkBackupOut(out string, kept data.KeptFiles) error {
	_, err := data.CheckDestination(out, kept, false)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w; a backup never replaces a file, so choose another name", err)
	}
	return err
}

// suggestBackup names the newest good backup in folder, and how to
// restore it, for a database that check found damaged.
func suggestBackup(ctx context.Context, w io.Writer, dbPath, folder string) {
	path, at, err := sqlite.NewestGoodBackup(ctx, folder)
	if err != nil {
		fmt.Fprintf(w, "no good backup was found in %s\n", folder)
		return
	}
	fmt.Fprintf(w, "the newest good backup is %s, made %s\n", path, at.Local().Format("Monday 2 January 2006 at 15:04"))
	fmt.Fprintf(w, "to restore it: needledesk restore --db %q --from %q\n", dbPath, path)
}

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
