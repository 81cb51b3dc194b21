package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEveryFileNameChecksOutEverywhere: every file in the repository has a
// name that Windows and macOS can check out. Files a test once made by
// mistake, at paths named after PostgreSQL URLs ("postgres:/…?host=…"),
// were committed; Windows cannot create names with : ? * " < > | in them,
// so a clone there fails.
func TestEveryFileNameChecksOutEverywhere(t *testing.T) {
	out, err := exec.Command("git", "ls-files", "-z").Output()
	if err != nil {
		t.Fatalf("listing the repository's files with git (the test runs in a clone): %v", err)
	}
	files := strings.Split(strings.TrimRight(string(out), "\x00"), "\x00")
	if len(files) < 10 {
		t.Fatalf("git lists %d files; the test is not running in the repository", len(files))
	}
	for _, f := range files {
		for _, part := range strings.Split(f, "/") {
			if i := strings.IndexAny(part, `:?*"<>|\`); i >= 0 {
				t.Errorf("%s: %q in a file name cannot be checked out on Windows", f, part[i])
			}
			for _, r := range part {
				if r < 0x20 {
					t.Errorf("%s: a control character in a file name", f)
				}
			}
			if strings.HasSuffix(part, ".") || strings.HasSuffix(part, " ") {
				t.Errorf("%s: Windows drops a name's trailing dot or space", f)
			}
		}
	}
}
