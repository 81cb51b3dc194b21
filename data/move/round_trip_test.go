package move_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/move"
	"needledesk/data/postgres"
	"needledesk/data/sqlite"
	"needledesk/data/transfer"
)

// exportFiles exports every client, and each client one by one (their
// records, sessions and kept sheets), at a fixed time, and returns each
// file's content by its path inside the export.
func exportFiles(t *testing.T, src data.ExportSource, clients []int64) map[string]string {
	t.Helper()
	at := time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)
	x := transfer.Exporter{Source: src, Now: func() time.Time { return at }, Location: time.UTC}
	dir := t.TempDir()
	if _, err := x.ExportAll(t.Context(), data.SystemActor, dir, nil); err != nil {
		t.Fatalf("exporting every client: %v", err)
	}
	for _, id := range clients {
		if _, err := x.ExportClient(t.Context(), data.SystemActor, id, dir); err != nil {
			t.Fatalf("exporting client %d: %v", id, err)
		}
	}
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestTheRoundTripGivesTheSameExport: a demo clinic in a SQLite file,
// moved onto the server and opened there, exports the same files, byte
// for byte, as the file does: every client and session, each client's
// record and kept sheets.
func TestTheRoundTripGivesTheSameExport(t *testing.T) {
	path := demoClinic(t)
	url := setUpServer(t)
	if _, err := move.Move(t.Context(), path, url, nil); err != nil {
		t.Fatal(err)
	}
	file, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	found, err := file.FindClients(t.Context(), data.SystemActor, data.ClientFilter{Limit: 1000, State: data.AnyState})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, c := range found {
		ids = append(ids, c.ID)
	}
	want := exportFiles(t, file, ids)
	server, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	got := exportFiles(t, server, ids)
	if len(got) != len(want) || len(want) < len(ids)*3 {
		t.Errorf("the server's export has %d files, the file's %d (for %d clients)", len(got), len(want), len(ids))
	}
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("the server's export has no %s", name)
		} else if g != w {
			t.Errorf("%s differs:\nfrom the server: %.300q\nfrom the file:   %.300q", name, g, w)
		}
	}
}
