package book

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/uitest"
)

// weekBlocks are the appointments drawn in the week view.
func (e *bookClinic) weekBlocks() map[int64]bool {
	out := map[int64]bool{}
	uitest.Walk(e.area.Week.Grid, func(o fyne.CanvasObject) {
		if bl, ok := o.(*block); ok {
			out[bl.a.ID] = true
		}
	})
	return out
}

// TestTheWeekViewListsOneTechniciansWeek: a technician's week holds that
// week's appointments of theirs and no one else's; the arrows move the
// cursor from day to day, Enter on a free slot books that day with them,
// and Page Down goes to the next week.
func TestTheWeekViewListsOneTechniciansWeek(t *testing.T) {
	e := newBookClinic(t)
	owner := e.StaffByRole(t, data.RoleOwner)
	mon := e.book(t, e.client, e.priya.ID, e.at(e.monday, 10, 0))
	wed := e.book(t, e.client, e.priya.ID, e.at(e.monday.AddDays(2), 14, 0))
	other := e.book(t, e.client, owner.ID, e.at(e.monday.AddDays(1), 10, 0))
	later := e.book(t, e.client, e.priya.ID, e.at(e.monday.AddDays(7), 10, 0))
	v := e.area.Week
	e.area.Tabs.SelectIndex(1)
	v.GoTo(e.monday)
	e.Queue.WaitFor(t, "the names", func() bool { return v.Loaded() })
	v.Choose("Priya Raman")
	e.Queue.WaitFor(t, "Priya's week", func() bool { return v.Loaded() && v.status.Text == "Priya Raman · 2 appointments" })
	got := e.weekBlocks()
	if len(got) != 2 || !got[mon.ID] || !got[wed.ID] || got[other.ID] || got[later.ID] {
		t.Fatalf("Priya's week draws %v; want her Monday and Wednesday appointments (%d, %d)", got, mon.ID, wed.ID)
	}
	if !strings.HasPrefix(v.Grid.cols[0].title, "Mon") || len(v.Grid.cols) != 7 {
		t.Errorf("the week's columns start with %q (%d columns)", v.Grid.cols[0].title, len(v.Grid.cols))
	}

	cv := e.W.Canvas()
	cv.Focus(v.Grid)
	col := v.Grid.cur.col
	key(cv, fyne.KeyRight)
	key(cv, fyne.KeyRight)
	if v.Grid.cur.col != col+2 || v.Grid.cols[v.Grid.cur.col].day != e.monday.AddDays(col+2) {
		t.Fatalf("two Right arrows move the cursor from column %d to %d", col, v.Grid.cur.col)
	}
	key(cv, fyne.KeyLeft)
	day := e.monday.AddDays(col + 1)
	if v.Grid.cols[v.Grid.cur.col].day != day {
		t.Fatalf("Left comes back to %v; want %v", v.Grid.cols[v.Grid.cur.col].day, day)
	}
	key(cv, fyne.KeyReturn)
	b := e.waitDialog(t)
	if data.LocalDay(b.pre.Start, e.Settings.Location()) != day || b.pre.TechnicianID != e.priya.ID ||
		b.technician.Selected != "Priya Raman" {
		t.Errorf("Enter on the free slot books %v with %q; want %v with Priya Raman", b.pre.Start, b.technician.Selected, day)
	}
	b.d.Hide()

	cv.Focus(v.Grid)
	key(cv, fyne.KeyPageDown)
	e.Queue.WaitFor(t, "the next week", func() bool {
		return v.Loaded() && v.start == e.monday.AddDays(7) && v.status.Text == "Priya Raman · 1 appointment"
	})
	if got := e.weekBlocks(); len(got) != 1 || !got[later.ID] {
		t.Errorf("the next week draws %v; want only %d", got, later.ID)
	}
}

// asks reports whether the top dialog shows text in one of its labels.
func (e *bookClinic) asks(text string) bool {
	top := e.W.Canvas().Overlays().Top()
	return top != nil && strings.Contains(strings.Join(uitest.Texts(top), "\n"), text)
}

// TestBookingOutsideTheOpeningHoursAsks: a time after closing asks first;
// No keeps the booking dialog open with nothing booked, Yes books.
func TestBookingOutsideTheOpeningHoursAsks(t *testing.T) {
	e := newBookClinic(t)
	b := showBookingDialog(e.area.env, Booking{ClientID: e.client.ID, ClientName: "Ana Silva", TechnicianID: e.priya.ID,
		TreatmentID: e.face.ID, Start: e.at(e.monday, 19, 0)})
	e.waitDialog(t)
	test.Tap(b.bookBtn)
	e.Queue.WaitFor(t, "the question", func() bool { return e.asks("Book this time anyway?") })
	if texts := strings.Join(uitest.Texts(e.W.Canvas().Overlays().Top()), "\n"); !strings.Contains(texts, "opening hours (09:00 to 18:00 on Mondays)") {
		t.Errorf("the question does not name the opening hours: %q", texts)
	}
	test.Tap(uitest.Button(t, e.W, "Cancel")) // the question's No
	e.Queue.WaitFor(t, "the question gone", func() bool { return !e.asks("Book this time anyway?") })
	if b.booked != nil || len(e.dayList(t, e.monday)) != 0 {
		t.Fatal("No booked the appointment")
	}
	if top := e.W.Canvas().Overlays().Top(); top == nil || !e.asks("Book an appointment") || b.search.Text != "Ana Silva" || b.start.Text != "19:00" {
		t.Fatal("after No the booking dialog is gone or lost what was typed")
	}
	test.Tap(b.bookBtn)
	e.Queue.WaitFor(t, "the question again", func() bool { return e.asks("Book this time anyway?") })
	test.Tap(uitest.Button(t, e.W, "Book anyway"))
	e.Queue.WaitFor(t, "the booking", func() bool { return b.booked != nil })
	if list := e.dayList(t, e.monday); len(list) != 1 || !list[0].Start.Equal(e.at(e.monday, 19, 0)) {
		t.Fatalf("the store holds %+v", list)
	}
}

