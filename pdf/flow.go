package pdf

// The sheet is laid out as a flow of items: lines of text, rows of a table,
// small fixed blocks. Each item knows its height and how to draw itself at a
// given y. Pagination happens before anything is drawn, so the page count is
// known for "Page x of y" and headings can be kept with what follows them.

// item is one unit of the flow.
type item struct {
	h    float64
	draw func(c *canvas, y float64)
	// keep: no page break between this item and the next (a heading and its
	// first line, the rows of a small box).
	keep bool
	// gap: vertical space only; dropped at the top of a page.
	gap bool
	// panel the item sits on, if any: a tinted box drawn behind its items,
	// one piece per page when the panel is split.
	panel *panel
}

// panel is a tinted background behind consecutive items.
type panel struct {
	x, w   float64
	fill   rgb
	border *rgb
	radius float64
	pad    float64 // room above and below the items where the panel is split
}

type placed struct {
	it *item
	y  float64
}

// pageFrame is the usable height of each page.
type pageFrame struct {
	firstTop, top, bottom float64
}

// paginate places items on pages. An item that does not fit starts a new
// page, taking with it the items kept with it, unless they already started
// at the top of the page (then there is no better place and the run is
// split).
func paginate(items []item, fr pageFrame) [][]placed {
	var pages [][]placed
	var cur []placed
	first := 0 // index of the first item on the current page
	y := fr.firstTop
	newPage := func() {
		pages = append(pages, cur)
		cur = nil
		y = fr.top
	}
	for i := 0; i < len(items); {
		it := &items[i]
		if it.gap && len(cur) == 0 {
			i++
			first = i
			continue
		}
		need := it.h
		if it.panel != nil {
			need += it.panel.pad
		}
		if y+need > fr.bottom && len(cur) > 0 {
			s := i
			for s > first && items[s-1].keep {
				s--
			}
			if s > first {
				cur = cur[:len(cur)-(i-s)]
				i = s
			}
			newPage()
			first = i
			continue
		}
		if len(cur) == 0 && len(pages) > 0 && it.panel != nil && i > 0 && items[i-1].panel == it.panel {
			y += it.panel.pad // the panel continues from the previous page
		}
		cur = append(cur, placed{it, y})
		y += it.h
		i++
	}
	if len(cur) > 0 || len(pages) == 0 {
		pages = append(pages, cur)
	}
	return pages
}

// drawPage draws the panels behind a page's items, then the items.
func drawPage(c *canvas, items []placed) {
	for i := 0; i < len(items); {
		p := items[i].it.panel
		if p == nil {
			i++
			continue
		}
		j := i
		for j < len(items) && items[j].it.panel == p {
			j++
		}
		// A panel opens and closes with gap items that give it its padding;
		// where it is split across pages, the padding is added here.
		top, last := items[i].y, items[j-1]
		bottom := last.y + last.it.h
		if !items[i].it.gap {
			top -= p.pad
		}
		if !last.it.gap {
			bottom += p.pad
		}
		c.roundedRect(p.x, top, p.w, bottom-top, p.radius, p.fill, p.border)
		i = j
	}
	for _, pl := range items {
		if pl.it.draw != nil {
			pl.it.draw(c, pl.y)
		}
	}
}
