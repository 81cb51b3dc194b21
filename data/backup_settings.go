package data

import (
	"fmt"
	"path/filepath"
)

// BackupSettings say where automatic backups go and how many are kept. A
// backup is kept when it is the newest of its day among the last KeepDaily
// days that have one, of its ISO week among the last KeepWeekly such weeks,
// or of its month among the last KeepMonthly such months; the newest good
// backup is always kept (backup.Keep picks them).
type BackupSettings struct {
	// Folder is where earlier versions kept the backups folder, in the
	// clinic's records. The folder is now a setting of each computer
	// (backup.Folders), which takes this one over the first time it
	// opens the records; NeedleDesk no longer changes it here. Empty means
	// the folder named "backups" beside the database.
	Folder      string
	KeepDaily   int
	KeepWeekly  int
	KeepMonthly int
}

// DefaultBackupFolderName is the folder beside the database that holds
// backups when BackupSettings.Folder is empty.
const DefaultBackupFolderName = "backups"

// Limits on the kept counts: enough for any clinic, small enough that a
// typo (7000 instead of 7) does not fill the disk.
const (
	MaxKeepDaily   = 366
	MaxKeepWeekly  = 260
	MaxKeepMonthly = 240
)

// DefaultBackupSettings keep a week of daily backups, a month of weekly
// ones and a year of monthly ones: 23 files at most.
func DefaultBackupSettings() BackupSettings {
	return BackupSettings{KeepDaily: 7, KeepWeekly: 4, KeepMonthly: 12}
}

// FolderFor is the backups folder for the database at dbPath.
func (b BackupSettings) FolderFor(dbPath string) string {
	if b.Folder != "" {
		return b.Folder
	}
	return filepath.Join(filepath.Dir(dbPath), DefaultBackupFolderName)
}

// Validate names each setting that is out of range. A folder must be given
// in full, because a relative one would depend on where NeedleDesk was
// started from.
func (b BackupSettings) Validate() error {
	var p problems
	if b.Folder != "" {
		p.text("backup_folder", b.Folder, textRule{max: 1000})
		if !filepath.IsAbs(b.Folder) {
			p.add("backup_folder", "give the folder's full path, or leave it empty for the backups folder beside the database")
		}
	}
	counts := []struct {
		field     string
		n, lo, hi int
		what      string
	}{
		{"backup_keep_daily", b.KeepDaily, 1, MaxKeepDaily, "daily"},
		{"backup_keep_weekly", b.KeepWeekly, 0, MaxKeepWeekly, "weekly"},
		{"backup_keep_monthly", b.KeepMonthly, 0, MaxKeepMonthly, "monthly"},
	}
	for _, c := range counts {
		if c.n < c.lo || c.n > c.hi {
			p.add(c.field, fmt.Sprintf("keep between %d and %d %s backups", c.lo, c.hi, c.what))
		}
	}
	return p.err()
}
