// Package uitest is what the tests of every window area share: a real
// SQLite clinic in a temporary folder with one staff member of each role, a
// queue standing in for fyne.Do that the test goroutine drains, and ways to
// find and press what is on screen. Only tests import it.
package uitest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/ui/screen"
)

// Clock is the fixed "now" of UI tests: Sunday 22 November 2026, 10:00.
var Clock = func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.Local) }

// Clinic is a screen's world in a test: a real store, a test window and
// the working context, with the owner working.
type Clinic struct {
	*screen.Env
	Store *sqlite.Store
	Queue Queue
	W     fyne.Window
}

// NewClinic opens a fresh database with a named clinic and one staff
// member of each role; the owner is working.
func NewClinic(t testing.TB) *Clinic {
	t.Helper()
	test.NewTempApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "clinic.db"), sqlite.WithClock(Clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); st.Close() })
	settings, err := st.Settings(ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	settings.ClinicName, settings.Phone = "Lumen Skin Studio", "+44 1273 555 018"
	if err := st.SaveSettings(ctx, data.SystemActor, &settings); err != nil {
		t.Fatal(err)
	}
	var owner data.Staff
	for _, s := range []data.Staff{
		{Name: "Maya Lindqvist", Role: data.RoleOwner, Active: true},
		{Name: "Priya Raman", Role: data.RoleTechnician, Active: true},
		{Name: "Sam O'Neill", Role: data.RoleReceptionist, Active: true},
	} {
		if err := st.CreateStaff(ctx, data.SystemActor, &s); err != nil {
			t.Fatal(err)
		}
		if s.Role == data.RoleOwner {
			owner = s
		}
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1180, 760))
	t.Cleanup(w.Close)
	q := NewQueue()
	env := &screen.Env{Ctx: ctx, Do: q.Do, Events: screen.NewEvents(), Window: w, Settings: settings, Actor: owner, Clock: Clock}
	return &Clinic{Env: env, Store: st, Queue: q, W: w}
}

// Queue stands in for fyne.Do: background goroutines queue their UI work
// and the test goroutine runs it, so the test goroutine is the only one that
// ever touches widgets, as the UI goroutine is in the real app.
type Queue chan func()

// NewQueue makes an empty queue.
func NewQueue() Queue { return make(Queue, 100) }

// Do queues fn.
func (q Queue) Do(fn func()) { q <- fn }

// WaitLimit is how long a test waits for something to reach the screen.
const WaitLimit = 5 * time.Second

// WaitFor runs queued UI work until cond holds, failing the test with a
// description of what never happened if it does not hold within WaitLimit.
func (q Queue) WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(WaitLimit)
	defer deadline.Stop()
	for !cond() {
		select {
		case fn := <-q:
			fn()
		case <-deadline.C:
			t.Fatalf("gave up after %v waiting for %s", WaitLimit, what)
		}
	}
}

// RunNext runs the next piece of queued UI work, waiting for it if needed.
func (q Queue) RunNext(t testing.TB) {
	t.Helper()
	select {
	case fn := <-q:
		fn()
	case <-time.After(WaitLimit):
		t.Fatalf("gave up after %v waiting for a result to reach the UI", WaitLimit)
	}
}

// Drain runs queued UI work until none has come for quiet: for a test
// that something did not happen.
func (q Queue) Drain(quiet time.Duration) {
	for {
		select {
		case fn := <-q:
			fn()
		case <-time.After(quiet):
			return
		}
	}
}

// Walk visits o and everything inside it, widgets' parts included.
func Walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	visit(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			Walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			Walk(c, visit)
		}
	}
}

// Button finds a visible button by its text in the top dialog, or in the
// window's content when no dialog is open.
func Button(t testing.TB, w fyne.Window, text string) *widget.Button {
	t.Helper()
	root := w.Content()
	if top := w.Canvas().Overlays().Top(); top != nil {
		root = top
	}
	var found *widget.Button
	Walk(root, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q on screen", text)
	}
	return found
}

// Texts lists the text of every visible label under root.
func Texts(root fyne.CanvasObject) []string {
	var out []string
	Walk(root, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && l.Text != "" {
			out = append(out, l.Text)
		}
	})
	return out
}

// Shows reports whether a visible label under root reads text.
func Shows(root fyne.CanvasObject, text string) bool {
	for _, s := range Texts(root) {
		if s == text {
			return true
		}
	}
	return false
}

// TypeShortcut delivers s as Fyne's desktop driver does: to the focused
// widget when it takes shortcuts (a text field), to the window otherwise.
func TypeShortcut(c fyne.Canvas, s fyne.Shortcut) {
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(s)
}

// TypeKeys types text into whatever has the focus, as the keyboard does.
func TypeKeys(t testing.TB, c fyne.Canvas, text string) {
	t.Helper()
	f := c.Focused()
	if f == nil {
		t.Fatalf("nothing has the focus to type %q into", text)
	}
	for _, r := range text {
		f.TypedRune(r)
	}
}

// WalkShown visits o and everything inside it that is shown: a hidden
// object and all it holds are left out.
func WalkShown(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			WalkShown(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			WalkShown(c, visit)
		}
	}
}

// ShownTexts lists the text of every label shown under root.
func ShownTexts(root fyne.CanvasObject) []string {
	var out []string
	WalkShown(root, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Text != "" {
			out = append(out, l.Text)
		}
	})
	return out
}

// ShownButton finds a button shown under root by its text.
func ShownButton(t testing.TB, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	WalkShown(root, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q on screen", text)
	}
	return found
}