// TestChangeLengthRefusesAClash: a length that runs into the technician's
// next appointment is refused under the field, naming it, and nothing
// changes; a length that fits is saved and shown on the page.
func TestChangeLengthRefusesAClash(t *testing.T) {
	e := newBookClinic(t)
	bea := e.AddClient(t, "Bea", "Moreau")
	a := e.book(t, e.client, e.priya.ID, e.at(e.monday, 10, 0))
	e.book(t, bea, e.priya.ID, e.at(e.monday, 11, 30))
	e.openAppointment(t, a)
	test.Tap(uitest.Button(t, e.W, "Change length…"))
	e.Queue.WaitFor(t, "the length dialog", func() bool { return e.W.Canvas().Overlays().Top() != nil })
	entry := dialogEntry(t, e.W, 0)
	if entry.Text != "60" {
		t.Errorf("the length dialog starts with %q; want 60", entry.Text)
	}
	entry.SetText("120")
	test.Tap(uitest.Button(t, e.W, "Save length"))
	e.Queue.WaitFor(t, "the clash", func() bool {
		return strings.Contains(strings.Join(uitest.Texts(e.W.Canvas().Overlays().Top()), "\n"), "Bea Moreau")
	})
	if got := e.stored(t, a.ID); got.Minutes != 60 {
		t.Fatalf("a clashing length was saved: %d minutes", got.Minutes)
	}
	entry.SetText("90")
	test.Tap(uitest.Button(t, e.W, "Save length"))
	e.Queue.WaitFor(t, "the length saved", func() bool { return e.W.Canvas().Overlays().Top() == nil })
	if got := e.stored(t, a.ID); got.Minutes != 90 {
		t.Fatalf("stored %d minutes; want 90", got.Minutes)
	}
	e.Queue.WaitFor(t, "the page showing the new end", func() bool {
		return strings.Contains(strings.Join(uitest.Texts(e.area.Stack.Content), "\n"), "10:00 to 11:30")
	})
}

// TestTheBookShadesTheHoursATechnicianDoesNotWork: Priya works Mondays
// from 10:00 and not on Tuesdays; her column on Monday is shaded before
// 10:00 and her Tuesday all day, in the day and in her week, as the
// clinic's closed hours are. The receptionist saw her free at 09:00 and
// learnt otherwise only when the booking asked. Signed in, Priya's week
// opens on her own, not on the first name of the list.
func TestTheBookShadesTheHoursATechnicianDoesNotWork(t *testing.T) {
	e := newBookClinic(t)
	w := data.WorkingHours{TechnicianID: e.priya.ID, Days: data.DefaultOpeningHours()}
	w.Days[time.Monday].Open = data.TimeOf(10, 0)
	w.Days[time.Tuesday] = data.DayHours{}
	if err := e.Store.SaveWorkingHours(e.Ctx, e.Actor.ID, &w); err != nil {
		t.Fatal(err)
	}
	hoursOf := func(g *bookGrid, title string) (data.DayHours, bool) {
		for _, c := range g.cols {
			if c.title == title {
				return c.hours, true
			}
		}
		return data.DayHours{}, false
	}
	e.showDay(t, e.monday)
	clinic := e.Settings.OpeningHours[time.Monday]
	if h, ok := hoursOf(e.area.Day.Grid, "Priya Raman"); !ok || h != (data.DayHours{Open: data.TimeOf(10, 0), Close: clinic.Close}) {
		t.Errorf("Priya's Monday column is open %v (found: %v); want from 10:00 to the clinic's closing", h, ok)
	}
	if h, _ := hoursOf(e.area.Day.Grid, "Maya Lindqvist"); h != clinic {
		t.Errorf("Maya, with no hours of her own, is open %v; want the clinic's %v", h, clinic)
	}
	cv := e.W.Canvas()
	e.area.Day.Focus()
	key(cv, fyne.KeyRight) // Priya at 09:00
	if line := e.area.Day.cursor.Text; !strings.Contains(line, "09:00: outside the opening or working hours") {
		t.Errorf("on Priya's 09:00 the line under the grid says %q", line)
	}
	e.showDay(t, e.monday.AddDays(1))
	if h, _ := hoursOf(e.area.Day.Grid, "Priya Raman"); h.IsOpen() {
		t.Errorf("Priya's Tuesday column is open %v; she does not work on Tuesdays", h)
	}

	e.Actor = e.priya
	v := e.area.Week
	e.area.Tabs.SelectIndex(1)
	v.GoTo(e.monday)
	e.Queue.WaitFor(t, "her week", func() bool { return v.Loaded() && len(v.Grid.cols) == 7 })
	if v.who.Selected != "Priya Raman" {
		t.Fatalf("Priya's week view opens on %q", v.who.Selected)
	}
	if mon, tue := v.Grid.cols[0].hours, v.Grid.cols[1].hours; mon.Open != data.TimeOf(10, 0) || tue.IsOpen() {
		t.Errorf("her week's Monday is open %v and Tuesday %v", mon, tue)
	}
}
