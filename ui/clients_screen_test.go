package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/uitest"
)

func newTestWindow(t *testing.T, deps Deps) (*mainWindow, uitest.Queue) {
	t.Helper()
	a := test.NewTempApp(t)
	q := uitest.NewQueue()
	m := newMainWindow(a, deps, q.Do)
	t.Cleanup(m.window.Close)
	m.signedIn(data.Staff{ID: 1, Name: "Maya Lindqvist", Role: data.RoleOwner, Active: true})
	return m, q
}

func TestWindowTitleNamesTheClinic(t *testing.T) {
	st := data.DefaultSettings()
	st.ClinicName = "Lumen Skin Studio"
	m, q := newTestWindow(t, Deps{Clients: newFakeClients(), Settings: fakeSettings{s: st}})
	q.WaitFor(t, "the clinic name in the title", func() bool {
		return m.window.Title() == "NeedleDesk - Lumen Skin Studio"
	})
}

func TestWindowTitleWithoutClinicName(t *testing.T) {
	m, q := newTestWindow(t, Deps{Clients: newFakeClients(zoe), Settings: fakeSettings{s: data.DefaultSettings()}})
	q.WaitFor(t, "the first client list", func() bool { return m.clients.Status.Text == "1 client shown" })
	if got := m.window.Title(); got != "NeedleDesk" {
		t.Fatalf("title = %q, want %q", got, "NeedleDesk")
	}
}

func TestInitialListShowsAllClients(t *testing.T) {
	m, q := newTestWindow(t, Deps{Clients: newFakeClients(zoe, lukasz, zara)})
	q.WaitFor(t, "three clients in the list", func() bool {
		return sameNames(shownNames(m.window), "Zoë Adams", "Łukasz Nowak", "Zara Okafor")
	})
	if got := m.clients.Status.Text; got != "3 clients shown" {
		t.Fatalf("status = %q, want %q", got, "3 clients shown")
	}
}

func TestRowsUseTheClinicDateFormat(t *testing.T) {
	st := data.DefaultSettings()
	st.DateFormat = "2 Jan 2006"
	m, q := newTestWindow(t, Deps{Clients: newFakeClients(zoe, lukasz), Settings: fakeSettings{s: st}})
	q.WaitFor(t, "the list with the clinic's settings", func() bool {
		return m.clients.Status.Text == "2 clients shown" && m.clients.Settings.DateFormat == st.DateFormat
	})
	texts := uitest.Texts(m.window.Content())
	for _, want := range []string{"Born 2 Jan 1990  ·  +44 20 7946 0958  ·  zoe@example.com", "Last session 10 Mar 2026", "No sessions yet"} {
		if !slices.Contains(texts, want) {
			t.Errorf("the rows do not read %q: %q", want, texts)
		}
	}
}

func TestTypingNarrowsTheList(t *testing.T) {
	fake := newFakeClients(zoe, lukasz, zara)
	m, q := newTestWindow(t, Deps{Clients: fake})
	q.WaitFor(t, "the first client list", func() bool { return m.clients.Status.Text == "3 clients shown" })
	before := fake.searchCount()

	test.Type(m.clients.Search, "adams")
	q.WaitFor(t, "only Zoë Adams to be listed", func() bool {
		return sameNames(shownNames(m.window), "Zoë Adams") && m.clients.Status.Text == "1 client shown"
	})
	if n := fake.searchCount() - before; n >= len("adams") {
		t.Errorf("typing 5 letters ran %d searches; the debounce should run fewer", n)
	}

	test.Type(m.clients.Search, "x")
	q.WaitFor(t, "an empty list", func() bool {
		return len(shownNames(m.window)) == 0 && m.clients.Status.Text == "No clients match"
	})
}

func TestSearchIgnoresAccents(t *testing.T) {
	m, q := newTestWindow(t, Deps{Clients: newFakeClients(zoe, lukasz, zara)})
	test.Type(m.clients.Search, "lukasz")
	q.WaitFor(t, "Łukasz found by typing lukasz", func() bool {
		return sameNames(shownNames(m.window), "Łukasz Nowak")
	})
}

func TestStaleResultsAreIgnored(t *testing.T) {
	fake := newFakeClients(zoe, lukasz, zara)
	m, q := newTestWindow(t, Deps{Clients: fake})
	q.WaitFor(t, "the first client list", func() bool { return m.clients.Status.Text == "3 clients shown" })

	release := fake.hold("z")
	test.Type(m.clients.Search, "z")
	waitStarted(t, fake, "z") // the slow search is now in flight
	test.Type(m.clients.Search, "oe")
	q.WaitFor(t, "the newer search's result", func() bool {
		return sameNames(shownNames(m.window), "Zoë Adams")
	})

	release()
	q.RunNext(t) // the slow search's result reaches the UI
	if got := shownNames(m.window); !sameNames(got, "Zoë Adams") {
		t.Fatalf("a stale result replaced the list: %q", got)
	}
	if got := m.clients.Status.Text; got != "1 client shown" {
		t.Fatalf("status = %q after a stale result", got)
	}
}

func TestLoadErrorIsShownInPlainWords(t *testing.T) {
	fake := newFakeClients(zoe)
	fake.err = errors.New("database is locked")
	m, q := newTestWindow(t, Deps{Clients: fake})
	q.WaitFor(t, "an error in the status line", func() bool {
		return strings.HasPrefix(m.clients.Status.Text, "Could not load clients.")
	})
	if !strings.Contains(m.clients.Status.Text, "database is locked") {
		t.Errorf("status %q does not say what went wrong", m.clients.Status.Text)
	}
}

func TestSlowDatabaseIsExplained(t *testing.T) {
	fake := newFakeClients(zoe)
	fake.err = fmt.Errorf("finding clients: %w", context.DeadlineExceeded)
	m, q := newTestWindow(t, Deps{Clients: fake})
	q.WaitFor(t, "an error in the status line", func() bool {
		return strings.HasPrefix(m.clients.Status.Text, "Could not load clients.")
	})
	if !strings.Contains(m.clients.Status.Text, "did not answer in time") {
		t.Errorf("status %q does not explain the timeout", m.clients.Status.Text)
	}
}

func TestSettingsErrorIsShown(t *testing.T) {
	m, q := newTestWindow(t, Deps{
		Clients:  newFakeClients(zoe),
		Settings: fakeSettings{err: data.ErrNotFound},
	})
	q.WaitFor(t, "the settings problem to be shown", func() bool {
		return m.clients.Notice.Visible() && strings.Contains(m.clients.Notice.Text, "clinic settings")
	})
	q.WaitFor(t, "the list despite the settings problem", func() bool {
		return m.clients.Status.Text == "1 client shown"
	})
	if got := m.window.Title(); got != "NeedleDesk" {
		t.Errorf("title = %q, want %q", got, "NeedleDesk")
	}
}
