package admin

import (
	"needledesk/data"
	"needledesk/ui/uitest"
	"needledesk/ui/widgets"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// One notch of the wheel (25 pixels from the driver) over a text field
// scrolls each long form by three times that, the field or not.
func TestWheelOverAFieldScrollsTheOwnersForms(t *testing.T) {
	e := newStoreEnv(t)
	settings := openSettings(t, e)
	e.w.Resize(fyne.NewSize(1024, 300)) // every form longer than the window
	oneLine := func(x *widget.Entry) bool { return !x.MultiLine }
	forms := []struct {
		name    string
		content fyne.CanvasObject
	}{
		{"product form", newProductForm(e.areaEnv, data.Product{}, nil, nil).page.Content},
		{"settings", settings.Content},
	}
	for _, f := range forms {
		e.w.SetContent(f.content)
		e.q.WaitFor(t, "the "+f.name+" to settle", func() bool { return len(e.q) == 0 })
		field := uitest.FormEntryAt(t, f.content, oneLine)
		s := uitest.ScrollOf(t, f.content)
		s.ScrollToTop()
		at := fyne.CurrentApp().Driver().AbsolutePositionForObject(field).Add(fyne.NewPos(5, 5))
		test.Scroll(e.w.Canvas(), at, 0, -25)
		if want := float32(25 * widgets.WheelStep); s.Offset.Y != want {
			t.Errorf("%s: one notch over a field moved the form %v pixels; want %v", f.name, s.Offset.Y, want)
		}
	}
}
