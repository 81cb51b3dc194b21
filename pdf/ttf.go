package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
)

// ttfFont is a TrueType font parsed once per process: which Basic
// Multilingual Plane characters it has a glyph for, how wide each one is
// (in thousandths of an em, rounded the way gofpdf rounds them, so that text
// measured here lines up with the widths gofpdf writes into the PDF), and
// what the subsetter needs to copy glyphs out of it.
//
// A ttfFont is only read after parsing (its fixed tables are made once,
// under a sync.Once), so any number of goroutines can share it. It keeps
// slices of the font file and never writes to them.
type ttfFont struct {
	widths    [0x10000]uint16
	glyph     [0x10000]uint16 // glyph id per character, 0 for none
	tables    map[string][]byte
	loca      []uint32 // numGlyphs+1 offsets into glyf
	numGlyphs int
	nHMetrics int     // advances in hmtx
	scale     float64 // thousandths of an em per font unit
	metrics   fontMetrics

	fixedOnce   sync.Once
	fixedTables *fixedTables // see fixed
}

// fontMetrics is what a PDF font descriptor says about a font, in
// thousandths of an em, read the way gofpdf reads them for its own
// TrueType fonts.
type fontMetrics struct {
	ascent, descent, capHeight int
	bbox                       [4]int // xMin, yMin, xMax, yMax
	italicAngle                int
	stemV                      int
	bold, fixedPitch           bool
	underlinePos, underlineW   int
	missingWidth               int // the width of glyph 0
}

func (f *ttfFont) hasGlyph(r rune) bool { return r >= 0 && r < 0x10000 && f.glyph[r] != 0 }

// width of r in thousandths of an em; 0 for characters the font lacks.
func (f *ttfFont) width(r rune) int {
	if r < 0 || r >= 0x10000 {
		return 0
	}
	return int(f.widths[r])
}

// advance of glyph gid in font units.
func (f *ttfFont) advance(gid int) int {
	if gid >= f.nHMetrics {
		gid = f.nHMetrics - 1
	}
	return int(binary.BigEndian.Uint16(f.tables["hmtx"][gid*4:]))
}

// glyphWidth is the advance of glyph gid in thousandths of an em, rounded
// as width rounds a character's.
func (f *ttfFont) glyphWidth(gid uint16) int {
	if int(gid) >= f.numGlyphs {
		return 0
	}
	return int(math.Round(f.scale * float64(f.advance(int(gid)))))
}

var errBadFont = errors.New("not a usable TrueType font")

// parseTTF reads the tables a subset needs and the Windows Unicode BMP
// (format 4) cmap, the one gofpdf reads too.
func parseTTF(b []byte) (*ttfFont, error) {
	tables, err := ttfTables(b)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf", "name", "post"} {
		if tables[name] == nil {
			return nil, fmt.Errorf("%w: no %s table", errBadFont, name)
		}
	}
	head, hhea, maxp, hmtx := tables["head"], tables["hhea"], tables["maxp"], tables["hmtx"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 || len(tables["post"]) < 16 {
		return nil, fmt.Errorf("%w: short tables", errBadFont)
	}
	f := &ttfFont{tables: tables, numGlyphs: int(binary.BigEndian.Uint16(maxp[4:]))}
	upem := int(binary.BigEndian.Uint16(head[18:]))
	nHMetrics := int(binary.BigEndian.Uint16(hhea[34:]))
	if upem == 0 || nHMetrics == 0 || nHMetrics > f.numGlyphs || len(hmtx) < nHMetrics*4 {
		return nil, fmt.Errorf("%w: bad metrics", errBadFont)
	}
	if f.loca, err = parseLoca(tables["loca"], int(binary.BigEndian.Uint16(head[50:])), f.numGlyphs, len(tables["glyf"])); err != nil {
		return nil, err
	}
	f.nHMetrics = nHMetrics
	advance := f.advance
	sub, err := cmapFormat4(tables["cmap"])
	if err != nil {
		return nil, err
	}
	scale := 1000 / float64(upem)
	f.scale = scale
	err = eachCmap4(sub, func(r, gid int) {
		if gid == 0 || gid >= f.numGlyphs || r >= 0xFFFF {
			return
		}
		f.glyph[r] = uint16(gid)
		f.widths[r] = uint16(math.Round(scale * float64(advance(gid))))
	})
	f.metrics = readMetrics(tables, scale, advance(0))
	return f, err
}

