package pdf

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sort"
)

// subset returns a small TrueType font with only the glyphs for runes (plus
// glyph 0 and the glyphs composite glyphs are built from), renumbered from
// 0. It is what each document embeds: a few dozen glyphs instead of
// thousands. The outlines and metrics are the original font's.
//
// The result is a fresh slice owned by the caller.
func (f *ttfFont) subset(runes []rune) []byte {
	own, fixed := f.subsetParts(runes)
	return append(own, fixed.data...)
}

// subsetParts is subset in two parts that follow each other in the file:
// the table directory and the tables made for these runes, then the
// tables every subset of f copies unchanged (see fixedTables).
func (f *ttfFont) subsetParts(runes []rune) ([]byte, *fixedTables) {
	gids := make([]uint16, 0, len(runes))
	for _, r := range runes {
		if r >= 0 && r < 0x10000 {
			gids = append(gids, f.glyph[r])
		}
	}
	old, newID := f.closure(gids)
	return f.assemble(old, newID, f.subsetCmap(runes, newID))
}

// subsetGlyphParts is subsetParts for a font whose character codes pick
// glyphs directly: byCode[c] is the glyph for code c (0 for none). Its cmap
// is a Microsoft Symbol one (codes 0xF000 + c) and a Macintosh one (codes
// c), which is how a viewer picks the glyphs of a symbolic TrueType font
// (PDF 32000-1 9.6.6.4); see glyphfont.go.
func (f *ttfFont) subsetGlyphParts(byCode *[256]uint16) ([]byte, *fixedTables) {
	old, newID := f.closure(byCode[:])
	return f.assemble(old, newID, symbolCmap(byCode, newID))
}

// assemble lays out a subset of the glyphs old (sorted; newID numbers
// them) with the cmap given.
func (f *ttfFont) assemble(old []uint16, newID map[uint16]uint16, cmap []byte) ([]byte, *fixedTables) {
	glyf, loca := f.subsetGlyphs(old, newID)
	fixed := f.fixed()
	return assembleTTF(map[string][]byte{
		"cmap": cmap,
		"glyf": glyf,
		"loca": loca,
		"hmtx": f.subsetHmtx(old),
		"head": patch16(f.tables["head"], 50, 1), // long loca offsets
		"hhea": patch16(f.tables["hhea"], 34, len(old)),
		"maxp": patch16(f.tables["maxp"], 4, len(old)),
	}, fixed), fixed
}

// fixedTables are the tables a subset copies from the font as they are (or,
// for post, without the glyph names): the names with the copyright and
// licence, the hinting programs and OS/2. They are half of a subset of
// DejaVu Sans, so they are laid out, checksummed and compressed once.
type fixedTables struct {
	tags []string
	data []byte   // the tables in tags order, each padded to four bytes
	offs []int    // where each starts in data
	lens []int    // each one's length without the padding
	sums []uint32 // each one's checksum
	sum  uint32   // checksum of data
	// deflated is data compressed as the final blocks of a deflate
	// stream, ready to follow the blocks of the rest of a subset.
	deflated []byte
}

func (f *ttfFont) fixed() *fixedTables {
	f.fixedOnce.Do(func() {
		t := &fixedTables{}
		for _, name := range []string{"OS/2", "cvt ", "fpgm", "gasp", "name", "post", "prep"} {
			tab := f.tables[name]
			if name == "post" {
				tab = postV3(tab)
			}
			if tab == nil {
				continue
			}
			t.tags = append(t.tags, name)
			t.offs = append(t.offs, len(t.data))
			t.lens = append(t.lens, len(tab))
			t.sums = append(t.sums, checksum(tab))
			t.data = append(t.data, tab...)
			for len(t.data)%4 != 0 {
				t.data = append(t.data, 0)
			}
		}
		t.sum = checksum(t.data)
		t.deflated = deflateRaw(t.data, true)
		f.fixedTables = t
	})
	return f.fixedTables
}

// closure lists the glyphs to keep for gids, sorted, glyph 0 first, with
// the glyphs composite glyphs are built from, and numbers them from 0.
func (f *ttfFont) closure(gids []uint16) ([]uint16, map[uint16]uint16) {
	seen := map[uint16]bool{0: true}
	var visit func(g uint16, depth int)
	visit = func(g uint16, depth int) {
		if depth > 8 || int(g) >= f.numGlyphs {
			return
		}
		seen[g] = true
		eachComponent(f.glyphData(g), func(c uint16, _ int) {
			if !seen[c] {
				visit(c, depth+1)
			}
		})
	}
	for _, g := range gids {
		if g != 0 && !seen[g] {
			visit(g, 0)
		}
	}
	out := make([]uint16, 0, len(seen))
	for g := range seen {
		out = append(out, g)
	}
	slices.Sort(out)
	newID := make(map[uint16]uint16, len(out))
	for i, g := range out {
		newID[g] = uint16(i)
	}
	return out, newID
}

