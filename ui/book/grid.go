package book

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/widgets"
)

// The book's grid: columns (technicians or rooms on one day, or the days
// of one person's or room's week) and a row for each quarter of an hour,
// with the appointments drawn over it as blocks. The day view and the
// week view both draw with it.

const (
	slotMinutes = 15
	rowHeight   = float32(22)
	headerH     = float32(30)
	timeWidth   = float32(58)
	minColWidth = float32(150)
)

// gridColumn is one column: a day, and the technician or room it shows
// (0 and 0 for a day of the week view, whose person or room the view
// chose).
type gridColumn struct {
	title string
	day   data.Date
	tech  int64
	room  int64
	// hours are when the column can be booked that day: the clinic's
	// hours, narrowed to a technician's own; closed when zero. The rest
	// of the column is shaded.
	hours data.DayHours
}

// slot is a place in the grid.
type slot struct{ col, row int }

// bookGrid is the grid widget. It takes the keyboard: arrows move
// between slots, Enter opens the appointment under the cursor or books
// the empty slot; the keys it does not use go to onKey.
type bookGrid struct {
	widget.BaseWidget
	loc      *time.Location
	cols     []gridColumn
	from, to data.TimeOfDay
	appts    [][]data.Appointment // per column, holding their time
	cur      slot
	focused  bool
	now      time.Time

	onEmpty    func(col gridColumn, start time.Time)
	onOpen     func(id int64)
	onKey      func(k fyne.KeyName) bool
	onShortcut func(s fyne.Shortcut) bool

	objects []fyne.CanvasObject
	place   []func(colW float32) // lays each object out for a column width

	// scroll is the scroll the grid is shown in (newGridScroll); the
	// column titles stay at its top (headerY is how far it has scrolled
	// down) and the cursor is kept in its view.
	scroll  *container.Scroll
	headerY float32
}

// newGridScroll puts the grid in a scroll that keeps the column titles in
// sight: scrolled down the day, the titles are drawn at the top of what
// is shown, over the rows, so each column still says whose it is.
func newGridScroll(g *bookGrid) *container.Scroll {
	g.scroll = container.NewScroll(g)
	g.scroll.OnScrolled = func(p fyne.Position) {
		if p.Y != g.headerY {
			g.headerY = p.Y
			g.Refresh()
		}
	}
	return g.scroll
}

// reveal scrolls the cursor's slot into view, below the column titles.
func (g *bookGrid) reveal() {
	if g.scroll == nil || len(g.cols) == 0 {
		return
	}
	view, off := g.scroll.Size(), g.scroll.Offset
	if view.Width <= 0 || view.Height <= 0 {
		return
	}
	w := g.colWidth(g.Size())
	top := float32(g.cur.row) * rowHeight // the slot's top, under the titles
	if top < off.Y {
		off.Y = top
	} else if bottom := headerH + top + rowHeight; bottom > off.Y+view.Height {
		off.Y = bottom - view.Height
	}
	left := timeWidth + float32(g.cur.col)*w
	if left+w > off.X+view.Width {
		off.X = left + w - view.Width
	}
	if left-timeWidth < off.X {
		off.X = left - timeWidth
	}
	off.X, off.Y = max(off.X, 0), max(off.Y, 0)
	if off == g.scroll.Offset {
		return
	}
	g.scroll.ScrollToOffset(off)
	g.headerY = g.scroll.Offset.Y
	g.Refresh()
}

// headerBar is the column titles' background: it hides the rows scrolled
// under the titles and takes the taps that land on them.
type headerBar struct {
	widget.BaseWidget
	bg *canvas.Rectangle
}

func newHeaderBar() *headerBar {
	h := &headerBar{bg: canvas.NewRectangle(theme.Color(theme.ColorNameBackground))}
	h.ExtendBaseWidget(h)
	return h
}

func (h *headerBar) Tapped(*fyne.PointEvent) {}

func (h *headerBar) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(h.bg) }

func newBookGrid() *bookGrid {
	g := &bookGrid{loc: time.Local, from: data.TimeOf(9, 0), to: data.TimeOf(18, 0)}
	g.ExtendBaseWidget(g)
	return g
}

