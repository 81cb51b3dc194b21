package data

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// BackupSettings say where automatic backups go and how many are kept. A
// backup is kept when it is the newest of its day among the last KeepDaily
// days that have one, of its ISO week among the last KeepWeekly such weeks,
// or of its month among the last KeepMonthly such months; the newest good
// backup is always kept.
type BackupSettings struct {
	// Folder holds the automatic backups. Empty means a folder named
	// "backups" beside the database, which is what most clinics want: it
	// moves with the database and needs no setting.
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

// Keep says which backups to keep, given the times they were made (in any
// order; of two with the same time, the later in the slice counts as the
// newer). Days, weeks and months are those of now's time zone. A backup
// dated after now is always kept and takes no place: the computer's clock
// may have been wrong, and deleting what we cannot place is not ours to do.
// The newest backup not after now is always kept.
func (b BackupSettings) Keep(times []time.Time, now time.Time) []bool {
	keep := make([]bool, len(times))
	order := make([]int, 0, len(times)) // newest first, future ones left out
	for i, t := range times {
		if t.After(now) {
			keep[i] = true
			continue
		}
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, c int) bool {
		ta, tc := times[order[a]], times[order[c]]
		if ta.Equal(tc) {
			return order[a] > order[c]
		}
		return ta.After(tc)
	})
	if len(order) > 0 {
		keep[order[0]] = true
	}
	loc := now.Location()
	rules := []struct {
		n   int
		key func(time.Time) int
	}{
		{b.KeepDaily, func(t time.Time) int { y, m, d := t.Date(); return y*10000 + int(m)*100 + d }},
		{b.KeepWeekly, func(t time.Time) int { y, w := t.ISOWeek(); return y*100 + w }},
		{b.KeepMonthly, func(t time.Time) int { y, m, _ := t.Date(); return y*100 + int(m) }},
	}
	for _, r := range rules {
		seen := map[int]bool{}
		for _, i := range order {
			if len(seen) >= r.n {
				break
			}
			k := r.key(times[i].In(loc))
			if !seen[k] {
				seen[k] = true
				keep[i] = true
			}
		}
	}
	return keep
}

// Backup file names: needledesk-2026-11-29T093000Z.db, the time in UTC so
// names sort in the order the backups were made whatever the time zone,
// with "-2", "-3"... when two are made in the same second, and ".age" after
// ".db" for an encrypted one (an age file; earlier versions wrote their own
// format and named it ".enc", which is still read as an encrypted backup).
const (
	backupNamePrefix  = "needledesk-"
	backupStampLayout = "2006-01-02T150405Z"
	backupExt         = ".db"
	encryptedExt      = ".age"
	oldEncryptedExt   = ".enc"
)

// BackupFile is a backup found by its name.
type BackupFile struct {
	Name      string // the file's base name
	At        time.Time
	Seq       int // 1 for the first made in that second, 2 for the next...
	Encrypted bool
}

// BackupFileName names a backup made at at; seq 1 (or less) gives no
// suffix.
func BackupFileName(at time.Time, seq int, encrypted bool) string {
	name := backupNamePrefix + at.UTC().Format(backupStampLayout)
	if seq > 1 {
		name += "-" + strconv.Itoa(seq)
	}
	name += backupExt
	if encrypted {
		name += encryptedExt
	}
	return name
}

// ParseBackupFileName reads a name BackupFileName made. Other names, such
// as a copy kept before a restore or a file the clinic put there, are not
// backups NeedleDesk made by itself, so ok is false and rotation leaves
// them alone.
func ParseBackupFileName(name string) (f BackupFile, ok bool) {
	rest, found := strings.CutPrefix(name, backupNamePrefix)
	if !found {
		return f, false
	}
	for _, ext := range []string{encryptedExt, oldEncryptedExt} {
		if r, enc := strings.CutSuffix(rest, ext); enc {
			rest, f.Encrypted = r, true
			break
		}
	}
	rest, found = strings.CutSuffix(rest, backupExt)
	if !found || len(rest) < len(backupStampLayout) {
		return f, false
	}
	stamp, suffix := rest[:len(backupStampLayout)], rest[len(backupStampLayout):]
	at, err := time.Parse(backupStampLayout, stamp)
	if err != nil {
		return f, false
	}
	f.Seq = 1
	if suffix != "" {
		digits, hasDash := strings.CutPrefix(suffix, "-")
		n, err := strconv.Atoi(digits)
		if !hasDash || err != nil || n < 2 || strconv.Itoa(n) != digits {
			return f, false
		}
		f.Seq = n
	}
	f.Name, f.At = name, at
	return f, true
}

// SortBackupFiles puts backups oldest first.
func SortBackupFiles(fs []BackupFile) {
	sort.Slice(fs, func(i, j int) bool {
		if !fs[i].At.Equal(fs[j].At) {
			return fs[i].At.Before(fs[j].At)
		}
		return fs[i].Seq < fs[j].Seq
	})
}
