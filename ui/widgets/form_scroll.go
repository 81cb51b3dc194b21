package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// WheelStep is how many times the driver's own step one notch of the mouse
// wheel moves a form. Fyne's step is 25 pixels on Linux and Windows (10 on
// macOS), under a line of text; three times that is about three lines.
const WheelStep = 3

// FormScroll is the scrolling column every long form sits in (client,
// session, product, settings). It changes two things in how the mouse
// wheel treats a container.Scroll:
//
//   - one notch moves the form wheelStep times the driver's step;
//   - the form scrolls wherever the pointer is. Fyne gives the wheel to
//     the innermost scrollable thing under the pointer, and a text field
//     is one (its text can scroll sideways), so over a field the form
//     stopped. A transparent layer over the form takes the wheel instead:
//     it is not tappable, hoverable or focusable, so clicks, typing and
//     the cursor still reach the fields under it. A multi-line field whose
//     text is longer than it shows scrolls that text first (formEntry).
type FormScroll struct {
	widget.BaseWidget
	Scroll *container.Scroll
	wheel  *WheelLayer
}

// NewFormScroll puts content in a vertical formScroll.
func NewFormScroll(content fyne.CanvasObject) *FormScroll {
	return WrapFormScroll(container.NewVScroll(content))
}

// WrapFormScroll gives an existing scroll container the form's wheel, for
// forms that move their scroll themselves (to bring a field into view).
func WrapFormScroll(s *container.Scroll) *FormScroll {
	f := &FormScroll{Scroll: s}
	f.wheel = &WheelLayer{scrolled: f.onWheel}
	f.wheel.ExtendBaseWidget(f.wheel)
	f.ExtendBaseWidget(f)
	return f
}

func (f *FormScroll) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(f.Scroll, f.wheel))
}

// onWheel scrolls a long multi-line field under the pointer, or else the
// form by the larger step.
func (f *FormScroll) onWheel(ev *fyne.ScrollEvent) {
	if e := pointedEntry; e != nil && e.TakesWheel(ev.AbsolutePosition, ev.Scrolled.DY) {
		e.Own.Scrolled(ev)
		return
	}
	step := *ev
	step.Scrolled = fyne.NewDelta(ev.Scrolled.DX*WheelStep, ev.Scrolled.DY*WheelStep)
	f.Scroll.Scrolled(&step)
}

// WheelLayer lies over a form and hands it every wheel event.
type WheelLayer struct {
	widget.BaseWidget
	scrolled func(*fyne.ScrollEvent)
}

// Scrolled is called for the wheel anywhere over the form.
func (w *WheelLayer) Scrolled(ev *fyne.ScrollEvent) { w.scrolled(ev) }

func (w *WheelLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}