func (f *ttfFont) glyphData(g uint16) []byte {
	if int(g) >= f.numGlyphs {
		return nil
	}
	return f.tables["glyf"][f.loca[g]:f.loca[g+1]]
}

// eachComponent calls fn with each component glyph id of a composite
// glyph and the offset of that id in data.
func eachComponent(data []byte, fn func(g uint16, at int)) {
	if len(data) < 10 || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return // empty or simple glyph
	}
	const (
		argWords    = 0x0001
		haveScale   = 0x0008
		more        = 0x0020
		haveXYScale = 0x0040
		have2x2     = 0x0080
	)
	for off := 10; off+4 <= len(data); {
		flags := binary.BigEndian.Uint16(data[off:])
		fn(binary.BigEndian.Uint16(data[off+2:]), off+2)
		off += 4
		if flags&argWords != 0 {
			off += 4
		} else {
			off += 2
		}
		switch {
		case flags&haveScale != 0:
			off += 2
		case flags&haveXYScale != 0:
			off += 4
		case flags&have2x2 != 0:
			off += 8
		}
		if flags&more == 0 {
			return
		}
	}
}

func (f *ttfFont) subsetGlyphs(old []uint16, newID map[uint16]uint16) (glyf, loca []byte) {
	loca = make([]byte, 4*(len(old)+1))
	for i, g := range old {
		binary.BigEndian.PutUint32(loca[4*i:], uint32(len(glyf)))
		start := len(glyf)
		glyf = append(glyf, f.glyphData(g)...)
		eachComponent(glyf[start:], func(c uint16, at int) {
			binary.BigEndian.PutUint16(glyf[start+at:], newID[c])
		})
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
	}
	binary.BigEndian.PutUint32(loca[4*len(old):], uint32(len(glyf)))
	return glyf, loca
}

// subsetHmtx writes a full metric (advance and left side bearing) for
// every kept glyph.
func (f *ttfFont) subsetHmtx(old []uint16) []byte {
	hmtx := f.tables["hmtx"]
	n := int(binary.BigEndian.Uint16(f.tables["hhea"][34:]))
	out := make([]byte, 4*len(old))
	for i, g := range old {
		gi := int(g)
		adv := hmtx[4*(min(gi, n-1)):][:2]
		var lsb []byte
		if gi < n {
			lsb = hmtx[4*gi+2:][:2]
		} else if at := 4*n + 2*(gi-n); at+2 <= len(hmtx) {
			lsb = hmtx[at:][:2]
		}
		copy(out[4*i:], adv)
		copy(out[4*i+2:], lsb)
	}
	return out
}

// subsetCmap is a Windows Unicode BMP (format 4) cmap for runes, one
// segment per run of consecutive characters with consecutive glyphs.
func (f *ttfFont) subsetCmap(runes []rune, newID map[uint16]uint16) []byte {
	var m []cmapEntry
	for _, r := range runes {
		if r >= 0xFFFF || f.glyph[r] == 0 {
			continue
		}
		m = append(m, cmapEntry{uint16(r), newID[f.glyph[r]]})
	}
	cmap := make([]byte, 12, 12+16+8*len(m))
	binary.BigEndian.PutUint16(cmap[2:], 1)  // one subtable
	binary.BigEndian.PutUint16(cmap[4:], 3)  // Windows
	binary.BigEndian.PutUint16(cmap[6:], 1)  // Unicode BMP
	binary.BigEndian.PutUint32(cmap[8:], 12) // offset
	return append(cmap, cmapFormat4Table(m)...)
}

