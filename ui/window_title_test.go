package ui

import (
	"context"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/ui/uitest"
	"needledesk/ui/widgets"
)

// nameClinic gives the clinic at path a name, as the owner would.
func nameClinic(t *testing.T, path, name string) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), path, sqlite.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Settings(t.Context(), data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	s.ClinicName = name
	if err := st.SaveSettings(t.Context(), data.SystemActor, &s); err != nil {
		t.Fatal(err)
	}
}

// waitTitle waits until the window's title is want.
func waitTitle(t *testing.T, q uitest.Queue, w fyne.Window, want string) {
	t.Helper()
	q.WaitFor(t, "the window title "+want+" (it is "+w.Title()+")", func() bool { return w.Title() == want })
}

// welcomeEntries are the entries of the welcome dialog, in order: clinic,
// name, password, repeat.
func welcomeEntries(t *testing.T, w fyne.Window) []*widget.Entry {
	t.Helper()
	var out []*widget.Entry
	uitest.Walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		switch e := o.(type) {
		case *widgets.Entry:
			out = append(out, &e.Entry)
		case *widget.Entry:
			out = append(out, e)
		}
	})
	if len(out) != 4 {
		t.Fatalf("the welcome shows %d entries, want 4", len(out))
	}
	return out
}

func TestWindowTitleNamesTheClinicAfterTheWelcome(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	l, q, w := startLauncher(t, testClinic(t, path))
	q.WaitFor(t, "the welcome", func() bool { return l.main != nil && w.Canvas().Overlays().Top() != nil })
	if w.Title() != "NeedleDesk" {
		t.Errorf("before the clinic has a name the title is %q", w.Title())
	}
	es := welcomeEntries(t, w)
	for i, text := range []string{"Glow & Co Clinic", "Ana Souza", "glow-and-co-2026", "glow-and-co-2026"} {
		es[i].SetText(text)
	}
	test.Tap(uitest.Button(t, w, "Get started"))
	waitTitle(t, q, w, "NeedleDesk - Glow & Co Clinic")
}

func TestWindowTitleFollowsTheSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	owner := seedClinic(t, path)
	nameClinic(t, path, "Lumen Skin Studio")
	l, q, w := startLauncher(t, testClinic(t, path))
	waitTitle(t, q, w, "NeedleDesk - Lumen Skin Studio")
	l.main.signedIn(owner)
	s := l.main.settings
	q.WaitFor(t, "the settings to load", func() bool { return s.Ready })
	var name *widget.Entry
	uitest.Walk(s.Content, func(o fyne.CanvasObject) {
		if f, ok := o.(fyne.Focusable); ok && name == nil {
			if e := widgets.AsEntry(f); e != nil && e.Text == "Lumen Skin Studio" {
				name = e
			}
		}
	})
	name.SetText("Lumen Skin Studio Brighton") // the clinic's name, in the settings form
	s.Save()
	waitTitle(t, q, w, "NeedleDesk - Lumen Skin Studio Brighton")
}

func TestWindowTitleNamesTheRestoredClinic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "clinic.db")
	owner := seedClinic(t, path)
	nameClinic(t, path, "Old Name Clinic")
	st, err := sqlite.Open(t.Context(), path, sqlite.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "old.db")
	if err := st.Backup(t.Context(), owner.ID, backup, sqlite.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	nameClinic(t, path, "New Name Clinic")

	l, q, w := startLauncher(t, testClinic(t, path))
	waitTitle(t, q, w, "NeedleDesk - New Name Clinic")
	l.main.signedIn(owner)
	q.WaitFor(t, "the settings to load", func() bool { return l.main.settings.Ready })
	l.main.settings.ConfirmRestore(backup, nil)
	test.Tap(uitest.Button(t, w, "Restore"))
	waitTitle(t, q, w, "NeedleDesk - Old Name Clinic")
}

// TestWindowTitleNamesTheClinicWhileItOpens starts NeedleDesk a second
// time on the same clinic: the title names the clinic from the start,
// while the database is still being checked, not only once it is open.
func TestWindowTitleNamesTheClinicWhileItOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	seedClinic(t, path)
	nameClinic(t, path, "Lumen Skin Studio")
	l, q, w := startLauncher(t, testClinic(t, path))
	waitTitle(t, q, w, "NeedleDesk - Lumen Skin Studio")
	l.main.stopAll()

	clinic := testClinic(t, path)
	checking, release := make(chan struct{}), make(chan struct{})
	check := clinic.Check
	clinic.Check = func(ctx context.Context) error {
		close(checking)
		<-release
		return check(ctx)
	}
	w2 := test.NewWindow(nil)
	defer w2.Close()
	l2 := newLauncher(t.Context(), fyne.CurrentApp(), w2, clinic, q.Do)
	l2.start()
	<-checking
	if got := w2.Title(); got != "NeedleDesk - Lumen Skin Studio" {
		t.Errorf("while the clinic opens the title is %q", got)
	}
	close(release)
	q.WaitFor(t, "the clinic to open", func() bool { return l2.main != nil })
	l2.main.stopAll()
	l2.shutdown()

	other := testClinic(t, filepath.Join(t.TempDir(), "other.db"))
	w3 := test.NewWindow(nil)
	defer w3.Close()
	l3 := newLauncher(t.Context(), fyne.CurrentApp(), w3, other, q.Do)
	l3.start()
	if got := w3.Title(); got != "NeedleDesk" {
		t.Errorf("another database's window is titled %q before it opens", got)
	}
	q.WaitFor(t, "the other clinic to open", func() bool { return l3.main != nil })
	l3.main.stopAll()
	l3.shutdown()
}
