package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
	"needledesk/ui/widgets"
)

// newShellWindow builds the whole main window on a real store, with the
// test clinic's owner signed in.
func newShellWindow(t *testing.T, e *storeEnv) *mainWindow {
	t.Helper()
	m := newMainWindow(fyne.CurrentApp(), e.deps, e.q.Do)
	m.env.welcomeShown = true // an owner is at work: no first-start welcome over the screens
	t.Cleanup(m.close)
	e.q.WaitFor(t, "the clinic's name in the title", func() bool { return m.window.Title() == "NeedleDesk - Lumen Skin Studio" })
	m.signedIn(e.Actor)
	return m
}

// newShellWindowSignedOut builds the main window as it opens: at the
// sign-in screen.
func newShellWindowSignedOut(t *testing.T, e *storeEnv) *mainWindow {
	t.Helper()
	m := newMainWindow(fyne.CurrentApp(), e.deps, e.q.Do)
	t.Cleanup(m.close)
	e.q.WaitFor(t, "the clinic's name in the title", func() bool { return m.window.Title() == "NeedleDesk - Lumen Skin Studio" })
	return m
}

func press(e fyne.Focusable, key fyne.KeyName) { e.TypedKey(&fyne.KeyEvent{Name: key}) }

func TestSearchArrowAndEnterOpenTheClient(t *testing.T) {
	e := newStoreEnv(t)
	e.c.AddClient(t, "Zoë", "Adams")
	e.c.AddClient(t, "Zoe", "Baker")
	e.c.AddClient(t, "Łukasz", "Nowak")
	m := newShellWindow(t, e)

	test.Type(m.clients.Search, "zoe")
	e.q.WaitFor(t, "both Zoes and nobody else", func() bool {
		return sameNames(shownNames(m.window), "Zoë Adams", "Zoe Baker")
	})
	press(m.clients.Search, fyne.KeyDown)
	press(m.clients.Search, fyne.KeyDown)
	press(m.clients.Search, fyne.KeyReturn)
	e.q.WaitFor(t, "Zoe Baker's record", func() bool {
		return m.stack.Depth() == 2 && m.stack.Top().Title == "Zoe Baker"
	})
	m.stack.Pop()
	if m.stack.Depth() != 1 {
		t.Fatal("Back did not return to the list")
	}
}

func TestCtrlNFromSearchOpensANewClientAndBackAsksFirst(t *testing.T) {
	e := newStoreEnv(t)
	m := newShellWindow(t, e)
	m.clients.Search.TypedShortcut(widgets.NewClientShortcut)
	if m.stack.Depth() != 2 || m.stack.Top().Title != "New client" {
		t.Fatalf("Ctrl+N in the search box: top page %q", m.stack.Top().Title)
	}
	form := m.stack.Top()
	e.q.WaitFor(t, "the form to settle", func() bool { return len(e.q) == 0 })
	typeIntoFirstEntry(t, form.Content, "Ann")
	if !form.Dirty() {
		t.Fatal("typing a name did not make the form dirty")
	}
	m.stack.Pop()
	if m.stack.Depth() != 2 {
		t.Fatal("Back left a form with typed changes without asking")
	}
	if !strings.Contains(overlayText(m.window), "Leave and lose them?") {
		t.Fatalf("no unsaved-changes question on screen: %q", overlayText(m.window))
	}
	m.clients.Search.TypedShortcut(widgets.FindShortcut) // asks again rather than discarding
	if m.stack.Depth() != 2 {
		t.Fatal("Ctrl+F discarded typed changes without asking")
	}
	if list, _ := e.st.FindClients(e.Ctx, data.SystemActor, data.ClientFilter{}); len(list) != 0 {
		t.Fatalf("the store holds %d clients; nothing was saved", len(list))
	}
}

func TestListRefreshesWhenAClientIsSaved(t *testing.T) {
	e := newStoreEnv(t)
	m := newShellWindow(t, e)
	e.q.WaitFor(t, "an empty clinic", func() bool { return m.clients.Status.Text == "No clients yet" })
	c := e.c.AddClient(t, "Grace", "Hopper")
	m.env.Events.Publish(screen.ClientChanged{Client: data.ClientID(c.ID)})
	e.q.WaitFor(t, "the new client in the list", func() bool { return sameNames(shownNames(m.window), "Grace Hopper") })
}