// symbolCmap maps each code c with a glyph in byCode to that glyph (as
// numbered by newID): a Macintosh Roman subtable (format 6) from c, and a
// Microsoft Symbol subtable (format 4) from 0xF000 + c.
func symbolCmap(byCode *[256]uint16, newID map[uint16]uint16) []byte {
	first, last := 256, -1
	var m []cmapEntry
	for c, g := range byCode {
		if g != 0 {
			first, last = min(first, c), c
			m = append(m, cmapEntry{0xF000 + uint16(c), newID[g]})
		}
	}
	var mac []byte
	if last >= 0 {
		n := last - first + 1
		mac = make([]byte, 10+2*n)
		binary.BigEndian.PutUint16(mac, 6)
		binary.BigEndian.PutUint16(mac[2:], uint16(len(mac)))
		binary.BigEndian.PutUint16(mac[6:], uint16(first))
		binary.BigEndian.PutUint16(mac[8:], uint16(n))
		for i := range n {
			binary.BigEndian.PutUint16(mac[10+2*i:], newID[byCode[first+i]])
		}
	} else {
		mac = []byte{0, 6, 0, 10, 0, 0, 0, 0, 0, 0}
	}
	const head = 4 + 2*8
	cmap := make([]byte, head, head+len(mac)+16+8*len(m))
	binary.BigEndian.PutUint16(cmap[2:], 2) // two subtables
	binary.BigEndian.PutUint16(cmap[4:], 1) // Macintosh
	binary.BigEndian.PutUint16(cmap[6:], 0) // Roman
	binary.BigEndian.PutUint32(cmap[8:], head)
	binary.BigEndian.PutUint16(cmap[12:], 3) // Windows
	binary.BigEndian.PutUint16(cmap[14:], 0) // Symbol
	binary.BigEndian.PutUint32(cmap[16:], uint32(head+len(mac)))
	cmap = append(cmap, mac...)
	return append(cmap, cmapFormat4Table(m)...)
}

// cmapEntry maps a character code to a glyph.
type cmapEntry struct{ code, glyph uint16 }

// cmapFormat4Table is a format 4 cmap subtable for m (in increasing code
// order), one segment per run of consecutive codes with consecutive
// glyphs.
func cmapFormat4Table(m []cmapEntry) []byte {
	type seg struct{ start, end, delta uint16 }
	var segs []seg
	for _, e := range m {
		g, c := e.glyph, e.code
		if n := len(segs); n > 0 && segs[n-1].end+1 == c && segs[n-1].end+segs[n-1].delta+1 == g {
			segs[n-1].end = c
			continue
		}
		segs = append(segs, seg{c, c, g - c})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	n := len(segs)
	sub := make([]byte, 16+8*n)
	put := func(at int, v uint16) { binary.BigEndian.PutUint16(sub[at:], v) }
	put(0, 4)
	put(2, uint16(len(sub)))
	put(6, uint16(2*n))
	p2 := 1 << (bits.Len(uint(n)) - 1)
	put(8, uint16(2*p2))
	put(10, uint16(bits.Len(uint(p2))-1))
	put(12, uint16(2*n-2*p2))
	for i, s := range segs {
		put(14+2*i, s.end)
		put(16+2*n+2*i, s.start)
		put(16+4*n+2*i, s.delta)
		// idRangeOffset (16+6n+2i) stays 0.
	}
	return sub
}

// patch16 copies t with the 16-bit value at off set to v.
func patch16(t []byte, off, v int) []byte {
	t = slices.Clone(t)
	binary.BigEndian.PutUint16(t[off:], uint16(v))
	return t
}

// postV3 keeps the post table's metrics and drops the glyph names.
func postV3(post []byte) []byte {
	out := make([]byte, 32)
	copy(out, post[:16])
	binary.BigEndian.PutUint32(out, 0x00030000)
	return out
}

// assembleTTF writes the table directory for tables and fixed, and the
// tables, each padded to four bytes and checksummed, leaving fixed's tables
// to follow; it sets head's checkSumAdjustment for the whole file.
func assembleTTF(tables map[string][]byte, fixed *fixedTables) []byte {
	tags := make([]string, 0, len(tables)+len(fixed.tags))
	size := 12
	for tag, t := range tables {
		tags = append(tags, tag)
		size += 16 + (len(t)+3)&^3
	}
	tags = append(tags, fixed.tags...)
	size += 16 * len(fixed.tags)
	sort.Strings(tags)
	n := len(tags)
	out := make([]byte, 12+16*n, size)
	p2 := 1 << (bits.Len(uint(n)) - 1)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16*p2))
	binary.BigEndian.PutUint16(out[8:], uint16(bits.Len(uint(p2))-1))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16*p2))
	headAt := 0
	for i, tag := range tags {
		rec := out[12+16*i:]
		copy(rec, tag)
		t, ok := tables[tag]
		if !ok {
			continue // fixed; filled in below
		}
		if tag == "head" {
			t = slices.Clone(t)
			binary.BigEndian.PutUint32(t[8:], 0)
			headAt = len(out)
		}
		binary.BigEndian.PutUint32(rec[4:], checksum(t))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t)))
		out = append(out, t...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	for j, tag := range fixed.tags {
		rec := out[12+16*slices.Index(tags, tag):]
		binary.BigEndian.PutUint32(rec[4:], fixed.sums[j])
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)+fixed.offs[j]))
		binary.BigEndian.PutUint32(rec[12:], uint32(fixed.lens[j]))
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out)-fixed.sum)
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