// set gives the grid its columns, hours and appointments; the cursor
// stays where it was when it still fits.
func (g *bookGrid) set(loc *time.Location, cols []gridColumn, from, to data.TimeOfDay, appts [][]data.Appointment, now time.Time) {
	g.loc, g.cols, g.from, g.to, g.appts, g.now = loc, cols, from, to, appts, now
	g.cur.col = min(max(g.cur.col, 0), max(len(cols)-1, 0))
	g.cur.row = min(max(g.cur.row, 0), max(g.rows()-1, 0))
	g.build()
	g.Refresh()
}

func (g *bookGrid) rows() int { return int(g.to-g.from) / slotMinutes }

// slotStart is when a slot begins, as an instant.
func (g *bookGrid) slotStart(s slot) time.Time {
	return data.At(g.cols[s.col].day, g.from+data.TimeOfDay(s.row*slotMinutes), g.loc)
}

// at is the appointment in the slot, if one holds it.
func (g *bookGrid) at(s slot) (data.Appointment, bool) {
	if s.col < 0 || s.col >= len(g.appts) {
		return data.Appointment{}, false
	}
	t := g.slotStart(s)
	for _, a := range g.appts[s.col] {
		if !t.Before(a.Start) && t.Before(a.End()) {
			return a, true
		}
	}
	return data.Appointment{}, false
}

// rowOf is the row a clock time falls in, clipped to the grid.
func (g *bookGrid) rowOf(t data.TimeOfDay) float32 {
	r := float32(t-g.from) / slotMinutes
	return min(max(r, 0), float32(g.rows()))
}

// build makes the grid's objects afresh and how each is placed.
func (g *bookGrid) build() {
	g.objects, g.place = nil, nil
	add := func(o fyne.CanvasObject, place func(colW float32)) {
		g.objects = append(g.objects, o)
		g.place = append(g.place, place)
	}
	line := theme.Color(theme.ColorNameSeparator)
	closed := widgets.WithAlpha(toNRGBA(theme.Color(theme.ColorNameDisabled)), 90)
	for ci, c := range g.cols {
		ci, c := ci, c
		shade := func(from, to float32) {
			if to <= from {
				return
			}
			r := canvas.NewRectangle(closed)
			add(r, func(w float32) {
				r.Move(fyne.NewPos(timeWidth+float32(ci)*w, headerH+from*rowHeight))
				r.Resize(fyne.NewSize(w, (to-from)*rowHeight))
			})
		}
		if c.hours.IsOpen() {
			shade(0, g.rowOf(c.hours.Open))
			shade(g.rowOf(c.hours.Close), float32(g.rows()))
		} else {
			shade(0, float32(g.rows()))
		}
	}
	for r := 0; r <= g.rows(); r++ {
		r := r
		ln := canvas.NewRectangle(line)
		if (int(g.from)+r*slotMinutes)%60 != 0 {
			ln.FillColor = widgets.WithAlpha(toNRGBA(line), 90)
		}
		add(ln, func(w float32) {
			ln.Move(fyne.NewPos(timeWidth, headerH+float32(r)*rowHeight))
			ln.Resize(fyne.NewSize(float32(len(g.cols))*w, 1))
		})
		clock := g.from + data.TimeOfDay(r*slotMinutes)
		if int(clock)%60 == 0 && r < g.rows() {
			t := canvas.NewText(clock.String(), theme.Color(theme.ColorNameForeground))
			t.TextSize = theme.CaptionTextSize()
			add(t, func(float32) { t.Move(fyne.NewPos(6, headerH+float32(r)*rowHeight+2)) })
		}
	}
	for ci := range g.cols {
		ci := ci
		ln := canvas.NewRectangle(line)
		add(ln, func(w float32) {
			ln.Move(fyne.NewPos(timeWidth+float32(ci)*w, 0))
			ln.Resize(fyne.NewSize(1, headerH+float32(g.rows())*rowHeight))
		})
	}
	for ci, list := range g.appts {
		for _, a := range list {
			g.addBlock(ci, a, add)
		}
	}
	g.addNow(add)
	cursor := canvas.NewRectangle(color.Transparent)
	cursor.StrokeColor = theme.Color(theme.ColorNameFocus)
	cursor.StrokeWidth = 2
	add(cursor, func(w float32) {
		if !g.focused || len(g.cols) == 0 {
			cursor.Hide()
			return
		}
		cursor.Show()
		cursor.Move(fyne.NewPos(timeWidth+float32(g.cur.col)*w+1, headerH+float32(g.cur.row)*rowHeight+1))
		cursor.Resize(fyne.NewSize(w-2, rowHeight-1))
	})
	g.addHeader(add)
}