// typeIntoFirstEntry types into the first text entry laid out in o.
func typeIntoFirstEntry(t *testing.T, o fyne.CanvasObject, text string) {
	t.Helper()
	for _, obj := range test.LaidOutObjects(o) {
		if f, ok := obj.(fyne.Focusable); ok {
			if _, isEntry := obj.(interface{ SetText(string) }); isEntry {
				test.Type(f, text)
				return
			}
		}
	}
	t.Fatal("no text entry on the page")
}

// overlayText is the text of the labels in the window's dialogs.
func overlayText(w fyne.Window) string {
	var b strings.Builder
	for _, o := range w.Canvas().Overlays().List() {
		for _, obj := range test.LaidOutObjects(o) {
			if l, ok := obj.(*widget.Label); ok {
				b.WriteString(l.Text + "\n")
			}
		}
	}
	return b.String()
}

// TestRouteOpensTheSessionFormForAClient: a screen asks for "the session
// form for client X" by its route, from another tab, and gets it over X's
// record in the Clients tab; Back returns to the record.
func TestRouteOpensTheSessionFormForAClient(t *testing.T) {
	e := newStoreEnv(t)
	e.c.AddClient(t, "Ada", "Brook")
	c := e.c.AddClient(t, "Zoë", "Adams")
	m := newShellWindow(t, e)
	m.tabs.SelectIndex(1) // Due back
	m.env.Open(screen.NewSession{Client: data.ClientID(c.ID)})
	e.q.WaitFor(t, "the session form over Zoë's record", func() bool {
		return m.tabs.Selected() == m.clientsT && m.stack.Depth() == 3
	})
	if got := m.stack.Top().Title; !strings.Contains(got, "session") && !strings.Contains(got, "Session") {
		t.Fatalf("the top page is %q, not a session form", got)
	}
	m.stack.PopNow()
	e.q.WaitFor(t, "Zoë's record", func() bool { return m.stack.Top().Title == "Zoë Adams" })
}

// TestDueBackReadsNothingUntilShown: the Due back list reads who is due
// only once its tab is chosen, not while the password is checked and the
// client list is drawn (on a large clinic that read takes a third of a
// second of a processor), and lists them then.
func TestDueBackReadsNothingUntilShown(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Zoë", "Adams")
	today := data.DateOf(uitest.Clock())
	e.c.AddSession(t, c, today.AddDays(-26), func(s *data.Session) { s.NextDue = today.AddDays(2) })
	m := newShellWindow(t, e)
	e.q.WaitFor(t, "the client list", func() bool { return uitest.Shows(m.clients.Content, "Zoë Adams") })
	e.q.Drain(300 * time.Millisecond)
	if texts := strings.Join(uitest.Texts(m.dueBack.Content), " | "); strings.Contains(texts, "to call") || strings.Contains(texts, "Looking for") {
		t.Fatalf("the Due back list was read before its tab was chosen: %s", texts)
	}
	m.tabs.SelectIndex(1)
	if m.tabs.Selected().Text != "Due back" {
		t.Fatalf("tab 1 is %q", m.tabs.Selected().Text)
	}
	e.q.WaitFor(t, "the Due back list", func() bool { return uitest.Shows(m.dueBack.Content, "1 client to call") })
}

// TestTheBookReadsNothingUntilShown: the book reads its day, week and
// Today list only once its tab is chosen, not at sign-in (a large
// clinic's day is a thousand appointments, whose blocks held tens of MB
// for nobody to see), and shows the day then.
func TestTheBookReadsNothingUntilShown(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.Book = e.st
	e.c.AddClient(t, "Zoë", "Adams")
	m := newShellWindow(t, e)
	e.q.WaitFor(t, "the client list", func() bool { return uitest.Shows(m.clients.Content, "Zoë Adams") })
	e.q.Drain(300 * time.Millisecond)
	day := widgets.WeekdayDate(m.env.Settings, data.DateOf(uitest.Clock()))
	if uitest.Shows(m.book.Content, day) {
		t.Fatalf("the book read its day (%s) before its tab was chosen", day)
	}
	m.tabs.Select(m.bookT)
	e.q.WaitFor(t, "the book's day", func() bool { return uitest.Shows(m.book.Content, day) })
}
