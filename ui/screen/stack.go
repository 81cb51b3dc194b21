package screen

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Page is one view in a navigation stack: a list, a record, a form.
type Page struct {
	Title   string
	Content fyne.CanvasObject
	// Dirty reports unsaved changes; the stack asks before leaving a dirty
	// page. nil means the page never has any.
	Dirty func() bool
	// Shown runs when the page comes back into view, to refresh it.
	Shown func()
	// Save saves the page's form: Ctrl+S when the focus is not in one of
	// its text fields (on a tick box, a drop-down, or nowhere). nil for
	// pages without a form.
	Save func()
	// Closed runs when the page leaves the stack for good, to let go of
	// event subscriptions.
	Closed func()
}

func (p *Page) Close() {
	if p.Closed != nil {
		p.Closed()
	}
}

// Stack shows the top page of a stack with a Back button above every
// page but the root.
type Stack struct {
	env     *Env
	pages   []*Page
	back    *widget.Button
	title   *widget.Label
	header  *fyne.Container
	body    *fyne.Container
	Content fyne.CanvasObject
}

func NewStack(env *Env, root *Page) *Stack {
	s := &Stack{
		env:   env,
		title: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Truncation: fyne.TextTruncateEllipsis},
		body:  container.NewStack(),
	}
	s.back = &widget.Button{Text: "Back", Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: s.Pop}
	s.header = container.NewBorder(nil, widget.NewSeparator(), s.back, nil, s.title)
	s.Content = container.NewBorder(s.header, nil, nil, nil, s.body)
	s.pages = []*Page{root}
	s.show()
	return s
}

// Top is the page in view.
func (s *Stack) Top() *Page { return s.pages[len(s.pages)-1] }

// Depth is how many pages are stacked, the root included.
func (s *Stack) Depth() int { return len(s.pages) }

// Push shows p on top of the current page.
func (s *Stack) Push(p *Page) {
	s.pages = append(s.pages, p)
	s.show()
}

// ReplaceTop swaps the page in view for p, as when a saved form gives way
// to the record it created.
func (s *Stack) ReplaceTop(p *Page) {
	if len(s.pages) == 1 {
		s.Push(p)
		return
	}
	s.pages[len(s.pages)-1].Close()
	s.pages[len(s.pages)-1] = p
	s.show()
}

// Pop leaves the top page, asking first if it has unsaved changes.
func (s *Stack) Pop() {
	if len(s.pages) == 1 {
		return
	}
	s.AskLeave(s.Top(), s.PopNow)
}

// PopNow leaves the top page without asking.
func (s *Stack) PopNow() {
	if len(s.pages) == 1 {
		return
	}
	s.pages[len(s.pages)-1].Close()
	s.pages = s.pages[:len(s.pages)-1]
	s.show()
	if p := s.Top(); p.Shown != nil {
		p.Shown()
	}
}

// PopToRoot leaves every page above the root, asking for each that has
// unsaved changes, then runs then.
func (s *Stack) PopToRoot(then func()) {
	if len(s.pages) == 1 {
		then()
		return
	}
	s.AskLeave(s.Top(), func() {
		s.PopNow()
		s.PopToRoot(then)
	})
}

// DiscardToRoot leaves every page above the root without asking, as when
// the person signs out or someone else signs in.
func (s *Stack) DiscardToRoot() {
	for len(s.pages) > 1 {
		s.PopNow()
	}
}

// AskLeave runs proceed at once for a page without unsaved changes, and
// after the user agrees to discard them otherwise.
func (s *Stack) AskLeave(p *Page, proceed func()) {
	if p.Dirty == nil || !p.Dirty() {
		proceed()
		return
	}
	s.env.Confirm("Unsaved changes", "\""+p.Title+"\" has changes that are not saved. Leave and lose them?",
		"Leave without saving", proceed)
}

// SaveTop saves the form of the page in view, if it has one.
func (s *Stack) SaveTop() {
	if p := s.Top(); p.Save != nil {
		p.Save()
	}
}

// HasUnsaved reports whether any stacked page has unsaved changes.
func (s *Stack) HasUnsaved() bool {
	for _, p := range s.pages {
		if p.Dirty != nil && p.Dirty() {
			return true
		}
	}
	return false
}

func (s *Stack) show() {
	p := s.Top()
	s.dropFocus()
	s.body.Objects = []fyne.CanvasObject{p.Content}
	s.body.Refresh()
	if len(s.pages) == 1 {
		s.header.Hide()
		return
	}
	s.title.SetText(p.Title)
	s.back.SetText("Back to " + s.pages[len(s.pages)-2].Title)
	s.header.Show()
}

// dropFocus takes the keyboard from the page going out of view. Fyne keeps
// the focus on a field after it leaves the screen, and the field, unseen,
// would take what is typed next; the page coming in puts the cursor where
// it wants it. While a dialog is open the focus is the dialog's and stays.
func (s *Stack) dropFocus() {
	if s.env == nil || s.env.Window == nil {
		return
	}
	if c := s.env.Window.Canvas(); c != nil && len(c.Overlays().List()) == 0 {
		c.Unfocus()
	}
}

// Refresh shows the top page again, as after its title changed.
func (s *Stack) Refresh() { s.show() }

// Holds reports whether p is still on the stack.
func (s *Stack) Holds(p *Page) bool { return slices.Contains(s.pages, p) }
