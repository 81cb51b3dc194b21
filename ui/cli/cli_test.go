package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs one command in-process, as the binary would.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// demoDB makes a demo clinic of n clients and returns its path.
func demoDB(t *testing.T, n string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "clinic", "clinic.db")
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", n); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	return db
}

func clientsJSON(t *testing.T, db string) string {
	t.Helper()
	code, out, errOut := runCLI(t, "clients", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("clients: %s", errOut)
	}
	return out
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"demo", "--clients", "x", "--db", "x.db"}, {"import-clients", "--db", "x.db"}, {"clients"}} {
		if code, _, errOut := runCLI(t, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
}

// TestTheCommandLineImportsNoGUI: ui/cli, and everything it imports, is
// free of Fyne and of the window's package ui, so a command never starts
// the GUI libraries.
func TestTheCommandLineImportsNoGUI(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-tags", "migrated_fynedo", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "fyne.io/") || p == "needledesk/ui" || strings.Contains(p, "glfw") {
			t.Errorf("ui/cli imports %s", p)
		}
	}
}
