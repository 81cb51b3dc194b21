package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"needledesk/data"
	"needledesk/ui/clients"
)

func TestWindowTitle(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "NeedleDesk",
		"  ":                 "NeedleDesk",
		"Lumen Skin Studio":  "NeedleDesk - Lumen Skin Studio",
		" Glow & Co Clinic ": "NeedleDesk - Glow & Co Clinic",
	} {
		if got := windowTitle(in); got != want {
			t.Errorf("windowTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

// waitingFinder never answers until its context ends, so the window can be
// built with the real fyne.Do without results racing the test goroutine.
type waitingFinder struct{ clients.ClientStore } // only FindClients is called

func (waitingFinder) FindClients(ctx context.Context, _ int64, _ data.ClientFilter) ([]data.ClientSummary, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestNewMainWindowWithFyneDo(t *testing.T) {
	a := test.NewTempApp(t)
	w := newMainWindow(a, Deps{Clients: waitingFinder{}}, fyne.Do).window
	defer w.Close() // cancels the search, whose result is then dropped
	if w.Title() != "NeedleDesk" {
		t.Errorf("title = %q before settings load", w.Title())
	}
}

func TestClinicThemeUsesTeal(t *testing.T) {
	th := newClinicTheme()
	if th.Color(theme.ColorNamePrimary, theme.VariantLight) != tealLight {
		t.Error("light primary is not the icon's teal")
	}
	if th.Color(theme.ColorNamePrimary, theme.VariantDark) != tealDark {
		t.Error("dark primary is not the icon's teal")
	}
	if th.Color(theme.ColorNameBackground, theme.VariantLight) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight) {
		t.Error("the background should stay Fyne's default")
	}
}
