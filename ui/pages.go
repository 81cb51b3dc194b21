package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// page is one view in a navigation stack: a list, a record, a form.
type page struct {
	title   string
	content fyne.CanvasObject
	// dirty reports unsaved changes; the stack asks before leaving a dirty
	// page. nil means the page never has any.
	dirty func() bool
	// shown runs when the page comes back into view, to refresh it.
	shown func()
	// save saves the page's form: Ctrl+S when the focus is not in one of
	// its text fields (on a tick box, a drop-down, or nowhere). nil for
	// pages without a form.
	save func()
	// closed runs when the page leaves the stack for good, to let go of
	// event subscriptions.
	closed func()
}

func (p *page) close() {
	if p.closed != nil {
		p.closed()
	}
}

// pageStack shows the top page of a stack with a Back button above every
// page but the root.
type pageStack struct {
	env     *appEnv
	pages   []*page
	back    *widget.Button
	title   *widget.Label
	header  *fyne.Container
	body    *fyne.Container
	content fyne.CanvasObject
}

func newPageStack(env *appEnv, root *page) *pageStack {
	s := &pageStack{
		env:   env,
		title: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Truncation: fyne.TextTruncateEllipsis},
		body:  container.NewStack(),
	}
	s.back = &widget.Button{Text: "Back", Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: s.pop}
	s.header = container.NewBorder(nil, widget.NewSeparator(), s.back, nil, s.title)
	s.content = container.NewBorder(s.header, nil, nil, nil, s.body)
	s.pages = []*page{root}
	s.show()
	return s
}

// top is the page in view.
func (s *pageStack) top() *page { return s.pages[len(s.pages)-1] }

// depth is how many pages are stacked, the root included.
func (s *pageStack) depth() int { return len(s.pages) }

// push shows p on top of the current page.
func (s *pageStack) push(p *page) {
	s.pages = append(s.pages, p)
	s.show()
}

// replaceTop swaps the page in view for p, as when a saved form gives way
// to the record it created.
func (s *pageStack) replaceTop(p *page) {
	if len(s.pages) == 1 {
		s.push(p)
		return
	}
	s.pages[len(s.pages)-1].close()
	s.pages[len(s.pages)-1] = p
	s.show()
}

// pop leaves the top page, asking first if it has unsaved changes.
func (s *pageStack) pop() {
	if len(s.pages) == 1 {
		return
	}
	s.askLeave(s.top(), s.popNow)
}

// popNow leaves the top page without asking.
func (s *pageStack) popNow() {
	if len(s.pages) == 1 {
		return
	}
	s.pages[len(s.pages)-1].close()
	s.pages = s.pages[:len(s.pages)-1]
	s.show()
	if p := s.top(); p.shown != nil {
		p.shown()
	}
}

// popToRoot leaves every page above the root, asking for each that has
// unsaved changes, then runs then.
func (s *pageStack) popToRoot(then func()) {
	if len(s.pages) == 1 {
		then()
		return
	}
	s.askLeave(s.top(), func() {
		s.popNow()
		s.popToRoot(then)
	})
}

// discardToRoot leaves every page above the root without asking, as when
// the person signs out or someone else signs in.
func (s *pageStack) discardToRoot() {
	for len(s.pages) > 1 {
		s.popNow()
	}
}

// askLeave runs proceed at once for a page without unsaved changes, and
// after the user agrees to discard them otherwise.
func (s *pageStack) askLeave(p *page, proceed func()) {
	if p.dirty == nil || !p.dirty() {
		proceed()
		return
	}
	s.env.confirm("Unsaved changes", "\""+p.title+"\" has changes that are not saved. Leave and lose them?",
		"Leave without saving", proceed)
}

// saveTop saves the form of the page in view, if it has one.
func (s *pageStack) saveTop() {
	if p := s.top(); p.save != nil {
		p.save()
	}
}

// hasUnsaved reports whether any stacked page has unsaved changes.
func (s *pageStack) hasUnsaved() bool {
	for _, p := range s.pages {
		if p.dirty != nil && p.dirty() {
			return true
		}
	}
	return false
}

func (s *pageStack) show() {
	p := s.top()
	s.dropFocus()
	s.body.Objects = []fyne.CanvasObject{p.content}
	s.body.Refresh()
	if len(s.pages) == 1 {
		s.header.Hide()
		return
	}
	s.title.SetText(p.title)
	s.back.SetText("Back to " + s.pages[len(s.pages)-2].title)
	s.header.Show()
}

// dropFocus takes the keyboard from the page going out of view. Fyne keeps
// the focus on a field after it leaves the screen, and the field, unseen,
// would take what is typed next; the page coming in puts the cursor where
// it wants it. While a dialog is open the focus is the dialog's and stays.
func (s *pageStack) dropFocus() {
	if s.env == nil || s.env.window == nil {
		return
	}
	if c := s.env.window.Canvas(); c != nil && len(c.Overlays().List()) == 0 {
		c.Unfocus()
	}
}
