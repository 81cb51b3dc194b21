package pdf

import (
	"bytes"
	"fmt"
	"math/bits"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/jung-kurt/gofpdf"

	"needledesk/assets"
)

// gofpdf's core fonts only know Latin-1, so every sheet is set in DejaVu Sans
// (Latin with Vietnamese, Greek, Cyrillic), embedded as a TrueType
// subset, and falls back per run of text to other fonts for the characters
// DejaVu has no glyphs for or should not set: Droid Sans Fallback for
// Chinese and Japanese, NanumSquare for Korean, and a Noto Sans font for
// each script that needs shaping (Arabic, Hebrew, the Indic scripts, Thai).
// gofpdf has no glyph fallback of its own.
//
// Parsing a font file is slow, so the fonts are parsed once per process:
// DejaVu Sans and Droid Sans Fallback at the first sheet, the others at the
// first sheet that prints their script. Each document embeds subsets
// holding just the glyphs it prints, as simple fonts (see simplefont.go and
// glyphfont.go).

// face is a font a run of text can be set in.
type face uint8

const (
	faceLatin  face = iota // DejaVu Sans, regular and bold
	faceCJK                // Droid Sans Fallback; regular only
	faceKorean             // NanumSquare; regular only
	// The faces from faceArabic on are shaped (see shape.go); regular only.
	faceArabic
	faceHebrew
	faceDevanagari
	faceBengali
	faceGurmukhi
	faceGujarati
	faceOriya
	faceTamil
	faceTelugu
	faceKannada
	faceMalayalam
	faceSinhala
	faceThai
	numFaces
)

// shaped reports whether text in f goes through the shaper, which picks
// its glyphs, rather than taking each character's glyph from the cmap.
func (f face) shaped() bool { return f >= faceArabic }

// hasBold reports whether f has a bold font; the others are thickened
// where bold is asked for (see fauxBold).
func (f face) hasBold() bool { return f == faceLatin }

// faceInfo describes a face's font.
type faceInfo struct {
	family string // as registered with gofpdf
	psName string // PostScript name, for the PDF's font names
	file   string
	data   []byte
	script language.Script // for shaping
	rtl    bool            // the script is written right to left
}

// Family names as registered with gofpdf. The first two are also the
// fonts' PostScript names (the PDF's font names add "-Bold" and a subset
// tag); they are as they were before the other faces came.
var faces = [numFaces]faceInfo{
	faceLatin:      {family: "DejaVuSans", psName: "DejaVuSans", file: "DejaVuSans.ttf", data: assets.DejaVuSans},
	faceCJK:        {family: "DroidSansFallback", psName: "DroidSansFallback", file: "DroidSansFallbackFull.ttf", data: assets.DroidSansFallback},
	faceKorean:     {family: "NanumSquare", psName: "NanumSquareR", file: "NanumSquareR.ttf", data: assets.NanumSquare},
	faceArabic:     noto("Arabic", assets.NotoSansArabic, language.Arabic, true),
	faceHebrew:     noto("Hebrew", assets.NotoSansHebrew, language.Hebrew, true),
	faceDevanagari: noto("Devanagari", assets.NotoSansDevanagari, language.Devanagari, false),
	faceBengali:    noto("Bengali", assets.NotoSansBengali, language.Bengali, false),
	faceGurmukhi:   noto("Gurmukhi", assets.NotoSansGurmukhi, language.Gurmukhi, false),
	faceGujarati:   noto("Gujarati", assets.NotoSansGujarati, language.Gujarati, false),
	faceOriya:      noto("Oriya", assets.NotoSansOriya, language.Oriya, false),
	faceTamil:      noto("Tamil", assets.NotoSansTamil, language.Tamil, false),
	faceTelugu:     noto("Telugu", assets.NotoSansTelugu, language.Telugu, false),
	faceKannada:    noto("Kannada", assets.NotoSansKannada, language.Kannada, false),
	faceMalayalam:  noto("Malayalam", assets.NotoSansMalayalam, language.Malayalam, false),
	faceSinhala:    noto("Sinhala", assets.NotoSansSinhala, language.Sinhala, false),
	faceThai:       noto("Thai", assets.NotoSansThai, language.Thai, false),
}

func noto(script string, data []byte, sc language.Script, rtl bool) faceInfo {
	return faceInfo{family: "NotoSans" + script, psName: "NotoSans" + script + "-Regular",
		file: "NotoSans" + script + "-Regular.ttf", data: data, script: sc, rtl: rtl}
}

// scriptFace is the face for the characters of a script that DejaVu Sans
// must not set even where it has glyphs (its Arabic and Hebrew are not
// shaped here), or faceLatin for the rest.
func scriptFace(r rune) face {
	switch {
	case r < 0x0590:
		return faceLatin
	case r < 0x0600, r >= 0xFB1D && r <= 0xFB4F:
		return faceHebrew
	case r < 0x0700, r >= 0x0750 && r <= 0x077F, r >= 0x08A0 && r <= 0x08FF,
		r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF:
		return faceArabic
	case r >= 0x0900 && r <= 0x0E7F:
		// The Indic blocks follow each other, 128 characters each, in
		// the order of the faces; Thai comes after Sinhala.
		return faceDevanagari + face((r-0x0900)>>7)
	case r >= 0xA8E0 && r <= 0xA8FF, r >= 0x1CD0 && r <= 0x1CFF:
		return faceDevanagari // Devanagari Extended, Vedic Extensions
	case r >= 0x1100 && r <= 0x11FF, r >= 0x3130 && r <= 0x318F,
		r >= 0xA960 && r <= 0xA97F, r >= 0xAC00 && r <= 0xD7FF:
		return faceKorean // hangul jamo and syllables
	}
	return faceLatin
}

