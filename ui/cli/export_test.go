package cli

import (
	"bytes"
	"encoding/csv"
	"needledesk/data/transfer"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportOneClientAndTheWholeClinic(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "40"); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(dir, "exports")
	code, stdout, stderr := runCLI(t, "export", "--db", db, "--client", "7", "--out", out)
	if code != 0 {
		t.Fatalf("export --client 7: exit %d: %s", code, stderr)
	}
	folders, err := filepath.Glob(filepath.Join(out, "client-7-*"))
	if err != nil || len(folders) != 1 || !strings.Contains(stdout, folders[0]) {
		t.Fatalf("export folders %v; output %q", folders, stdout)
	}
	for _, f := range []string{"record.json", "client.csv", "sessions.csv"} {
		if !strings.Contains(stdout, "  "+f+"\n") {
			t.Errorf("the output does not list %s:\n%s", f, stdout)
		}
	}
	f, err := os.Open(filepath.Join(folders[0], "record.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := transfer.ReadClientExport(f)
	if err != nil || rec.Client.ID != 7 {
		t.Fatalf("record.json: %v, client %d", err, rec.Client.ID)
	}

	code, stdout, stderr = runCLI(t, "export", "--out", out, "--all", "--db", db)
	if code != 0 {
		t.Fatalf("export --all: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "clients.csv (40 clients)") || !strings.Contains(stderr, "exported") {
		t.Errorf("export --all printed %q and %q", stdout, stderr)
	}
	all, _ := filepath.Glob(filepath.Join(out, "all-clients-*", "clients.csv"))
	if len(all) != 1 {
		t.Fatalf("clients.csv files: %v", all)
	}
	b, err := os.ReadFile(all[0])
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 41 {
		t.Errorf("clients.csv: %v, %d rows; want a header and 40 clients", err, len(rows))
	}
}

func TestExportErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "3"); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--db", db, "--client", "123", "--out", out}, 1, "no client with ID 123"},
		{[]string{"--db", filepath.Join(dir, "missing.db"), "--all", "--out", out}, 1, "there is no database at"},
		{[]string{"--db", db, "--client", "1"}, 2, "--out DIR"},
		{[]string{"--db", db, "--client", "1", "--all", "--out", out}, 2, "either --client ID or --all"},
		{[]string{"--db", db, "--client", "abc", "--out", out}, 2, "invalid value"},
		{[]string{"--db", db, "--client", "-4", "--out", out}, 2, "above 0"},
		{[]string{"--db", db, "--all", "--out", out, "extra"}, 2, "unexpected"},
	} {
		code, _, stderr := runCLI(t, append([]string{"export"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.says) {
			t.Errorf("export %v: exit %d, %q; want exit %d saying %q", tc.args, code, stderr, tc.code, tc.says)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Error("export created the database it was asked to read")
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("failed exports left %v", entries)
	}
}
