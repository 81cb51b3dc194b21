package ui

import (
	"context"
	"errors"
	"fmt"
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
	q.WaitFor(t, "the first client list", func() bool { return m.clients.status.Text == "1 client shown" })
	if got := m.window.Title(); got != "NeedleDesk" {
		t.Fatalf("title = %q, want %q", got, "NeedleDesk")
	}
}

func TestInitialListShowsAllClients(t *testing.T) {
	m, q := newTestWindow(t, Deps{Clients: newFakeClients(zoe, lukasz, zara)})
	q.WaitFor(t, "three clients in the list", func() bool {
		return sameNames(shownNames(m.window), "Zoë Adams", "Łukasz Nowak", "Zara Okafor")
	})
	if got := m.clients.status.Text; got != "3 clients shown" {
		t.Fatalf("status = %q, want %q", got, "3 clients shown")
	}
}

func TestRowsUseTheClinicDateFormat(t *testing.T) {
	st := data.DefaultSettings()
	st.DateFormat = "2 Jan 2006"
	m, q := newTestWindow(t, Deps{Clients: newFakeClients(zoe, lukasz), Settings: fakeSettings{s: st}})
	q.WaitFor(t, "the list with the clinic's settings", func() bool {
		return m.clients.status.Text == "2 clients shown" && m.clients.settings.DateFormat == st.DateFormat
	})
	row := newClientRow().(*clientRow)
	m.clients.updateRow(0, row)
	if want := "Born 2 Jan 1990  ·  +44 20 7946 0958  ·  zoe@example.com"; row.details.Text != want {
		t.Errorf("details = %q, want %q", row.details.Text, want)
	}
	if want := "Last session 10 Mar 2026"; row.last.Text != want {
		t.Errorf("last session = %q, want %q", row.last.Text, want)
	}
	m.clients.updateRow(1, row)
	if want := "No sessions yet"; row.last.Text != want {
		t.Errorf("never treated: last session = %q, want %q", row.last.Text, want)
	}
}

func TestTypingNarrowsTheList(t *testing.T) {
	fake := newFakeClients(zoe, lukasz, zara)
	m, q := newTestWindow(t, Deps{Clients: fake})
	q.WaitFor(t, "the first client list", func() bool { return m.clients.status.Text == "3 clients shown" })
	before := fake.searchCount()

	test.Type(m.clients.search, "adams")
	q.WaitFor(t, "only Zoë Adams to be listed", func() bool {
		return sameNames(shownNames(m.window), "Zoë Adams") && m.clients.status.Text == "1 client shown"
	})
	if n := fake.searchCount() - before; n >= len("adams") {
		t.Errorf("typing 5 letters ran %d searches; the debounce should run fewer", n)
	}

	test.Type(m.clients.search, "x")
	q.WaitFor(t, "an empty list", func() bool {
		return len(shownNames(m.window)) == 0 && m.clients.status.Text == "No clients match"
	})
}

func TestSearchIgnoresAccents(t *testing.T) {
	m, q := newTestWindow(t, Deps{Clients: newFakeClients(zoe, lukasz, zara)})
	test.Type(m.clients.search, "lukasz")
	q.WaitFor(t, "Łukasz found by typing lukasz", func() bool {
		return sameNames(shownNames(m.window), "Łukasz Nowak")
	})
}

func TestStaleResultsAreIgnored(t *testing.T) {
	fake := newFakeClients(zoe, lukasz, zara)
	m, q := newTestWindow(t, Deps{Clients: fake})
	q.WaitFor(t, "the first client list", func() bool { return m.clients.status.Text == "3 clients shown" })

	release := fake.hold("z")
	test.Type(m.clients.search, "z")
	waitStarted(t, fake, "z") // the slow search is now in flight
	test.Type(m.clients.search, "oe")
	q.WaitFor(t, "the newer search's result", func() bool {
		return sameNames(shownNames(m.window), "Zoë Adams")
	})

	release()
	q.RunNext(t) // the slow search's result reaches the UI
	if got := shownNames(m.window); !sameNames(got, "Zoë Adams") {
		t.Fatalf("a stale result replaced the list: %q", got)
	}
	if got := m.clients.status.Text; got != "1 client shown" {
		t.Fatalf("status = %q after a stale result", got)
	}
}

func TestLoadErrorIsShownInPlainWords(t *testing.T) {
	fake := newFakeClients(zoe)
	fake.err = errors.New("database is locked")
	m, q := newTestWindow(t, Deps{Clients: fake})
	q.WaitFor(t, "an error in the status line", func() bool {
		return strings.HasPrefix(m.clients.status.Text, "Could not load clients.")
	})
	if !strings.Contains(m.clients.status.Text, "database is locked") {
		t.Errorf("status %q does not say what went wrong", m.clients.status.Text)
	}
}

func TestSlowDatabaseIsExplained(t *testing.T) {
	fake := newFakeClients(zoe)
	fake.err = fmt.Errorf("finding clients: %w", context.DeadlineExceeded)
	m, q := newTestWindow(t, Deps{Clients: fake})
	q.WaitFor(t, "an error in the status line", func() bool {
		return strings.HasPrefix(m.clients.status.Text, "Could not load clients.")
	})
	if !strings.Contains(m.clients.status.Text, "did not answer in time") {
		t.Errorf("status %q does not explain the timeout", m.clients.status.Text)
	}
}

func TestSettingsErrorIsShown(t *testing.T) {
	m, q := newTestWindow(t, Deps{
		Clients:  newFakeClients(zoe),
		Settings: fakeSettings{err: data.ErrNotFound},
	})
	q.WaitFor(t, "the settings problem to be shown", func() bool {
		return m.clients.notice.Visible() && strings.Contains(m.clients.notice.Text, "clinic settings")
	})
	q.WaitFor(t, "the list despite the settings problem", func() bool {
		return m.clients.status.Text == "1 client shown"
	})
	if got := m.window.Title(); got != "NeedleDesk" {
		t.Errorf("title = %q, want %q", got, "NeedleDesk")
	}
}

func TestCountText(t *testing.T) {
	for _, c := range []struct {
		n         int
		searching bool
		want      string
	}{
		{0, false, "No clients yet"},
		{0, true, "No clients match"},
		{1, true, "1 client shown"},
		{42, false, "42 clients shown"},
	} {
		if got := countText(c.n, c.searching); got != c.want {
			t.Errorf("countText(%d, %v) = %q, want %q", c.n, c.searching, got, c.want)
		}
	}
	if got := countText(clientPageSize, false); !strings.HasPrefix(got, "First ") {
		t.Errorf("a full page says %q; it should say only the first clients are shown", got)
	}
}

func TestInitials(t *testing.T) {
	for name, want := range map[string]string{
		"Zoë Adams":          "ZA",
		"Łukasz Nowak":       "ŁN",
		"José María Álvarez": "JÁ",
		"Cher":               "C",
		"":                   "?",
		"  ":                 "?",
	} {
		if got := initials(name); got != want {
			t.Errorf("initials(%q) = %q, want %q", name, got, want)
		}
	}
}