// readMetrics takes the font descriptor's values from head, hhea, OS/2 and
// post (whose lengths parseTTF has checked, except OS/2's).
func readMetrics(tables map[string][]byte, scale float64, width0 int) fontMetrics {
	head, hhea, post := tables["head"], tables["hhea"], tables["post"]
	i16 := func(t []byte, off int) int { return int(int16(binary.BigEndian.Uint16(t[off:]))) }
	em := func(v int) int { return int(float64(v) * scale) } // truncated, as gofpdf does
	m := fontMetrics{
		ascent:       em(i16(hhea, 4)),
		descent:      em(i16(hhea, 6)),
		bbox:         [4]int{em(i16(head, 36)), em(i16(head, 38)), em(i16(head, 40)), em(i16(head, 42))},
		italicAngle:  i16(post, 4),
		underlinePos: int(math.Round(float64(i16(post, 8)) * scale)),
		underlineW:   int(math.Round(float64(i16(post, 10)) * scale)),
		fixedPitch:   binary.BigEndian.Uint32(post[12:]) != 0,
		missingWidth: int(math.Round(float64(width0) * scale)),
	}
	weight := 500
	m.capHeight = m.ascent
	if os2 := tables["OS/2"]; len(os2) >= 72 {
		weight = int(binary.BigEndian.Uint16(os2[4:]))
		if m.ascent == 0 {
			m.ascent = em(i16(os2, 68))
		}
		if m.descent == 0 {
			m.descent = em(i16(os2, 70))
		}
		m.capHeight = m.ascent
		if binary.BigEndian.Uint16(os2) > 1 && len(os2) >= 90 {
			m.capHeight = em(i16(os2, 88))
		}
	}
	m.stemV = 50 + int(math.Pow(float64(weight)/65, 2))
	m.bold = weight >= 600
	return m
}

func parseLoca(loca []byte, format, numGlyphs, glyfLen int) ([]uint32, error) {
	out := make([]uint32, numGlyphs+1)
	for i := range out {
		var off uint32
		switch {
		case format == 0 && 2*i+2 <= len(loca):
			off = 2 * uint32(binary.BigEndian.Uint16(loca[2*i:]))
		case format == 1 && 4*i+4 <= len(loca):
			off = binary.BigEndian.Uint32(loca[4*i:])
		default:
			return nil, fmt.Errorf("%w: bad loca table", errBadFont)
		}
		if int(off) > glyfLen || (i > 0 && off < out[i-1]) {
			return nil, fmt.Errorf("%w: bad loca table", errBadFont)
		}
		out[i] = off
	}
	return out, nil
}

func ttfTables(b []byte) (map[string][]byte, error) {
	if len(b) < 12 {
		return nil, errBadFont
	}
	if v := binary.BigEndian.Uint32(b); v != 0x00010000 && v != 0x74727565 {
		return nil, fmt.Errorf("%w: not TrueType outlines", errBadFont)
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, errBadFont
	}
	out := make(map[string][]byte, n)
	for i := 0; i < n; i++ {
		rec := b[12+16*i:]
		off, size := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || size < 0 || off+size > len(b) {
			return nil, fmt.Errorf("%w: table outside file", errBadFont)
		}
		out[string(rec[:4])] = b[off : off+size : off+size]
	}
	return out, nil
}

// cmapFormat4 finds the Unicode BMP subtable, the one gofpdf uses too.
func cmapFormat4(cmap []byte) ([]byte, error) {
	if len(cmap) < 4 {
		return nil, errBadFont
	}
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	for i := 0; i < n && 4+8*i+8 <= len(cmap); i++ {
		rec := cmap[4+8*i:]
		platform, encoding := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if !(platform == 3 && encoding == 1) && platform != 0 {
			continue
		}
		if off+4 > len(cmap) || binary.BigEndian.Uint16(cmap[off:]) != 4 {
			continue
		}
		length := int(binary.BigEndian.Uint16(cmap[off+2:]))
		if off+length > len(cmap) {
			length = len(cmap) - off
		}
		return cmap[off : off+length], nil
	}
	return nil, fmt.Errorf("%w: no Unicode format 4 cmap", errBadFont)
}

func eachCmap4(t []byte, fn func(r, gid int)) error {
	if len(t) < 14 {
		return errBadFont
	}
	segs := int(binary.BigEndian.Uint16(t[6:])) / 2
	ends, starts := 14, 16+2*segs
	deltas, ranges := starts+2*segs, starts+4*segs
	if ranges+2*segs > len(t) {
		return fmt.Errorf("%w: short cmap", errBadFont)
	}
	u16 := func(off int) int { return int(binary.BigEndian.Uint16(t[off:])) }
	for s := 0; s < segs; s++ {
		end, start := u16(ends+2*s), u16(starts+2*s)
		delta, rangeOff := u16(deltas+2*s), u16(ranges+2*s)
		for c := start; c <= end && c < 0xFFFF; c++ {
			gid := 0
			if rangeOff == 0 {
				gid = (c + delta) & 0xFFFF
			} else {
				at := ranges + 2*s + rangeOff + 2*(c-start)
				if at+2 > len(t) {
					continue
				}
				if gid = u16(at); gid != 0 {
					gid = (gid + delta) & 0xFFFF
				}
			}
			fn(c, gid)
		}
	}
	return nil
}
