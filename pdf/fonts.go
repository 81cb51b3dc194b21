package pdf

import (
	"fmt"
	"math/bits"
	"sync"
	"unicode"

	"github.com/jung-kurt/gofpdf"

	"needledesk/assets"
)

// gofpdf's core fonts only know Latin-1, so every sheet is set in DejaVu Sans
// (Latin with Vietnamese, Greek, Cyrillic), embedded as a TrueType
// subset, and falls back to Droid Sans Fallback, per run of text, for the
// Chinese, Japanese and Korean characters DejaVu has no glyphs for. gofpdf
// has no glyph fallback of its own.
//
// Parsing a font file is slow, so the three fonts are parsed here once per
// process, and each document embeds subsets holding just the characters it
// prints, as simple fonts (see simplefont.go). The fallback font is only
// added to documents that need it.

// face is a font a run of text can be set in.
type face uint8

const (
	faceLatin face = iota // DejaVu Sans, regular and bold
	faceCJK               // Droid Sans Fallback; regular only
	numFaces
)

// Family names as registered with gofpdf, which are also the fonts'
// PostScript names (the PDF's font names add "-Bold" and a subset tag).
var faceFamily = [numFaces]string{"DejaVuSans", "DroidSansFallback"}

// fontLib holds the parsed fonts; built once per process, then only read.
type fontLib struct {
	regular, bold, cjk *ttfFont
}

var (
	libOnce sync.Once
	libVal  *fontLib
	libErr  error
)

// fonts returns the shared font library, parsing the fonts on first use.
func fonts() (*fontLib, error) {
	libOnce.Do(func() { libVal, libErr = buildFontLib() })
	return libVal, libErr
}

func buildFontLib() (*fontLib, error) {
	var l fontLib
	for _, f := range []struct {
		dst  **ttfFont
		file string
		data []byte
	}{
		{&l.regular, "DejaVuSans.ttf", assets.DejaVuSans},
		{&l.bold, "DejaVuSans-Bold.ttf", assets.DejaVuSansBold},
		{&l.cjk, "DroidSansFallbackFull.ttf", assets.DroidSansFallback},
	} {
		font, err := parseTTF(f.data)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", f.file, err)
		}
		*f.dst = font
	}
	return &l, nil
}

// font for the face and weight text is set in.
func (l *fontLib) font(f face, bold bool) *ttfFont {
	switch {
	case f == faceCJK:
		return l.cjk
	case bold:
		return l.bold
	}
	return l.regular
}

// resolve picks the face for r. A combining mark stays in the face of the
// character before it, so that accents sit on their letter. Characters no
// font has come back as U+FFFD (a replacement mark) in DejaVu Sans.
func (l *fontLib) resolve(r rune, bold bool, prev face, prevOK bool) (face, rune) {
	if prevOK && prev != faceLatin && unicode.Is(unicode.Mn, r) && l.font(prev, bold).hasGlyph(r) {
		return prev, r
	}
	switch {
	case l.font(faceLatin, bold).hasGlyph(r):
		return faceLatin, r
	case l.cjk.hasGlyph(r):
		return faceCJK, r
	}
	return faceLatin, '\uFFFD'
}

// docFonts records the characters one document prints in each font.
type docFonts struct {
	lib  *fontLib
	used [numFaces][2]*runeSet     // [face][bold]
	pdf  [numFaces][2]*simpleFonts // set by register
}

// runeSet is a set of BMP characters.
type runeSet [0x10000 / 64]uint64

func (s *runeSet) add(r rune) {
	if r >= 0 && r < 0x10000 {
		s[r>>6] |= 1 << (uint(r) & 63)
	}
}

// runes lists the set in order.
func (s *runeSet) runes() []rune {
	var out []rune
	for i, w := range s {
		for ; w != 0; w &= w - 1 {
			out = append(out, rune(i<<6|bits.TrailingZeros64(w)))
		}
	}
	return out
}

func newDocFonts(l *fontLib) *docFonts { return &docFonts{lib: l} }

func (d *docFonts) use(f face, bold bool, text string) {
	if f == faceCJK {
		bold = false // one CJK font serves both weights
	}
	b := 0
	if bold {
		b = 1
	}
	set := d.used[f][b]
	if set == nil {
		set = new(runeSet)
		d.used[f][b] = set
	}
	for _, r := range text {
		set.add(r)
	}
}

// register adds to pdf subsets of the fonts the document uses.
func (d *docFonts) register(pdf *gofpdf.Fpdf) {
	for f := range numFaces {
		for b := range 2 {
			if set := d.used[f][b]; set != nil {
				d.pdf[f][b] = addSimpleFonts(pdf, d.lib.font(f, b == 1), faceFamily[f], b == 1, set.runes())
			}
		}
	}
}

// fonts text in face f and weight bold is drawn with, once registered.
func (d *docFonts) fonts(f face, bold bool) (*simpleFonts, bool) {
	if f == faceCJK {
		bold = false // one CJK font serves both weights
	}
	b := 0
	if bold {
		b = 1
	}
	return d.pdf[f][b], bold
}