// addHeader draws the column titles last, over the rows, at the top of
// what the scroll shows.
func (g *bookGrid) addHeader(add func(fyne.CanvasObject, func(float32))) {
	bar := newHeaderBar()
	add(bar, func(w float32) {
		bar.Move(fyne.NewPos(0, g.headerY))
		bar.Resize(fyne.NewSize(timeWidth+float32(len(g.cols))*w, headerH))
	})
	for ci, c := range g.cols {
		ci := ci
		title := &widget.Label{Text: c.title, TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter, Truncation: fyne.TextTruncateEllipsis}
		add(title, func(w float32) {
			title.Move(fyne.NewPos(timeWidth+float32(ci)*w, g.headerY))
			title.Resize(fyne.NewSize(w, headerH))
		})
	}
}

// addBlock draws an appointment over its column.
func (g *bookGrid) addBlock(ci int, a data.Appointment, add func(fyne.CanvasObject, func(float32))) {
	top := g.rowOf(data.LocalClock(a.Start, g.loc))
	end := data.LocalClock(a.End(), g.loc)
	if data.LocalDay(a.End(), g.loc) != data.LocalDay(a.Start, g.loc) {
		end = data.EndOfDay
	}
	bottom := g.rowOf(end)
	if bottom <= top {
		return
	}
	b := newBlock(a, g.loc, g.onOpen)
	add(b, func(w float32) {
		b.Move(fyne.NewPos(timeWidth+float32(ci)*w+3, headerH+top*rowHeight+1))
		b.Resize(fyne.NewSize(w-6, (bottom-top)*rowHeight-2))
	})
}

// addNow marks the current time on today's columns.
func (g *bookGrid) addNow(add func(fyne.CanvasObject, func(float32))) {
	today := data.LocalDay(g.now, g.loc)
	clock := data.LocalClock(g.now, g.loc)
	if g.now.IsZero() || clock < g.from || clock >= g.to {
		return
	}
	for ci, c := range g.cols {
		if c.day != today {
			continue
		}
		ci := ci
		mark := canvas.NewRectangle(theme.Color(theme.ColorNameError))
		add(mark, func(w float32) {
			mark.Move(fyne.NewPos(timeWidth+float32(ci)*w, headerH+g.rowOf(clock)*rowHeight-1))
			mark.Resize(fyne.NewSize(w, 2))
		})
	}
}

func toNRGBA(c color.Color) color.NRGBA {
	return color.NRGBAModel.Convert(c).(color.NRGBA)
}

// colWidth is each column's width at the grid's size.
func (g *bookGrid) colWidth(size fyne.Size) float32 {
	if len(g.cols) == 0 {
		return minColWidth
	}
	return max(minColWidth, (size.Width-timeWidth)/float32(len(g.cols)))
}

func (g *bookGrid) CreateRenderer() fyne.WidgetRenderer { return &gridRenderer{g: g} }

type gridRenderer struct{ g *bookGrid }

func (r *gridRenderer) Layout(size fyne.Size) {
	w := r.g.colWidth(size)
	for _, p := range r.g.place {
		p(w)
	}
}

func (r *gridRenderer) MinSize() fyne.Size {
	return fyne.NewSize(timeWidth+float32(max(len(r.g.cols), 1))*minColWidth, headerH+float32(r.g.rows())*rowHeight+4)
}

func (r *gridRenderer) Refresh() {
	r.Layout(r.g.Size())
	canvas.Refresh(r.g)
}

