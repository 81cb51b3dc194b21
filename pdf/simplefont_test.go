package pdf

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"needledesk/data"
)

// TestManyDistinctCharacters: a simple font holds 223 characters besides
// the space, so notes with more distinct characters than that in one face
// are set in several fonts; every character must still print and extract.
// The same holds for the glyphs of a shaped face.
func TestManyDistinctCharacters(t *testing.T) {
	requireTools(t)
	lib, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	pick := func(from, to rune, n int, ok func(r rune) bool) string {
		var b strings.Builder
		for r, k := from, 0; r <= to && k < n; r++ {
			if ok(r) && unicode.IsGraphic(r) && !unicode.Is(unicode.Mn, r) && norm.NFC.String(string(r)) == string(r) {
				b.WriteRune(r)
				k++
				if k%12 == 0 {
					b.WriteByte(' ')
				}
			}
		}
		return b.String()
	}
	// Devanagari: every consonant with each vowel sign, each a glyph of
	// its own reading (see glyphfont.go), 35 x 9 of them.
	var deva strings.Builder
	for c := rune(0x0915); c <= 0x0939; c++ {
		for _, v := range "\u093E\u093F\u0940\u0941\u0942\u0947\u0948\u094B\u094C" {
			deva.WriteString(string(c) + string(v))
		}
		deva.WriteByte(' ')
	}
	for _, tc := range []struct {
		name, notes, family string
	}{
		{"latin", pick(0x100, 0x4FF, 400, lib.regular.hasGlyph), "dejavusans"},
		{"chinese", pick(0x4E00, 0x9FFF, 400, func(r rune) bool { return lib.cjk.hasGlyph(r) && !lib.regular.hasGlyph(r) }), "droidsansfallback"},
		{"devanagari", deva.String(), "notosansdevanagari-regular"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := sampleInput()
			in.PersonalNotes = tc.notes
			b := render(t, data.BuildAftercarePlan(in))
			checkValid(t, b)
			savePages(t, "many-characters-"+tc.name, b)
			fonts := strings.ToLower(run(t, "pdffonts", writeTemp(t, b)))
			if n := len(regexp.MustCompile(`(?m)^[a-z]{6}\+`+tc.family+` `).FindAllString(fonts, -1)); n < 2 {
				t.Errorf("%d regular %s fonts, want at least 2 for 400 characters:\n%s", n, tc.family, fonts)
			}
			text := strings.Join(strings.Fields(pdfTextRaw(t, b)), "")
			for _, r := range strings.ReplaceAll(tc.notes, " ", "") {
				if !strings.ContainsRune(text, r) {
					t.Errorf("%q (U+%04X) does not extract", r, r)
				}
			}
			if want := strings.ReplaceAll(tc.notes, " ", ""); !strings.Contains(text, want) {
				t.Errorf("notes do not extract in order:\n%s", text)
			}
		})
	}
}
