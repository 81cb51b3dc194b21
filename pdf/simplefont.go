package pdf

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"hash/adler32"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf"
)

// Each font a document uses is handed to gofpdf as one or more simple
// (single-byte) TrueType fonts rather than as a UTF-8 font. gofpdf's UTF-8
// fonts cost several milliseconds each per document however few characters
// they hold: it parses the font again, hashes a 65,536-entry width table
// through encoding/json, and writes a 128 KB glyph map and a new zlib
// stream for each. A simple font is just a small widths table, an encoding
// and the font file, which this package subsets and compresses itself.
//
// A simple font has 256 codes. Code 32 is the space and the other ASCII
// characters keep their own codes too; the rest of the characters the
// document prints in that face and weight get the free codes from 33 to
// 255, and a face and weight with more than 223 characters (long notes in
// Chinese) is split over several fonts. The encoding names every code's
// character as uniXXXX, which is how viewers pick the glyph from the
// font's Unicode cmap and how text is copied and searched: gofpdf writes
// no ToUnicode map for simple fonts, and these names serve instead.

const (
	firstCode    = 33 // the first code after the space
	codesPerFont = 256 - firstCode
)

// simpleFonts are the fonts of one face and weight in one document.
type simpleFonts struct {
	families []string        // as registered with gofpdf, one per font
	codes    map[rune]uint16 // font index << 8 | code
}

// fontCode is a character's place in the document's fonts.
func (s *simpleFonts) fontCode(r rune) (font int, code byte) {
	if r == ' ' {
		return -1, ' ' // every font has the space
	}
	fc, ok := s.codes[r]
	if !ok {
		// Every character drawn was laid out, and so counted, before
		// the fonts were made; print a space rather than a wrong glyph
		// should that ever not hold.
		return -1, ' '
	}
	return int(fc >> 8), byte(fc)
}

// addSimpleFonts subsets font for runes and registers the subsets with pdf
// under family (family2, family3, … for a second and third font), in the
// weight bold says. psName is the font's PostScript name.
func addSimpleFonts(pdf *gofpdf.Fpdf, font *ttfFont, family, psName string, bold bool, runes []rune) *simpleFonts {
	s := &simpleFonts{codes: make(map[rune]uint16, len(runes))}
	var chars []rune
	for _, r := range runes {
		if r != ' ' {
			chars = append(chars, r)
		}
	}
	style, baseName := "", psName
	if bold {
		style, baseName = "B", psName+"-Bold"
	}
	for i := 0; i == 0 || i*codesPerFont < len(chars); i++ {
		chunk := chars[i*codesPerFont : min(len(chars), (i+1)*codesPerFont)]
		fam := family
		if i > 0 {
			fam += strconv.Itoa(i + 1)
		}
		codes := assignCodes(chunk)
		for j, r := range chunk {
			s.codes[r] = uint16(i)<<8 | uint16(codes[j])
		}
		def, file := simpleFontDef(font, baseName, fam+style, chunk, codes)
		pdf.AddFontFromBytes(fam, style, def, file)
		s.families = append(s.families, fam)
	}
	return s
}

// assignCodes gives each of at most codesPerFont characters a code: ASCII
// its own, the others the free codes in order.
func assignCodes(chars []rune) []byte {
	var taken [256]bool
	codes := make([]byte, len(chars))
	for i, r := range chars {
		if r >= firstCode && r < 0x7F {
			codes[i], taken[r] = byte(r), true
		}
	}
	next := firstCode
	for i := range chars {
		if codes[i] != 0 {
			continue
		}
		for taken[next] {
			next++
		}
		codes[i], taken[next] = byte(next), true
	}
	return codes
}

// simpleFontDef is gofpdf's font definition (the JSON its makefont tool
// writes) and the compressed font file for one simple font holding the
// space and chars, with the codes given.
func simpleFontDef(font *ttfFont, baseName, key string, chars []rune, codes []byte) (def, file []byte) {
	withSpace := append([]rune{' '}, chars...)
	own, fixed := font.subsetParts(withSpace)
	m := font.metrics
	flags := 32 // non-symbolic: the viewer follows the encoding
	if m.italicAngle != 0 {
		flags |= 64
	}
	if m.bold {
		flags |= 1 << 18
	}
	if m.fixedPitch {
		flags |= 1
	}
	widths := make([]int, 256)
	var names [256]rune
	widths[' '] = font.width(' ')
	for i, r := range chars {
		widths[codes[i]], names[codes[i]] = font.width(r), r
	}
	var diff strings.Builder
	diff.WriteString("32 /space")
	for code, r := range names {
		if r != 0 {
			diff.WriteString(" " + strconv.Itoa(code) + " /uni" + hex4(r))
		}
	}
	def = gofpdfFontDef(m, subsetTag(baseName, withSpace)+"+"+baseName, flags, widths, diff.String(),
		key, len(own)+len(fixed.data))
	return def, deflateFont(own, fixed)
}

