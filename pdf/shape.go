package pdf

import (
	"math"
	"slices"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/harfbuzz"
)

// Scripts whose letters change shape with their neighbours (Arabic), are
// reordered and combined (the Indic scripts, Thai vowel signs) or carry
// marks that must be placed (Hebrew points) are shaped with
// go-text/typesetting's port of HarfBuzz, which Fyne already brings: it
// turns a run of characters into the font's glyphs with their advances and
// offsets, using the font's OpenType tables. Latin, Greek, Cyrillic and CJK
// text is not shaped: DejaVu Sans and the CJK fonts draw it right with one
// glyph per character, and skipping the shaper keeps ordinary sheets fast.

// shapedGlyph is one glyph of a shaped run, in thousandths of an em.
type shapedGlyph struct {
	gid  uint16
	w    int     // its width in the PDF's widths: how far a viewer moves after it
	x, y float64 // where it is drawn, from the start of the run (y upwards)
	text string  // what it reads as when copied; see glyphfont.go
}

func (g *shapedGlyph) key() glyphKey { return glyphKey{g.gid, g.w, g.text} }

// shapedRun is a run of text in one face and direction as glyphs, left to
// right as they are drawn.
//
// Each cluster (a letter with its marks, a conjunct, a vowel sign drawn in
// pieces around its consonant) reads as its characters through one glyph,
// its carrier: the first one drawn at the cluster's start, whose width is
// the cluster's whole advance. So a text extractor sees the cluster's
// characters spread over the cluster's width, with no gaps between
// clusters that would read as spaces. The cluster's other glyphs read as
// nothing and are drawn where they belong with their own widths. Cluster
// advances are rounded to whole thousandths of an em, as the PDF's widths
// are, so that carriers follow each other in one string.
type shapedRun struct {
	glyphs []shapedGlyph
	w      float64 // advance of the run, thousandths of an em
}

type shapeKey struct {
	f    face
	rtl  bool
	text string
}

// shape returns text in face f shaped left to right or right to left,
// shaping each text once per document.
func (d *docFonts) shape(f face, text string, rtl bool) *shapedRun {
	k := shapeKey{f, rtl, text}
	if run, ok := d.shapes[k]; ok {
		return run
	}
	if d.shapes == nil {
		d.shapes = make(map[shapeKey]*shapedRun)
	}
	run := d.lib.shape(f, text, rtl)
	d.shapes[k] = run
	return run
}

// shaper is what shaping needs that cannot be shared between goroutines:
// HarfBuzz's buffer and its fonts (which hold their faces' state).
type shaper struct {
	buf   *harfbuzz.Buffer
	fonts [numFaces]*harfbuzz.Font
}

// Shapers are kept for the next sheets, like the zlib writers in
// simplefont.go: setting up a font's lookups costs more than shaping a name.
var shapers = make(chan *shaper, 2)

func getShaper() *shaper {
	select {
	case s := <-shapers:
		return s
	default:
		return &shaper{buf: harfbuzz.NewBuffer()}
	}
}

func putShaper(s *shaper) {
	select {
	case shapers <- s:
	default:
	}
}

// shape shapes text (in face f, whose font parsed: resolve only picks such
// faces) with the script's OpenType features.
func (l *fontLib) shape(f face, text string, rtl bool) *shapedRun {
	lf := l.load(f)
	sh := getShaper()
	defer putShaper(sh)
	hf := sh.fonts[f]
	if hf == nil {
		hf = harfbuzz.NewFont(font.NewFace(lf.ot))
		sh.fonts[f] = hf
	}
	runes := []rune(text)
	buf := sh.buf
	buf.Clear()
	buf.AddRunes(runes, 0, len(runes))
	buf.Props.Script = faces[f].script
	buf.Props.Direction = harfbuzz.LeftToRight
	if rtl {
		buf.Props.Direction = harfbuzz.RightToLeft
	}
	buf.Shape(hf, nil)
	return newShapedRun(lf.ttf, runes, buf.Info, buf.Pos, rtl)
}

// newShapedRun converts HarfBuzz's output (positions in font units) and
// picks each cluster's carrier.
func newShapedRun(ft *ttfFont, runes []rune, info []harfbuzz.GlyphInfo, pos []harfbuzz.GlyphPosition, rtl bool) *shapedRun {
	run := &shapedRun{glyphs: make([]shapedGlyph, len(info))}
	// Where each cluster's characters end: at the start of the next
	// cluster in the text.
	starts := make([]int, 0, len(info)+1)
	for _, gi := range info {
		starts = append(starts, gi.Cluster)
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	starts = append(starts, len(runes))
	pen := 0 // where the cluster starts
	for i := 0; i < len(info); {
		j := i + 1
		for j < len(info) && info[j].Cluster == info[i].Cluster {
			j++
		}
		// The carrier is drawn at the cluster's start: of the glyphs
		// before the pen moves, the one shaping moved least.
		carrier, moved := i, int32(math.MaxInt32)
		adv := int32(0) // from the cluster's start, font units
		for k := i; k < j; k++ {
			g := &run.glyphs[k]
			g.gid = uint16(info[k].Glyph)
			g.w = ft.glyphWidth(g.gid)
			dx, dy := pos[k].XOffset, pos[k].YOffset
			if m := abs32(dx) + abs32(dy); adv == 0 && m < moved {
				carrier, moved = k, m
			}
			g.x = float64(pen) + ft.scale*float64(adv+dx)
			g.y = ft.scale * float64(dy)
			adv += pos[k].XAdvance
		}
		w := int(math.Round(ft.scale * float64(adv)))
		c := info[i].Cluster
		end := starts[slices.Index(starts, c)+1]
		g := &run.glyphs[carrier]
		g.text, g.w = glyphText(runes[c:end], rtl), w
		pen += w
		i = j
	}
	run.w = float64(pen)
	return run
}

// glyphText is what a glyph standing for chars reads as, in the order it
// is named: reversed in right-to-left text (see glyphfont.go).
func glyphText(chars []rune, rtl bool) string {
	if len(chars) > maxNamed {
		chars = chars[:maxNamed]
	}
	if rtl && len(chars) > 1 {
		chars = slices.Clone(chars)
		slices.Reverse(chars)
	}
	return string(chars)
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}
