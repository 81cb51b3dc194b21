package pdf

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/go-text/typesetting/font"

	"needledesk/data"
)

// TestEveryFontParses: each face's font parses, for this package and for
// the shaper, and has glyphs for its script.
func TestEveryFontParses(t *testing.T) {
	lib, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	sample := map[face]rune{
		faceLatin: 'A', faceCJK: '王', faceKorean: '김', faceArabic: 'م', faceHebrew: 'ש',
		faceDevanagari: 'क', faceBengali: 'ক', faceGurmukhi: 'ਕ', faceGujarati: 'ક', faceOriya: 'କ',
		faceTamil: 'க', faceTelugu: 'క', faceKannada: 'ಕ', faceMalayalam: 'ക', faceSinhala: 'ක', faceThai: 'ก',
	}
	for f := range numFaces {
		r, ok := sample[f]
		if !ok {
			t.Errorf("no sample character for %s", faces[f].family)
			continue
		}
		if f != faceLatin && f != faceCJK {
			if lf := lib.load(f); lf.err != nil || (f.shaped() && lf.ot == nil) {
				t.Errorf("%s: %v", faces[f].family, lf.err)
				continue
			}
		}
		if got, _ := lib.resolve(r, false, faceLatin, false); got != f {
			t.Errorf("%q is set in %s, want %s", r, faces[got].family, faces[f].family)
		}
	}
}

// TestGlyphSubsetKeepsOutlines subsets shaped text's glyphs as a document
// does and reads the subset back with go-text's parser: every code maps
// (as 0xF000 + code) to a glyph with the original glyph's outline and
// advance, and the file's checksums hold.
func TestGlyphSubsetKeepsOutlines(t *testing.T) {
	lib, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    face
		text string
		rtl  bool
	}{
		{faceDevanagari, "क्षत्रिय प्रिया शर्मा", false},
		{faceArabic, "مُحَمَّد الخَطِيب لا", true},
		{faceTamil, "கொற்றவை முருகன்", false},
	} {
		ft := lib.font(tc.f, false)
		run := lib.shape(tc.f, tc.text, tc.rtl)
		var byCode [256]uint16
		for i, g := range run.glyphs {
			byCode[firstCode+i] = g.gid
		}
		own, fixed := ft.subsetGlyphParts(&byCode)
		sub := append(own, fixed.data...)
		if sum := checksum(sub); sum != 0xB1B0AFBA {
			t.Errorf("%s: file checksum %#x, want 0xB1B0AFBA", faces[tc.f].family, sum)
		}
		full, err := font.ParseTTF(bytes.NewReader(faces[tc.f].data))
		if err != nil {
			t.Fatal(err)
		}
		part, err := font.ParseTTF(bytes.NewReader(sub))
		if err != nil {
			t.Fatalf("%s: subset does not parse: %v", faces[tc.f].family, err)
		}
		drawn := 0
		for i, g := range run.glyphs {
			gid, ok := part.NominalGlyph(rune(0xF000 + firstCode + i))
			if !ok {
				t.Errorf("%s: code %d has no glyph", faces[tc.f].family, firstCode+i)
				continue
			}
			a, b := outline(full, font.GID(g.gid)), outline(part, gid)
			if a != b {
				t.Errorf("%s: glyph %d's outline changed in the subset:\n%s\n%s", faces[tc.f].family, g.gid, a, b)
			}
			if len(a) > 20 {
				drawn++
			}
			if a, b := full.HorizontalAdvance(font.GID(g.gid)), part.HorizontalAdvance(gid); a != b {
				t.Errorf("%s: glyph %d's advance %v, %v in the subset", faces[tc.f].family, g.gid, a, b)
			}
		}
		if drawn < len(run.glyphs)/2 {
			t.Errorf("%s: only %d of %d glyphs have outlines", faces[tc.f].family, drawn, len(run.glyphs))
		}
	}
}

func outline(f *font.Face, g font.GID) string {
	o, ok := f.GlyphData(g).(font.GlyphOutline)
	if !ok {
		return "not an outline"
	}
	return fmt.Sprint(o.Segments)
}

// TestGlyphNames: what a glyph reads as is spelled as an AGL name.
func TestGlyphNames(t *testing.T) {
	for text, want := range map[string]string{
		"क":                     "uni0915",
		"क्ष":                   "uni0915094D0937",
		"لا":                    "uni06440627",
		"":                      "uni0000",
		"😀":                     "uni0000", // beyond the BMP: no uniXXXX spelling
		"a😀b":                   "uni00610062",
		strings.Repeat("क", 30): "uni" + strings.Repeat("0915", maxNamed),
	} {
		if got := glyphName(text); got != want {
			t.Errorf("glyphName(%q) = %s, want %s", text, got, want)
		}
	}
	if got := glyphText([]rune("لا"), true); got != "ال" {
		t.Errorf("right-to-left cluster named %q, want reversed", got)
	}
}

