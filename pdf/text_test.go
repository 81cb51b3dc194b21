package pdf

import (
	"strings"
	"testing"
)

// TestCleanLeavesPlainASCII: the shortcut for text that needs no cleaning
// agrees with the full cleaning for every ASCII character.
func TestCleanLeavesPlainASCII(t *testing.T) {
	const force = "é" // non-ASCII, so clean takes the long way
	for c := 0; c < 0x80; c++ {
		for _, keep := range []bool{false, true} {
			s := "a" + string(rune(c)) + "b"
			want := strings.TrimSuffix(clean(s+force, keep), force)
			if got := clean(s, keep); got != want {
				t.Errorf("clean(%q, %v) = %q, want %q", s, keep, got, want)
			}
		}
	}
}