// sticky reports whether r, after text in a shaped face, stays in that
// face: combining marks, the joiners and the Devanagari dandas, which
// other Indic scripts use too.
func sticky(r rune) bool {
	return r == zwnj || r == zwj || r == 0x0964 || r == 0x0965 || r == 0x25CC ||
		unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me)
}

const (
	zwnj = '\u200C' // zero width non-joiner
	zwj  = '\u200D' // zero width joiner
)

// fontLib holds the parsed fonts; built once per process, then only read.
type fontLib struct {
	regular, bold, cjk *ttfFont
	lazy               [numFaces]lazyFont // the faces parsed at first use
}

// lazyFont is a font parsed the first time a document needs it.
type lazyFont struct {
	once sync.Once
	ttf  *ttfFont
	ot   *font.Font // for the shaper; nil for faces that are not shaped
	err  error
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

// load parses face f's font if it has not been yet. A font that does not
// parse is reported once by loadErr and otherwise treated as having no
// glyphs, so that its characters fall back to the other fonts.
func (l *fontLib) load(f face) *lazyFont {
	lf := &l.lazy[f]
	lf.once.Do(func() {
		info := &faces[f]
		lf.ttf, lf.err = parseTTF(info.data)
		if lf.err == nil && f.shaped() {
			var fc *font.Face
			if fc, lf.err = font.ParseTTF(bytes.NewReader(info.data)); lf.err == nil {
				lf.ot = fc.Font
			}
		}
		if lf.err != nil {
			lf.err = fmt.Errorf("font %s: %w", info.file, lf.err)
			lf.ttf, lf.ot = nil, nil
		}
	})
	return lf
}

// font for the face and weight text is set in; nil if the face's font
// does not parse.
func (l *fontLib) font(f face, bold bool) *ttfFont {
	switch {
	case f == faceCJK:
		return l.cjk
	case f != faceLatin:
		return l.load(f).ttf
	case bold:
		return l.bold
	}
	return l.regular
}

// has reports whether face f's font has a glyph for r.
func (l *fontLib) has(f face, bold bool, r rune) bool {
	ft := l.font(f, bold)
	return ft != nil && ft.hasGlyph(r)
}

// resolve picks the face for r. A combining mark stays in the face of the
// character before it, so that accents sit on their letter; so do the
// joiners and other characters a shaped script shares (see sticky).
// Characters no font has come back as U+FFFD (a replacement mark) in
// DejaVu Sans.
func (l *fontLib) resolve(r rune, bold bool, prev face, prevOK bool) (face, rune) {
	if r >= 0x0590 {
		if prevOK && prev.shaped() && sticky(r) && l.has(prev, false, r) {
			return prev, r
		}
		if f := scriptFace(r); f != faceLatin && l.has(f, false, r) {
			return f, r
		}
	}
	if prevOK && prev != faceLatin && unicode.Is(unicode.Mn, r) && l.has(prev, bold, r) {
		return prev, r
	}
	switch {
	case l.regularOrBold(bold).hasGlyph(r):
		return faceLatin, r
	case l.cjk.hasGlyph(r):
		return faceCJK, r
	}
	return faceLatin, '\uFFFD'
}

func (l *fontLib) regularOrBold(bold bool) *ttfFont {
	if bold {
		return l.bold
	}
	return l.regular
}

// docFonts records the characters and glyphs one document prints in each
// font.
type docFonts struct {
	lib    *fontLib
	used   [numFaces][2]*runeSet           // [face][bold], faces not shaped
	glyphs [numFaces]map[glyphKey]struct{} // shaped faces
	pdf    [numFaces][2]*simpleFonts       // set by register
	gpdf   [numFaces]*glyphFonts           // set by register
	shapes map[shapeKey]*shapedRun         // text shaped so far
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
	if !f.hasBold() {
		bold = false // one font serves both weights
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

// useGlyphs records the glyphs of a shaped run.
func (d *docFonts) useGlyphs(f face, run *shapedRun) {
	set := d.glyphs[f]
	if set == nil {
		set = make(map[glyphKey]struct{})
		d.glyphs[f] = set
	}
	for _, g := range run.glyphs {
		set[g.key()] = struct{}{}
	}
}

// register adds to pdf subsets of the fonts the document uses.
func (d *docFonts) register(pdf *gofpdf.Fpdf) {
	for f := range numFaces {
		if f.shaped() {
			if set := d.glyphs[f]; len(set) > 0 {
				keys := make([]glyphKey, 0, len(set))
				for k := range set {
					keys = append(keys, k)
				}
				d.gpdf[f] = addGlyphFonts(pdf, d.lib.font(f, false), faces[f].family, faces[f].psName, keys)
			}
			continue
		}
		for b := range 2 {
			if set := d.used[f][b]; set != nil {
				d.pdf[f][b] = addSimpleFonts(pdf, d.lib.font(f, b == 1), faces[f].family, faces[f].psName, b == 1, set.runes())
			}
		}
	}
}

// unicode is what the codes of the document's glyph fonts read as, once
// registered.
func (d *docFonts) unicode() []fontUnicode {
	var out []fontUnicode
	for _, g := range d.gpdf {
		if g != nil {
			out = append(out, g.unicode...)
		}
	}
	return out
}

// fonts text in face f and weight bold is drawn with, once registered,
// and whether that font is bold.
func (d *docFonts) fonts(f face, bold bool) (*simpleFonts, bool) {
	if !f.hasBold() {
		bold = false // one font serves both weights
	}
	b := 0
	if bold {
		b = 1
	}
	return d.pdf[f][b], bold
}