// gofpdfFontDef is gofpdf's font definition (the JSON its makefont tool
// writes, which it reads back with encoding/json) for a subset named name
// whose compressed file is key+".z" (unique within the document).
func gofpdfFontDef(m fontMetrics, name string, flags int, widths []int, diff, key string, originalSize int) []byte {
	type box struct{ Xmin, Ymin, Xmax, Ymax int }
	type desc struct {
		Ascent, Descent, CapHeight, Flags int
		FontBBox                          box
		ItalicAngle, StemV, MissingWidth  int
	}
	def, err := json.Marshal(struct {
		Tp, Name     string
		Desc         desc
		Up, Ut       int
		Cw           []int
		Diff, File   string
		OriginalSize int
	}{
		Tp:   "TrueType",
		Name: name,
		Desc: desc{
			Ascent: m.ascent, Descent: m.descent, CapHeight: m.capHeight, Flags: flags,
			FontBBox:    box{m.bbox[0], m.bbox[1], m.bbox[2], m.bbox[3]},
			ItalicAngle: m.italicAngle, StemV: m.stemV, MissingWidth: m.missingWidth,
		},
		Up: m.underlinePos, Ut: m.underlineW,
		Cw:           widths,
		Diff:         diff,
		File:         key + ".z",
		OriginalSize: originalSize,
	})
	if err != nil {
		panic(err) // a struct of strings and ints always marshals
	}
	return def
}

func hex4(r rune) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[r>>12&15], digits[r>>8&15], digits[r>>4&15], digits[r&15]})
}

// subsetTag is the six capital letters a subset font's name starts with,
// taken from a hash of what it holds so that the same text always gives
// the same name.
func subsetTag(name string, runes []rune) string {
	h := fnv.New64a()
	h.Write([]byte(name))
	for _, r := range runes {
		h.Write([]byte{byte(r >> 16), byte(r >> 8), byte(r)})
	}
	return tagOf(h.Sum64())
}

// tagOf spells a hash as six capital letters.
func tagOf(v uint64) string {
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(v%26)
		v /= 26
	}
	return string(tag)
}

// deflateFont compresses a subset made by subsetParts as a zlib stream (a
// PDF FlateDecode stream): own's deflate blocks, then the fixed tables'
// blocks compressed once beforehand. Blocks compressed apart refer to
// nothing outside themselves, so they can follow each other; the stream
// only compresses a little less well than in one go.
func deflateFont(own []byte, fixed *fixedTables) []byte {
	head := deflateRaw(own, false)
	out := make([]byte, 0, 2+len(head)+len(fixed.deflated)+4)
	out = append(out, 0x78, 0x01) // deflate, 32 KB window, fastest
	out = append(out, head...)
	out = append(out, fixed.deflated...)
	sum := adler32.New()
	sum.Write(own)
	sum.Write(fixed.data)
	return sum.Sum(out)
}

// zlibCompress compresses b as a zlib stream.
func zlibCompress(b []byte) []byte {
	out := append([]byte{0x78, 0x01}, deflateRaw(b, true)...)
	return binary.BigEndian.AppendUint32(out, adler32.Checksum(b))
}

// A flate writer takes over a megabyte to set up, more than compressing a
// font subset, so two are kept for the next fonts. (A sync.Pool would lose
// them at every garbage collection, which comes every few sheets.)
var flateWriters = make(chan *flate.Writer, 2)

// deflateRaw compresses b as deflate blocks, the last of them final if
// final is set, otherwise ending on a byte boundary so that more blocks
// can follow.
func deflateRaw(b []byte, final bool) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/2 + 64)
	var w *flate.Writer
	select {
	case w = <-flateWriters:
		w.Reset(&buf)
	default:
		w, _ = flate.NewWriter(&buf, flate.BestSpeed)
	}
	// Writes to a bytes.Buffer do not fail.
	w.Write(b)
	if final {
		w.Close()
	} else {
		w.Flush()
	}
	select {
	case flateWriters <- w:
	default:
	}
	return buf.Bytes()
}
