package pdf

import (
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf"
)

// Shaped text (see shape.go) is a list of glyphs, and a glyph need not
// stand for one character: Arabic letters take a different glyph at the
// start, middle and end of a word, an Indic conjunct is one glyph for three
// characters, and a vowel sign may be drawn in two pieces on either side of
// its consonant. So the fonts for shaped faces map their codes to glyphs,
// not to characters: each is a symbolic simple TrueType font whose cmap
// maps code c (as 0xF000 + c, and as c in the Macintosh subtable) straight
// to its glyph, which is how viewers pick glyphs in such a font. As in
// simplefont.go, each font holds up to 223 glyphs (codes 33 to 255), and a
// document with more glyphs in one face gets several fonts.
//
// What a glyph reads as when text is copied is told by its name in the
// encoding's differences: AGL names "uni" followed by the characters'
// four-digit codes, so "uni0915094D0937" for the conjunct क्ष. The
// characters of a cluster (a letter with its marks, a conjunct, a vowel
// sign drawn in pieces) go to one of its glyphs, and its other glyphs read
// as nothing (see shapedRun and glyphName). The same glyph with different
// readings or widths (a vowel sign in two clusters) gets one code for
// each. In right-to-left text a cluster's characters are named in
// reverse: pdftotext (and most other extractors) read a right-to-left line
// from right to left by reversing the characters laid out left to right,
// so a lam-alef ligature named "uni06270644" reads as "لا" (U+0644 U+0627).
// gofpdf writes no ToUnicode map for simple fonts; these names serve
// poppler, and tounicode.go adds the maps that other readers (MuPDF,
// Ghostscript) need, which read "uni0915094D0937" as one character or
// none.

// glyphKey is a glyph with its width and what it reads as.
type glyphKey struct {
	gid  uint16
	w    int    // thousandths of an em
	text string // in the order it is named; see glyphText
}

// glyphFonts are the fonts of one shaped face in one document.
type glyphFonts struct {
	families []string
	codes    map[glyphKey]uint16 // font index << 8 | code
	unicode  []fontUnicode       // what each font's codes read as
}

// fontUnicode is what the codes of the font named baseFont read as, for
// its ToUnicode map (see tounicode.go).
type fontUnicode struct {
	baseFont string
	text     [256]string
}

// code is a glyph's place in the document's fonts.
func (g *glyphFonts) code(k glyphKey) (font int, code byte, ok bool) {
	fc, ok := g.codes[k]
	return int(fc >> 8), byte(fc), ok
}

// addGlyphFonts subsets font for the glyphs keys and registers the subsets
// with pdf under family (family2, family3, … for more fonts). psName is
// the font's PostScript name.
func addGlyphFonts(pdf *gofpdf.Fpdf, font *ttfFont, family, psName string, keys []glyphKey) *glyphFonts {
	slices.SortFunc(keys, func(a, b glyphKey) int {
		if a.gid != b.gid {
			return int(a.gid) - int(b.gid)
		}
		if a.w != b.w {
			return a.w - b.w
		}
		return strings.Compare(a.text, b.text)
	})
	g := &glyphFonts{codes: make(map[glyphKey]uint16, len(keys))}
	for i := 0; i*codesPerFont < len(keys); i++ {
		chunk := keys[i*codesPerFont : min(len(keys), (i+1)*codesPerFont)]
		fam := family
		if i > 0 {
			fam += strconv.Itoa(i + 1)
		}
		u := fontUnicode{}
		for j, k := range chunk {
			g.codes[k] = uint16(i)<<8 | uint16(firstCode+j)
			u.text[firstCode+j] = k.text
		}
		def, file, name := glyphFontDef(font, psName, fam, chunk)
		pdf.AddFontFromBytes(fam, "", def, file)
		g.families = append(g.families, fam)
		u.baseFont = name
		g.unicode = append(g.unicode, u)
	}
	return g
}

// glyphFontDef is gofpdf's font definition, the compressed font file and
// the font's name (with its subset tag) for one font holding keys at codes
// firstCode, firstCode+1, …
func glyphFontDef(font *ttfFont, psName, key string, keys []glyphKey) (def, file []byte, name string) {
	var byCode [256]uint16
	widths := make([]int, 256)
	var diff strings.Builder
	h := fnv.New64a()
	h.Write([]byte(psName))
	for j, k := range keys {
		c := firstCode + j
		byCode[c] = k.gid
		widths[c] = k.w
		if j == 0 {
			diff.WriteString(strconv.Itoa(c))
		}
		diff.WriteString(" /" + glyphName(k.text))
		h.Write([]byte{byte(k.gid >> 8), byte(k.gid), byte(k.w >> 8), byte(k.w)})
		h.Write([]byte(k.text))
		h.Write([]byte{0})
	}
	own, fixed := font.subsetGlyphParts(&byCode)
	name = tagOf(h.Sum64()) + "+" + psName
	m := font.metrics
	flags := 4 // symbolic: the viewer takes glyphs from the cmap by code
	if m.italicAngle != 0 {
		flags |= 64
	}
	def = gofpdfFontDef(m, name, flags, widths, diff.String(), key, len(own)+len(fixed.data))
	return def, deflateFont(own, fixed), name
}

// maxNamed is the most characters a glyph's name carries (a name has at
// most 127 bytes).
const maxNamed = 24

// glyphName is the AGL name that reads as text: uniXXXX… for up to
// maxNamed characters of the Basic Multilingual Plane. A glyph that reads as
// nothing is named uni0000: poppler reads a name it cannot map (.notdef
// included) as the character with the glyph's code, but drops U+0000.
func glyphName(text string) string {
	if text == "" {
		return noText
	}
	b := make([]byte, 0, 3+4*min(len(text), maxNamed))
	b = append(b, "uni"...)
	n := 0
	for _, r := range text {
		if r < 0x10000 && r != 0xFFFE && (r < 0xD800 || r > 0xDFFF) && n < maxNamed {
			b = append(b, hex4(r)...)
			n++
		}
	}
	if n == 0 {
		return noText
	}
	return string(b)
}

const noText = "uni0000"
