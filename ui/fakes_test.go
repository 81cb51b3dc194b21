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
	"needledesk/ui/clients"
	"needledesk/ui/uitest"
)

// fakeClients is an in-memory ClientFinder. It records every search and
// can hold searches for chosen texts until the test releases them.
type fakeClients struct {
	clients.ClientStore // only FindClients is called; the rest stay nil
	mu                  sync.Mutex
	clients             []data.ClientSummary
	err                 error
	searches            []string
	gates               map[string]chan struct{}
	started             chan string
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

// waitStarted waits until the fake has received a search for text.
func waitStarted(t *testing.T, f *fakeClients, text string) {
	t.Helper()
	deadline := time.After(uitest.WaitLimit)
	for {
		select {
		case got := <-f.started:
			if got == text {
				return
			}
		case <-deadline:
			t.Fatalf("gave up after %v waiting for a search for %q", uitest.WaitLimit, text)
		}
	}
}

// shownNames lists the names in the client rows currently laid out.
func shownNames(w fyne.Window) []string {
	var names []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if r, ok := o.(interface{ ClientName() string }); ok && o.Visible() && r.ClientName() != "" {
			names = append(names, r.ClientName())
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
