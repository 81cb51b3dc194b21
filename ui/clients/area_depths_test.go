package clients

import (
	"fmt"
	"needledesk/ui/uitest"
	"needledesk/ui/widgets"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// After ticking an area, Tab goes to that area's depth, then on to the
// next area, in reading order.
func TestTabAfterTickingAnAreaReachesItsDepth(t *testing.T) {
	e := newStoreEnv(t)
	f, _ := openTestSessionForm(t, e, e.c.AddClient(t, "Ann", "Lee", consented))
	waitForChoices(t, e, f)
	c := e.w.Canvas()
	rows := f.areas.rows
	c.Focus(rows[0].check)
	rows[0].check.TypedRune(' ') // Space ticks the focused box
	if !rows[0].check.Checked {
		t.Fatal("Space did not tick the area")
	}
	for i, r := range rows {
		if i > 0 {
			test.FocusNext(c)
			if c.Focused() != fyne.Focusable(r.check) {
				t.Fatalf("Tab after the %s depth went to %s; want the %s box", rows[i-1].area.Label(), focusedName(c), r.area.Label())
			}
			test.Tap(r.check)
		}
		test.FocusNext(c)
		if c.Focused() != fyne.Focusable(r.depth) {
			t.Fatalf("Tab after ticking the %s went to %s; want its depth", r.area.Label(), focusedName(c))
		}
		uitest.TypeKeys(t, c, "0.5")
	}
	for _, r := range rows {
		if r.depth.Text != "0.5" || !r.check.Checked {
			t.Errorf("%s: ticked %v, depth %q", r.area.Label(), r.check.Checked, r.depth.Text)
		}
	}
}

func focusedName(c fyne.Canvas) string {
	switch x := c.Focused().(type) {
	case *widget.Check:
		return "the " + x.Text + " box"
	case *widgets.Entry:
		return fmt.Sprintf("a text field (%q)", x.Text)
	case nil:
		return "nothing"
	default:
		return fmt.Sprintf("%T", x)
	}
}
