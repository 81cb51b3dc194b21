package pdf

import (
	"math"

	"github.com/jung-kurt/gofpdf"
)

// canvas draws on a gofpdf document in millimetres, remembering the current
// font and colours so that repeated settings are not written again.
type canvas struct {
	pdf       *gofpdf.Fpdf
	fonts     *docFonts
	codes     []byte // scratch for encoding text
	family    string
	fontStyle string
	size      float64
	textColor rgb
	colorSet  bool
	pageTop   float64 // where the flow starts on the current page
}

// atTop reports whether y is the top of the flow on the current page.
func (c *canvas) atTop(y float64) bool { return y <= c.pageTop+0.01 }

func newCanvas(pdf *gofpdf.Fpdf, fonts *docFonts) *canvas { return &canvas{pdf: pdf, fonts: fonts} }

func (c *canvas) setFont(family, fs string, st style) {
	if family != c.family || fs != c.fontStyle || st.size != c.size {
		c.pdf.SetFont(family, fs, st.size)
		c.family, c.fontStyle, c.size = family, fs, st.size
	}
	if !c.colorSet || st.color != c.textColor {
		c.pdf.SetTextColor(st.color.r, st.color.g, st.color.b)
		c.textColor, c.colorSet = st.color, true
	}
}

// baseline of text of size pt in a line box of height lh whose top is y.
func baseline(y, lh, size float64) float64 {
	return y + 0.5*lh + 0.3*size*ptToMM
}

// drawLine draws ln with its left edge at x in a line box of height lh.
func (c *canvas) drawLine(ln line, x, y, lh float64) {
	base := baseline(y, lh, ln.size)
	for _, fr := range ln.frags {
		c.drawFrag(fr, x+fr.x, base)
	}
}

// drawFrag draws fr's text in the document's simple fonts, one Text call
// per font it needs (nearly always one).
func (c *canvas) drawFrag(fr frag, x, base float64) {
	if fr.run != nil {
		c.drawGlyphs(fr, x, base)
		return
	}
	fonts, bold := c.fonts.fonts(fr.face, fr.st.bold)
	if fonts == nil {
		return // not registered: nothing of it was laid out
	}
	style := ""
	if bold {
		style = "B"
	}
	font := c.fonts.lib.font(fr.face, bold)
	scale := fr.st.size / 1000 * ptToMM
	cur, w := -1, 0.0 // the font of the run so far, and its width
	c.codes = c.codes[:0]
	flush := func() {
		if len(c.codes) == 0 {
			return
		}
		c.setFont(fonts.families[max(cur, 0)], style, fr.st)
		if fr.st.bold && !bold {
			c.fauxBold(fr.st, x, base, string(c.codes))
		} else {
			c.pdf.Text(x, base, string(c.codes))
		}
		x += w
		c.codes, w = c.codes[:0], 0
	}
	for _, r := range fr.text {
		n, code := fonts.fontCode(r)
		if n >= 0 && cur >= 0 && n != cur {
			flush()
		}
		if n >= 0 {
			cur = n
		}
		c.codes = append(c.codes, code)
		w += float64(font.width(r)) * scale
	}
	flush()
}

// drawGlyphs draws a shaped run: the glyphs that carry the text first,
// as few strings as their widths allow (a new one where shaping moved a
// glyph off the pen: a kerned pair, a mark over its letter), then the
// cluster's other glyphs, which read as nothing, each where it belongs.
// Text extractors thus meet the run's characters in one unbroken row.
func (c *canvas) drawGlyphs(fr frag, x, base float64) {
	gf := c.fonts.gpdf[fr.face]
	if gf == nil {
		return // not registered: nothing of it was laid out
	}
	scale := fr.st.size / 1000 * ptToMM
	cur := -1                // the font of the string so far
	var sx, sy, next float64 // where it starts, and where its next glyph goes
	c.codes = c.codes[:0]
	flush := func() {
		if len(c.codes) == 0 {
			return
		}
		c.setFont(gf.families[cur], "", fr.st)
		if fr.st.bold {
			c.fauxBold(fr.st, x+sx*scale, base-sy*scale, string(c.codes))
		} else {
			c.pdf.Text(x+sx*scale, base-sy*scale, string(c.codes))
		}
		c.codes = c.codes[:0]
	}
	for _, carriers := range []bool{true, false} {
		for i := range fr.run.glyphs {
			g := &fr.run.glyphs[i]
			if (g.text != "") != carriers {
				continue
			}
			n, code, ok := gf.code(g.key())
			if !ok {
				continue // counted before the fonts were made, so not expected
			}
			if len(c.codes) == 0 || n != cur || g.y != sy || math.Abs(g.x-next) > 1e-6 {
				flush()
				cur, sx, sy, next = n, g.x, g.y, g.x
			}
			c.codes = append(c.codes, code)
			next += float64(g.w)
		}
		flush()
	}
}

// fauxBold thickens text in a face with no bold font by stroking its
// outlines in the text colour.
func (c *canvas) fauxBold(st style, x, base float64, text string) {
	c.pdf.SetDrawColor(st.color.r, st.color.g, st.color.b)
	c.pdf.SetLineWidth(st.size * 0.035 * ptToMM)
	c.pdf.SetTextRenderingMode(2)
	c.pdf.Text(x, base, text)
	c.pdf.SetTextRenderingMode(0)
}

// drawLines draws lines one under the other, each aligned in a box of
// width w: align is 'L', 'R' or 'C'.
func (c *canvas) drawLines(lines []line, x, y, w, lh float64, align byte) {
	for i, ln := range lines {
		lx := x
		switch align {
		case 'R':
			lx = x + w - ln.w
		case 'C':
			lx = x + (w-ln.w)/2
		}
		c.drawLine(ln, lx, y+float64(i)*lh, lh)
	}
}

func (c *canvas) fill(col rgb) { c.pdf.SetFillColor(col.r, col.g, col.b) }
func (c *canvas) draw(col rgb) { c.pdf.SetDrawColor(col.r, col.g, col.b) }

func (c *canvas) rect(x, y, w, h float64, col rgb) {
	c.fill(col)
	c.pdf.Rect(x, y, w, h, "F")
}

func (c *canvas) roundedRect(x, y, w, h, r float64, fillCol rgb, border *rgb) {
	c.fill(fillCol)
	st := "F"
	if border != nil {
		c.draw(*border)
		c.pdf.SetLineWidth(0.3)
		st = "FD"
	}
	c.pdf.RoundedRect(x, y, w, h, r, "1234", st)
}

func (c *canvas) hline(x1, x2, y, width float64, col rgb) {
	c.draw(col)
	c.pdf.SetLineWidth(width)
	c.pdf.Line(x1, y, x2, y)
}

func (c *canvas) vline(x, y1, y2, width float64, col rgb) {
	c.draw(col)
	c.pdf.SetLineWidth(width)
	c.pdf.Line(x, y1, x, y2)
}

func (c *canvas) dot(x, y, r float64, col rgb) {
	c.fill(col)
	c.pdf.Circle(x, y, r, "F")
}

func (c *canvas) ring(x, y, r, width float64, fillCol, line rgb) {
	c.fill(fillCol)
	c.draw(line)
	c.pdf.SetLineWidth(width)
	c.pdf.Circle(x, y, r, "FD")
}
