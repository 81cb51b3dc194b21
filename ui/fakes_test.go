package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
)

// fakeClients is an in-memory ClientFinder. It records every search and
// can hold searches for chosen texts until the test releases them.
type fakeClients struct {
	ClientStore // only FindClients is called; the rest stay nil
	mu          sync.Mutex
	clients     []data.ClientSummary
	err         error
	searches    []string
	gates       map[string]chan struct{}
	started     chan string
}

func newFakeClients(cs ...data.ClientSummary) *fakeClients {
	return &fakeClients{clients: cs, gates: map[string]chan struct{}{}, started: make(chan string, 100)}
}

// hold makes searches for text wait until the returned function is called.
// Held searches ignore cancellation, so the screen must itself drop stale
// results.
func (f *fakeClients) hold(text string) (release func()) {
	gate := make(chan struct{})
	f.mu.Lock()
	f.gates[text] = gate
	f.mu.Unlock()
	return func() { close(gate) }
}

func (f *fakeClients) FindClients(ctx context.Context, _ int64, filter data.ClientFilter) ([]data.ClientSummary, error) {
	f.mu.Lock()
	f.searches = append(f.searches, filter.Text)
	gate := f.gates[filter.Text]
	err := f.err
	f.mu.Unlock()
	f.started <- filter.Text
	if gate != nil {
		<-gate
	} else if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	want := data.FoldForSearch(filter.Text)
	var out []data.ClientSummary
	for _, c := range f.clients {
		hay := data.FoldForSearch(strings.Join([]string{c.GivenName, c.FamilyName, c.Phone, c.Email}, " "))
		if strings.Contains(hay, want) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fakeClients) searchCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.searches)
}

// fakeSettings is an in-memory settings store that never saves.
type fakeSettings struct {
	data.SettingsStore
	s   data.Settings
	err error
}

func (f fakeSettings) Settings(context.Context, int64) (data.Settings, error) { return f.s, f.err }
func (f fakeSettings) SignInSettings(context.Context) (data.SignInSettings, error) {
	return f.s.SignIn(), f.err
}

// uiQueue stands in for fyne.Do: background goroutines queue their UI work
// and the test goroutine runs it, so the test goroutine is the only one that
// ever touches widgets, as the UI goroutine is in the real app.
type uiQueue chan func()

func newUIQueue() uiQueue { return make(uiQueue, 100) }

func (q uiQueue) do(fn func()) { q <- fn }

const waitLimit = 5 * time.Second

// waitFor runs queued UI work until cond holds, failing the test with a
// description of what never happened if it does not hold within waitLimit.
func (q uiQueue) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for !cond() {
		select {
		case fn := <-q:
			fn()
		case <-deadline.C:
			t.Fatalf("gave up after %v waiting for %s", waitLimit, what)
		}
	}
}

// runNext runs the next piece of queued UI work, waiting for it if needed.
func (q uiQueue) runNext(t *testing.T) {
	t.Helper()
	select {
	case fn := <-q:
		fn()
	case <-time.After(waitLimit):
		t.Fatalf("gave up after %v waiting for a result to reach the UI", waitLimit)
	}
}

// waitStarted waits until the fake has received a search for text.
func waitStarted(t *testing.T, f *fakeClients, text string) {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		select {
		case got := <-f.started:
			if got == text {
				return
			}
		case <-deadline:
			t.Fatalf("gave up after %v waiting for a search for %q", waitLimit, text)
		}
	}
}

// shownNames lists the names in the client rows currently laid out.
func shownNames(w fyne.Window) []string {
	var names []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if r, ok := o.(*clientRow); ok && r.Visible() && r.name.Text != "" {
			names = append(names, r.name.Text)
		}
	}
	return names
}

func sameNames(got []string, want ...string) bool {
	return strings.Join(got, "|") == strings.Join(want, "|")
}

var (
	zoe = data.ClientSummary{
		ID: 1, GivenName: "Zoë", FamilyName: "Adams", DateOfBirth: data.NewDate(1990, time.January, 2),
		Phone: "+44 20 7946 0958", Email: "zoe@example.com",
		LastSession: time.Date(2026, time.March, 10, 12, 0, 0, 0, time.UTC),
	}
	lukasz = data.ClientSummary{
		ID: 2, GivenName: "Łukasz", FamilyName: "Nowak", DateOfBirth: data.NewDate(1985, time.July, 14),
		Phone: "+48 22 123 4567", Email: "lukasz@example.pl",
	}
	zara = data.ClientSummary{
		ID: 3, GivenName: "Zara", FamilyName: "Okafor", DateOfBirth: data.NewDate(2001, time.November, 30),
		Phone: "+1 555 010 9999", Email: "zara@example.com",
	}
)
