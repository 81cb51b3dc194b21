package backup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"needledesk/data"
)

// Occasion says why Auto runs.
type Occasion int

const (
	// AtStartUp makes a backup only when the newest good one is a day old
	// or more (or there is none).
	AtStartUp Occasion = iota
	// AtQuit always makes a backup.
	AtQuit
)

// AutoResult says what Auto did.
type AutoResult struct {
	Folder     string
	Made       string   // the new backup; "" when none was due
	Removed    []string // old backups removed by the rotation
	Unverified []string // backups that did not check out: left as they are, and not counted
}

// Store is what the automatic backups of a file store need: a file on
// this computer to copy, and a way to check the copies (the capabilities
// of data/store.go). A server's store (data.ServerStore) needs only
// data.FileBackuper: its backups are dumps, named needledesk-<time>.dump.
type Store interface {
	data.FileStore
	data.FileBackuper
}

// Auto makes the automatic backup of st into folder (created 0700 when
// missing) when one is due, then thins the folder: of the backups
// NeedleDesk made there (by their names), it keeps those Keep picks under
// cfg's counts and removes the rest, each with its manifest. The newest
// good backup is never removed, and a file that does not check out is
// neither counted nor removed. Encrypted backups and other files in the
// folder are left alone. now names the backup and places it in its day,
// week and month.
//
// The newest backup is checked in full (it is the one a start-up would
// offer); older ones by their header and size only, which finds files cut
// short without reading every backup at every start.
func Auto(ctx context.Context, st data.FileBackuper, folder string, cfg data.BackupSettings, now time.Time, when Occasion) (AutoResult, error) {
	res := AutoResult{Folder: folder}
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return res, fileProblem("creating the backups folder "+folder, err)
	}
	files, err := List(folder)
	if err != nil {
		return res, err
	}
	files = ownKind(plainOnly(files), isServerStore(st))
	good, bad := newestGood(ctx, st, folder, files, now)
	if when == AtQuit || good < 0 || now.Sub(files[good].At) >= 24*time.Hour {
		made, err := backupInto(ctx, st, folder, now)
		if err != nil {
			return res, fmt.Errorf("the automatic backup was not made: %w", err)
		}
		res.Made = filepath.Join(folder, made.Name)
		files = append(files, made)
		good = len(files) - 1
	}
	bad = append(bad, cutShort(ctx, st, folder, files, good, bad)...)
	for _, i := range bad {
		res.Unverified = append(res.Unverified, filepath.Join(folder, files[i].Name))
	}
	res.Removed, err = thin(folder, files, good, bad, cfg, now)
	return res, err
}

// List finds the backups NeedleDesk made in folder, by their names,
// oldest first. A folder that does not exist has none.
func List(folder string) ([]File, error) {
	entries, err := os.ReadDir(folder)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the backups folder %s: %w", folder, err)
	}
	var out []File
	for _, e := range entries {
		if f, ok := ParseFileName(e.Name()); ok && e.Type().IsRegular() {
			out = append(out, f)
		}
	}
	SortFiles(out)
	return out, nil
}

// ManifestPath is the manifest beside the backup file at backup, which
// names the newest event of the audit trail it holds.
func ManifestPath(backup string) string { return backup + ".manifest" }

// cutShort returns the indexes of backups, other than good and those
// already found bad, that are empty, cut short or not backups at all.
func cutShort(ctx context.Context, st data.FileBackuper, folder string, files []File, good int, bad []int) []int {
	var out []int
	for i, f := range files {
		if i == good || slices.Contains(bad, i) {
			continue
		}
		if st.CheckBackup(ctx, filepath.Join(folder, f.Name), false) != nil {
			out = append(out, i)
		}
	}
	return out
}

// isServerStore says whether st's backups are dumps of a server database.
func isServerStore(st data.FileBackuper) bool {
	_, ok := st.(data.ServerStore)
	return ok
}

// ownKind leaves out backups of the other kind: a server's dumps in a
// file store's folder, or the other way round, which the store cannot
// check and so must neither count nor remove.
func ownKind(files []File, dumps bool) []File {
	out := files[:0:0]
	for _, f := range files {
		if f.Dump == dumps {
			out = append(out, f)
		}
	}
	return out
}

func plainOnly(files []File) []File {
	out := files[:0:0]
	for _, f := range files {
		if !f.Encrypted {
			out = append(out, f)
		}
	}
	return out
}

// newestGood returns the index of the newest backup not dated after now
// that checks out in full, or -1, and the indexes of those newer than it
// that failed.
func newestGood(ctx context.Context, st data.FileBackuper, folder string, files []File, now time.Time) (good int, bad []int) {
	for i := len(files) - 1; i >= 0; i-- {
		if files[i].At.After(now) {
			continue
		}
		if err := st.CheckBackup(ctx, filepath.Join(folder, files[i].Name), true); err != nil {
			bad = append(bad, i)
			continue
		}
		return i, bad
	}
	return -1, bad
}

// backupInto makes a backup named for now in folder, never replacing one:
// a second backup in the same second gets the next number.
func backupInto(ctx context.Context, st data.FileBackuper, folder string, now time.Time) (File, error) {
	for seq := 1; ; seq++ {
		name := FileName(now, seq, false)
		if isServerStore(st) {
			name = DumpName(now, seq, false)
		}
		if _, err := os.Lstat(filepath.Join(folder, name)); err == nil {
			continue
		}
		err := st.Backup(ctx, data.SystemActor, filepath.Join(folder, name), data.BackupOptions{})
		f, _ := ParseFileName(name)
		return f, err
	}
}

// thin removes the backups cfg does not keep. The newest good one is
// always kept, and the bad ones are left out of the choice and never
// removed.
func thin(folder string, files []File, good int, bad []int, cfg data.BackupSettings, now time.Time) ([]string, error) {
	var candidates []int
	var times []time.Time
	for i, f := range files {
		if slices.Contains(bad, i) {
			continue
		}
		candidates = append(candidates, i)
		times = append(times, f.At)
	}
	keep := Keep(cfg, times, now)
	var removed []string
	var errs []error
	for k, i := range candidates {
		if keep[k] || i == good {
			continue
		}
		p := filepath.Join(folder, files[i].Name)
		if err := os.Remove(p); err != nil {
			errs = append(errs, fileProblem("removing the old backup "+p, err))
			continue
		}
		_ = os.Remove(ManifestPath(p)) // its manifest goes with it
		removed = append(removed, p)
	}
	return removed, errors.Join(errs...)
}

// fileProblem wraps an error from the backups folder with what was being
// done, naming a full disk or a folder that cannot be written to.
func fileProblem(doing string, err error) error {
	switch {
	case errors.Is(err, data.ErrDiskFull), errors.Is(err, data.ErrReadOnly):
		return fmt.Errorf("%s: %w", doing, err)
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return fmt.Errorf("%s: %w (%w)", doing, data.ErrDiskFull, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s: %w, it may be read-only (%w)", doing, data.ErrReadOnly, err)
	}
	return data.FileProblem(doing, err)
}