func (r *gridRenderer) Objects() []fyne.CanvasObject { return r.g.objects }
func (r *gridRenderer) Destroy()                     {}

// slotAt is the slot under a point of the grid.
func (g *bookGrid) slotAt(p fyne.Position) (slot, bool) {
	if p.X < timeWidth || p.Y < headerH || p.Y < g.headerY+headerH || len(g.cols) == 0 {
		return slot{}, false
	}
	s := slot{col: int((p.X - timeWidth) / g.colWidth(g.Size())), row: int((p.Y - headerH) / rowHeight)}
	return s, s.col < len(g.cols) && s.row < g.rows()
}

// Tapped books the empty slot under the pointer (an appointment's block
// takes its own taps).
func (g *bookGrid) Tapped(ev *fyne.PointEvent) {
	s, ok := g.slotAt(ev.Position)
	if !ok {
		return
	}
	g.cur = s
	g.Refresh()
	if g.onKey != nil {
		g.onKey("") // the line under the grid names the slot tapped
	}
	g.activate()
}

// activate opens the appointment under the cursor, or books the slot.
func (g *bookGrid) activate() {
	if len(g.cols) == 0 || g.rows() == 0 {
		return
	}
	if a, ok := g.at(g.cur); ok {
		if g.onOpen != nil {
			g.onOpen(a.ID)
		}
		return
	}
	if g.onEmpty != nil {
		g.onEmpty(g.cols[g.cur.col], g.slotStart(g.cur))
	}
}

// current is a description of the slot under the cursor, for the line
// under the grid.
func (g *bookGrid) current() string {
	if len(g.cols) == 0 || g.rows() == 0 {
		return ""
	}
	t := g.slotStart(g.cur).In(g.loc)
	what := "free: press Enter to book"
	if h, clock := g.cols[g.cur.col].hours, data.LocalClock(t, g.loc); !h.IsOpen() || clock < h.Open || clock >= h.Close {
		what = "outside the opening or working hours: press Enter to book anyway"
	}
	if a, ok := g.at(g.cur); ok {
		what = a.ClientName + ", " + a.TreatmentName + " (" + strings.ToLower(a.Status.Label()) + "): press Enter to open"
	}
	return fmt.Sprintf("%s, %s %s: %s", g.cols[g.cur.col].title, t.Format("Mon 2 Jan"), t.Format("15:04"), what)
}

func (g *bookGrid) FocusGained()   { g.focused = true; g.Refresh() }
func (g *bookGrid) FocusLost()     { g.focused = false; g.Refresh() }
func (g *bookGrid) TypedRune(rune) {}

// TypedKey moves the cursor and books or opens with Enter.
func (g *bookGrid) TypedKey(k *fyne.KeyEvent) {
	move := func(dc, dr int) {
		g.cur.col = min(max(g.cur.col+dc, 0), max(len(g.cols)-1, 0))
		g.cur.row = min(max(g.cur.row+dr, 0), max(g.rows()-1, 0))
		g.Refresh()
		g.reveal()
		if g.onKey != nil {
			g.onKey("") // the cursor moved: the line under the grid follows
		}
	}
	switch k.Name {
	case fyne.KeyUp:
		move(0, -1)
	case fyne.KeyDown:
		move(0, 1)
	case fyne.KeyLeft:
		move(-1, 0)
	case fyne.KeyRight:
		move(1, 0)
	case fyne.KeyHome:
		move(0, -g.rows())
	case fyne.KeyEnd:
		move(0, g.rows())
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		g.activate()
	default:
		if g.onKey != nil {
			g.onKey(k.Name)
		}
	}
}

// TypedShortcut hands Ctrl+arrows and Ctrl+T to the view; the rest go to
// the window's shortcuts.
func (g *bookGrid) TypedShortcut(s fyne.Shortcut) {
	if g.onShortcut != nil && g.onShortcut(s) {
		return
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(g); c != nil {
		if sc, ok := c.(fyne.Shortcutable); ok {
			sc.TypedShortcut(s)
		}
	}
}

// ctrlKey reports whether s is Ctrl (or Cmd) with key.
func ctrlKey(s fyne.Shortcut, key fyne.KeyName) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && cs.KeyName == key && (cs.Modifier == fyne.KeyModifierShortcutDefault || cs.Modifier == fyne.KeyModifierControl)
}

