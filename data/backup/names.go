package backup

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Backup file names: needledesk-2026-11-29T093000Z.db, the time in UTC so
// names sort in the order the backups were made whatever the time zone,
// with "-2", "-3"... when two are made in the same second, and ".age" after
// ".db" for an encrypted one (an age file; earlier versions wrote their own
// format and named it ".enc", which is still read as an encrypted backup).
// A backup of a clinic's server database is a pg_dump archive, named the
// same way with ".dump" for ".db": needledesk-2026-11-29T093000Z.dump.
const (
	backupNamePrefix  = "needledesk-"
	backupStampLayout = "2006-01-02T150405Z"
	backupExt         = ".db"
	dumpExt           = ".dump"
	encryptedExt      = ".age"
	oldEncryptedExt   = ".enc"
)

// File is a backup found by its name.
type File struct {
	Name      string // the file's base name
	At        time.Time
	Seq       int // 1 for the first made in that second, 2 for the next...
	Encrypted bool
	Dump      bool // a pg_dump archive of a server database (".dump")
}

// FileName names a backup made at at; seq 1 (or less) gives no
// suffix.
func FileName(at time.Time, seq int, encrypted bool) string {
	return fileName(at, seq, encrypted, backupExt)
}

// DumpName names a backup of a server database made at at, as FileName
// does a file's.
func DumpName(at time.Time, seq int, encrypted bool) string {
	return fileName(at, seq, encrypted, dumpExt)
}

func fileName(at time.Time, seq int, encrypted bool, ext string) string {
	name := backupNamePrefix + at.UTC().Format(backupStampLayout)
	if seq > 1 {
		name += "-" + strconv.Itoa(seq)
	}
	name += ext
	if encrypted {
		name += encryptedExt
	}
	return name
}

// ParseFileName reads a name FileName made. Other names, such
// as a copy kept before a restore or a file the clinic put there, are not
// backups NeedleDesk made by itself, so ok is false and rotation leaves
// them alone.
func ParseFileName(name string) (f File, ok bool) {
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
	if !found {
		rest, found = strings.CutSuffix(rest, dumpExt)
		f.Dump = found
	}
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

// SortFiles puts backups oldest first.
func SortFiles(fs []File) {
	sort.Slice(fs, func(i, j int) bool {
		if !fs[i].At.Equal(fs[j].At) {
			return fs[i].At.Before(fs[j].At)
		}
		return fs[i].Seq < fs[j].Seq
	})
}
