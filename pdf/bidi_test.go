package pdf

import (
	"slices"
	"strings"
	"testing"
)

// TestBidiLevels: right-to-left letters are level 1, numbers after them
// level 2 (with their separators and terminators), everything in
// left-to-right text level 0.
func TestBidiLevels(t *testing.T) {
	for _, tc := range []struct {
		text string
		want string // one digit per character
	}{
		{"Zoë O'Brien", "00000000000"},
		{"محمد علي", "11111111"},
		{"for محمد", "0000" + "1111"},
		{"محمد, for", "1111" + "0000" + "0"},
		// After Arabic letters European digits are Arabic numbers (W2),
		// which a terminator does not join (W5).
		{"محمد 12.5% علي", "1111" + "1" + "2222" + "11" + "111"},
		{"שרה 12.5% כהן", "111" + "1" + "22222" + "1" + "111"},
		{"room 12 محمد", "00000" + "00" + "0" + "1111"},
		{"שרה (כהן)", "111" + "1" + "11111"},
		{"שרה (Sarah)", "111" + "0" + "0000000"},
		{"Sarah (שרה)", "00000" + "0" + "0" + "111" + "0"},
		{"عمر ١٢٣", "111" + "1" + "222"},
	} {
		got := bidiLevels(tc.text)
		var b strings.Builder
		for _, l := range got {
			b.WriteByte('0' + l)
		}
		if b.String() != tc.want {
			t.Errorf("bidiLevels(%q) = %s, want %s", tc.text, b.String(), tc.want)
		}
		if !hasRTL(tc.text) != (strings.Trim(tc.want, "0") == "") {
			t.Errorf("hasRTL(%q) = %v", tc.text, hasRTL(tc.text))
		}
	}
}

// TestLineVisualOrder lays out lines mixing left-to-right and
// right-to-left text and checks the order their pieces are drawn in, left
// to right, and that they follow each other without gaps.
func TestLineVisualOrder(t *testing.T) {
	lib, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text string
		want []string // frags' text, left to right
	}{
		{"Aftercare plan for محمد علي", []string{"Aftercare plan for ", "علي", " ", "محمد"}},
		{"محمد علي", []string{"علي", " ", "محمد"}},
		{"محمد 12 علي", []string{"علي", " ", "12", " ", "محمد"}},
		// Brackets around Hebrew after Hebrew are right to left (N0),
		// mirrored; the comma between Hebrew and English is left to
		// right (N2).
		{"Room 4 for שרה (כהן), thanks", []string{"Room 4 for ", "(", "כהן", ") ", "שרה", ", thanks"}},
		{"प्रिया शर्मा", []string{"प्रिया", " ", "शर्मा"}},
	} {
		ts := &typesetter{fonts: newDocFonts(lib)}
		lines := ts.lines(tc.text, stBody, 500)
		if len(lines) != 1 {
			t.Fatalf("%q: %d lines", tc.text, len(lines))
		}
		var got []string
		x := 0.0
		for _, fr := range lines[0].frags {
			got = append(got, fr.text)
			if d := fr.x - x; d > 1e-9 || d < -1e-9 {
				t.Errorf("%q: frag %q at %.3f, want %.3f", tc.text, fr.text, fr.x, x)
			}
			x += fr.w
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q drawn as %q, want %q", tc.text, got, tc.want)
		}
		if d := x - lines[0].w; d > 1e-9 || d < -1e-9 {
			t.Errorf("%q: frags end at %.3f, line is %.3f wide", tc.text, x, lines[0].w)
		}
	}
}