// block is an appointment drawn in the grid: tap it to open it.
type block struct {
	widget.BaseWidget
	a      data.Appointment
	start  time.Time // on the clinic's clock
	bg     *canvas.Rectangle
	text   *widget.Label
	fitFor float32 // the height the text was last fitted to
	onOpen func(id int64)
}

func newBlock(a data.Appointment, loc *time.Location, onOpen func(int64)) *block {
	b := &block{a: a, onOpen: onOpen}
	b.bg = canvas.NewRectangle(statusColor(a.Status))
	b.bg.CornerRadius = 4
	b.bg.StrokeColor = theme.Color(theme.ColorNameForeground)
	b.bg.StrokeWidth = 0.5
	b.start = a.Start.In(loc)
	b.text = &widget.Label{Text: blockText(a, b.start, 1), Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText}
	b.fitFor = -1
	b.ExtendBaseWidget(b)
	return b
}

// blockText is what a block says in lines lines (1 to 3): the time, the
// client, the treatment and where the appointment is in its day; a half
// hour's block or longer has room for more than one line, so that the
// client's name is not cut short to fit the treatment beside it.
func blockText(a data.Appointment, start time.Time, lines int) string {
	who := start.Format("15:04") + " " + a.ClientName
	switch {
	case lines >= 3:
		return who + "\n" + a.TreatmentName + "\n" + a.Status.Label()
	case lines == 2:
		return who + "\n" + a.TreatmentName + " · " + a.Status.Label()
	}
	return fmt.Sprintf("%s · %s · %s", who, a.TreatmentName, a.Status.Label())
}

// fit gives the block as many lines as its height holds: every line
// is drawn whether it fits or not, so a line too many would spill into
// the next slot.
func (b *block) fit(height float32) {
	if height == b.fitFor {
		return
	}
	b.fitFor = height
	// A label of n lines is n lines of text between its two paddings; it
	// sits 4 up (Layout), and its bottom padding may hang over.
	line := fyne.MeasureText("10:00", theme.CaptionTextSize(), fyne.TextStyle{}).Height
	lines := 3
	for lines > 1 && theme.InnerPadding()+float32(lines)*line > height+4 {
		lines--
	}
	b.text.Text = blockText(b.a, b.start, lines)
	b.text.Refresh()
}

// statusColor tells the states apart in the grid.
func statusColor(s data.AppointmentStatus) color.Color {
	c := toNRGBA(theme.Color(theme.ColorNamePrimary))
	switch s {
	case data.StatusArrived:
		c = toNRGBA(theme.Color(theme.ColorNameWarning))
	case data.StatusInTreatment:
		c = toNRGBA(theme.Color(theme.ColorNameSuccess))
	case data.StatusCompleted:
		c = toNRGBA(theme.Color(theme.ColorNameDisabled))
	}
	return widgets.WithAlpha(c, 70)
}

func (b *block) Tapped(*fyne.PointEvent) {
	if b.onOpen != nil {
		b.onOpen(b.a.ID)
	}
}

func (b *block) CreateRenderer() fyne.WidgetRenderer {
	return &blockRenderer{b: b}
}

type blockRenderer struct{ b *block }

func (r *blockRenderer) Layout(size fyne.Size) {
	r.b.fit(size.Height)
	r.b.bg.Resize(size)
	r.b.text.Move(fyne.NewPos(0, -4))
	r.b.text.Resize(fyne.NewSize(size.Width, min(size.Height+4, r.b.text.MinSize().Height)))
}
func (r *blockRenderer) MinSize() fyne.Size           { return fyne.NewSize(20, 10) }
func (r *blockRenderer) Refresh()                     { r.Layout(r.b.Size()); canvas.Refresh(r.b) }
func (r *blockRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.b.bg, r.b.text} }
func (r *blockRenderer) Destroy()                     {}
