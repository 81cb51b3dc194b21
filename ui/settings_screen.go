package ui

// TEMPORARY scaffold: replaced by the real Settings screen.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

type settingsScreen struct{ content fyne.CanvasObject }

func newSettingsScreen(env *appEnv) *settingsScreen {
	return &settingsScreen{content: widget.NewLabel("settings")}
}

func (s *settingsScreen) hasUnsaved() bool { return false }

func showWelcome(env *appEnv, onDone func()) {}