// TestShapedSheetNamesItsGlyphs: a sheet with conjuncts names their glyphs
// with every character they stand for, in symbolic fonts.
func TestShapedSheetNamesItsGlyphs(t *testing.T) {
	in := sampleInput()
	in.Client.GivenName, in.Client.FamilyName = "लक्ष्मी", "क्षत्रिय"
	b := render(t, data.BuildAftercarePlan(in))
	if !regexp.MustCompile(`/uni0915094D0937`).Match(b) {
		t.Error("no glyph named for क्ष (U+0915 U+094D U+0937)")
	}
	if !regexp.MustCompile(`/FontName /[A-Z]{6}\+NotoSansDevanagari-Regular /Ascent -?\d+ /Descent -?\d+ /CapHeight -?\d+ /Flags 4 `).Match(b) {
		t.Error("the Devanagari font is not a symbolic font")
	}
}

// TestToUnicodeMaps: the glyph fonts get ToUnicode maps in an update
// after what gofpdf wrote (pdffonts sees them, qpdf finds the file sound),
// and a conjunct's code maps to its three characters.
func TestToUnicodeMaps(t *testing.T) {
	requireTools(t)
	in := sampleInput()
	in.Client.GivenName, in.Client.FamilyName = "लक्ष्मी", "क्षत्रिय"
	b := render(t, data.BuildAftercarePlan(in))
	checkValid(t, b)
	if n := bytes.Count(b, []byte("startxref")); n != 2 || !bytes.Contains(b, []byte("/Prev ")) {
		t.Errorf("%d cross-reference sections, want gofpdf's and one update pointing back to it", n)
	}
	for _, l := range strings.Split(run(t, "pdffonts", writeTemp(t, b)), "\n") {
		f := strings.Fields(l)
		if len(f) > 6 && strings.Contains(f[0], "+") {
			if uni := f[len(f)-3]; (uni == "yes") != strings.Contains(f[0], "NotoSans") {
				t.Errorf("ToUnicode map %s: %s", uni, l)
			}
		}
	}
	dir := t.TempDir()
	qdf := filepath.Join(dir, "qdf.pdf")
	run(t, "qpdf", "--qdf", "--object-streams=disable", writeTemp(t, b), qdf)
	plain, err := os.ReadFile(qdf)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^<[0-9A-F]{2}> <0915094D0937>$`).Match(plain) {
		t.Error("no ToUnicode entry maps a code to क्ष (U+0915 U+094D U+0937)")
	}
}

// TestLongShapedWordWraps: a word wider than the line is broken between
// clusters, never between a letter and its vowel sign or inside a
// conjunct, and every character still reads back.
func TestLongShapedWordWraps(t *testing.T) {
	requireTools(t)
	lib, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	word := strings.Repeat("क्षत्रियप्रियाशर्मा", 6)
	ts := &typesetter{fonts: newDocFonts(lib)}
	lines := ts.lines(word, stName, 60)
	if len(lines) < 3 {
		t.Fatalf("%d lines for a word much wider than the line", len(lines))
	}
	var joined strings.Builder
	for i, ln := range lines {
		if ln.w > 60+1e-9 {
			t.Errorf("line %d is %.1f mm wide, more than 60", i, ln.w)
		}
		text := ""
		for _, fr := range ln.frags {
			text += fr.text
		}
		first := []rune(text)[0]
		if unicode.In(first, unicode.Mn, unicode.Mc) {
			t.Errorf("line %d starts with the mark %q", i, first)
		}
		if i > 0 && !breakable(lastRune(joined.String()), first) {
			t.Errorf("line %d breaks a cluster before %q", i, first)
		}
		joined.WriteString(text)
	}
	if joined.String() != word {
		t.Errorf("lines hold %q, want %q", joined.String(), word)
	}
	in := sampleInput()
	in.Client.GivenName, in.Client.FamilyName = word, ""
	b := render(t, data.BuildAftercarePlan(in))
	checkValid(t, b)
	savePages(t, "long-devanagari-name", b)
	if text := strings.ReplaceAll(pdfText(t, b), " ", ""); !strings.Contains(text, word) {
		t.Errorf("long name does not read back:\n%s", text)
	}
}

func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}
