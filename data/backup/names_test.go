package backup

import (
	"testing"
	"time"
)

func TestBackupFileNames(t *testing.T) {
	at := time.Date(2026, 11, 29, 9, 30, 5, 999, time.FixedZone("CET", 3600))
	cases := []struct {
		seq       int
		encrypted bool
		want      string
	}{
		{1, false, "needledesk-2026-11-29T083005Z.db"},
		{0, true, "needledesk-2026-11-29T083005Z.db.age"},
		{2, false, "needledesk-2026-11-29T083005Z-2.db"},
		{12, true, "needledesk-2026-11-29T083005Z-12.db.age"},
	}
	for _, c := range cases {
		name := FileName(at, c.seq, c.encrypted)
		if name != c.want {
			t.Errorf("FileName(seq %d, %v) = %q; want %q", c.seq, c.encrypted, name, c.want)
		}
		f, ok := ParseFileName(name)
		if !ok || !f.At.Equal(at.Truncate(time.Second)) || f.Seq != max(1, c.seq) || f.Encrypted != c.encrypted || f.Name != name {
			t.Errorf("ParseFileName(%q) = %+v, %v", name, f, ok)
		}
	}
	// An encrypted backup of an earlier version, in NeedleDesk's own format.
	if f, ok := ParseFileName("needledesk-2026-11-29T083005Z-3.db.enc"); !ok || !f.Encrypted || f.Seq != 3 {
		t.Errorf("an older encrypted backup's name: %+v, %v", f, ok)
	}
	for _, name := range []string{
		"needledesk-2026-11-29T083005Z-before-restore.db", "needledesk-2026-11-29T083005Z-1.db",
		"needledesk-2026-11-29T083005Z-02.db", "needledesk-2026-11-29T083005Z.db-wal",
		"needledesk-2026-13-29T083005Z.db", "needledesk-2026-11-29T0830Z.db", "clinic.db",
		".needledesk-2026-11-29T083005Z.db.partial-123", "needledesk-.db", "needledesk-2026-11-29T083005Z-.db",
	} {
		if f, ok := ParseFileName(name); ok {
			t.Errorf("%q was taken for a backup: %+v", name, f)
		}
	}
	files := []File{}
	for _, n := range []string{"needledesk-2026-11-29T083005Z-2.db", "needledesk-2025-01-01T000000Z.db", "needledesk-2026-11-29T083005Z.db"} {
		f, _ := ParseFileName(n)
		files = append(files, f)
	}
	SortFiles(files)
	if files[0].At.Year() != 2025 || files[1].Seq != 1 || files[2].Seq != 2 {
		t.Errorf("sorted: %+v", files)
	}
}

func TestServerBackupNames(t *testing.T) {
	at := time.Date(2026, 11, 29, 9, 30, 5, 0, time.UTC)
	for _, c := range []struct {
		seq       int
		encrypted bool
		want      string
	}{{1, false, "needledesk-2026-11-29T093005Z.dump"}, {3, true, "needledesk-2026-11-29T093005Z-3.dump.age"}} {
		name := DumpName(at, c.seq, c.encrypted)
		if name != c.want {
			t.Errorf("DumpName(seq %d, %v) = %q; want %q", c.seq, c.encrypted, name, c.want)
		}
		f, ok := ParseFileName(name)
		if !ok || !f.Dump || f.Seq != c.seq || f.Encrypted != c.encrypted || !f.At.Equal(at) {
			t.Errorf("ParseFileName(%q) = %+v, %v", name, f, ok)
		}
	}
	if f, _ := ParseFileName("needledesk-2026-11-29T093005Z.db"); f.Dump {
		t.Error("a file's backup was taken for a server's")
	}
}
