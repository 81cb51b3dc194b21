package book

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/ui/uitest"
)

// cursorInView reports whether the grid's cursor slot lies inside what
// its scroll shows, below the column titles.
func cursorInView(g *bookGrid, sc *container.Scroll) bool {
	top := headerH + float32(g.cur.row)*rowHeight
	off, view := sc.Offset, sc.Size()
	return top >= off.Y+headerH && top+rowHeight <= off.Y+view.Height
}

// gridScroll is the scroll the grid is shown in.
func gridScroll(t *testing.T, root fyne.CanvasObject) *container.Scroll {
	t.Helper()
	var sc *container.Scroll
	uitest.Walk(root, func(o fyne.CanvasObject) {
		if s, ok := o.(*container.Scroll); ok && sc == nil {
			sc = s
		}
	})
	if sc == nil {
		t.Fatal("the grid is in no scroll")
	}
	return sc
}

// titleTops are where the column titles are drawn, by title.
func titleTops(g *bookGrid) map[string]float32 {
	tops := map[string]float32{}
	for _, o := range g.objects {
		if l, ok := o.(*widget.Label); ok && l.TextStyle.Bold {
			tops[l.Text] = l.Position().Y
		}
	}
	return tops
}

// TestTheDayFollowsTheKeyboardCursor: a receptionist working by keyboard
// goes down the day with the arrows; the day scrolls with the cursor,
// so the slot Enter would book is always in sight (it went out of view
// below 14:00 in a window of the usual size, and Enter booked a slot
// nobody could see), and coming back up scrolls back.
func TestTheDayFollowsTheKeyboardCursor(t *testing.T) {
	e := newBookClinic(t)
	e.showDay(t, e.monday)
	cv := e.W.Canvas()
	e.area.Day.Focus()
	g, sc := e.area.Day.Grid, gridScroll(t, e.area.Day.Content)
	for range 30 { // 09:00 to 16:30
		key(cv, fyne.KeyDown)
	}
	if !cursorInView(g, sc) {
		t.Fatalf("the cursor is at row %d (%s) but the day shows from %v, %v high", g.cur.row, e.area.Day.cursor.Text,
			sc.Offset.Y, sc.Size().Height)
	}
	for range 30 {
		key(cv, fyne.KeyUp)
	}
	if !cursorInView(g, sc) || sc.Offset.Y != 0 {
		t.Fatalf("back at 09:00 the day shows from %v", sc.Offset.Y)
	}
}

// TestTheColumnTitlesStayInSight: scrolled down the day, each column
// still says whose it is: the titles are drawn at the top of what is
// shown, not at the top of the day, which had scrolled away.
func TestTheColumnTitlesStayInSight(t *testing.T) {
	e := newBookClinic(t)
	e.showDay(t, e.monday)
	g, sc := e.area.Day.Grid, gridScroll(t, e.area.Day.Content)
	sc.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DY: -200}})
	if sc.Offset.Y <= 0 {
		t.Fatal("the day did not scroll")
	}
	for _, name := range []string{"Maya Lindqvist", "Priya Raman"} {
		if top, ok := titleTops(g)[name]; !ok || top != sc.Offset.Y {
			t.Errorf("%s's title is at %v (found: %v); the day shows from %v", name, top, ok, sc.Offset.Y)
		}
	}
	// A tap on the titles books nothing.
	g.Tapped(&fyne.PointEvent{Position: fyne.NewPos(timeWidth+20, sc.Offset.Y+headerH/2)})
	if b := e.area.env.booking; b != nil && b.shown {
		t.Error("a tap on the column titles opened the booking dialog")
	}
}

// TestTheDayShowsWhereABookingWent: the receptionist opens the booking
// from Monday 10:00 but books Tuesday at 16:30 in the dialog; the day
// view then shows Tuesday with the cursor on the new appointment, in
// sight. It stayed on Monday at 10:00, so the booking seemed to have
// vanished.
func TestTheDayShowsWhereABookingWent(t *testing.T) {
	e := newBookClinic(t)
	e.showDay(t, e.monday)
	cv := e.W.Canvas()
	e.area.Day.Focus()
	key(cv, fyne.KeyRight) // Priya
	for range 4 {
		key(cv, fyne.KeyDown)
	}
	key(cv, fyne.KeyReturn)
	b := e.waitDialog(t)
	uitest.TypeKeys(t, cv, "Silv")
	e.Queue.WaitFor(t, "the client found", func() bool { return b.clientID == e.client.ID })
	tuesday := e.monday.AddDays(1)
	b.date.SetText(e.Settings.FormatDate(tuesday))
	b.start.SetText("16:30")
	test.Tap(b.bookBtn)
	e.Queue.WaitFor(t, "the day read again after the booking", func() bool { return b.booked != nil && e.area.Day.Loaded() })
	if got := e.area.Day.Day(); got != tuesday {
		t.Fatalf("after booking Tuesday the day view shows %v", got)
	}
	if line := e.area.Day.cursor.Text; !strings.Contains(line, "Priya Raman, Tue 24 Nov 16:30: Ana Silva") {
		t.Errorf("the line under the grid says %q", line)
	}
	if !cursorInView(e.area.Day.Grid, gridScroll(t, e.area.Day.Content)) {
		t.Error("the new appointment is out of sight")
	}
}

// TestTodayOpensAtTheTimeNow: at 15:05 the book showed today from 09:00
// with the cursor there, six hours before the slot a walk-in needs; Ctrl+T
// (and the Today button, and the book's first day) now put the cursor on
// the quarter hour now, in sight. Another day keeps the cursor's row.
func TestTodayOpensAtTheTimeNow(t *testing.T) {
	e := newBookClinic(t)
	e.Clock = func() time.Time { return e.at(e.monday, 15, 5) }
	e.showDay(t, e.monday.AddDays(1))
	cv := e.W.Canvas()
	e.area.Day.Focus()
	cv.Focused().(fyne.Shortcutable).TypedShortcut(&desktopCtrlT)
	e.Queue.WaitFor(t, "today", func() bool { return e.area.Day.Loaded() && e.area.Day.Day() == e.monday })
	if line := e.area.Day.cursor.Text; !strings.Contains(line, "Mon 23 Nov 15:00") {
		t.Errorf("today opens with the cursor on %q", line)
	}
	if !cursorInView(e.area.Day.Grid, gridScroll(t, e.area.Day.Content)) {
		t.Error("the time now is out of sight")
	}
	key(cv, fyne.KeyPageDown)
	e.Queue.WaitFor(t, "tomorrow", func() bool { return e.area.Day.Loaded() && e.area.Day.Day() == e.monday.AddDays(1) })
	if line := e.area.Day.cursor.Text; !strings.Contains(line, "Tue 24 Nov 15:00") {
		t.Errorf("the next day moves the cursor to %q", line)
	}
}
