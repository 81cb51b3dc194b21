package desktop

import (
	"io"
	"path/filepath"
	"testing"

	"needledesk/data/backup"
	"needledesk/data/storeopen"
)

// TestAutoBackupsTellTheScreensWhenABackupLands: the app's Backups tab
// asks (ui.Deps.WatchBackups) to hear of each automatic backup; the
// start-up backup tells it once it is in the folder, and a start-up with a
// backup less than a day old, which adds nothing, tells it nothing.
func TestAutoBackupsTellTheScreensWhenABackupLands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	st, err := storeopen.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := newAutoBackups(st, io.Discard)
	var told []int
	appDeps(st, a).WatchBackups(func() {
		found, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "backups", "needledesk-*.db"))
		told = append(told, len(found))
	})
	a.run(t.Context(), backup.AtStartUp)
	if len(told) != 1 || told[0] != 1 {
		t.Fatalf("after the start-up backup the screens were told %v; want once, with the backup in the folder", told)
	}
	a.run(t.Context(), backup.AtStartUp)
	if len(told) != 1 {
		t.Errorf("a start-up that made no backup told the screens again: %v", told)
	}
}
