package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Check is a tick box that scrolls into view when Tab reaches it.
type Check struct {
	widget.Check
	OnFocus func(fyne.CanvasObject)
}

// Select is a drop-down that scrolls into view when Tab reaches it.
type Select struct {
	widget.Select
	OnFocus func(fyne.CanvasObject)
}

func NewSelect(options []string, onFocus func(fyne.CanvasObject)) *Select {
	s := &Select{OnFocus: onFocus}
	s.Options, s.PlaceHolder = options, options[0]
	s.ExtendBaseWidget(s)
	return s
}

// FocusGained brings the box into view.
func (c *Check) FocusGained() {
	c.Check.FocusGained()
	if c.OnFocus != nil {
		c.OnFocus(c)
	}
}

// FocusGained brings the drop-down into view.
func (s *Select) FocusGained() {
	s.Select.FocusGained()
	if s.OnFocus != nil {
		s.OnFocus(s)
	}
}
