package ui

// TEMPORARY scaffold: replaced by the real Due back screen.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

type dueBackScreen struct{ content fyne.CanvasObject }

func newDueBackScreen(env *appEnv, open func(id int64)) *dueBackScreen {
	return &dueBackScreen{content: widget.NewLabel("due back")}
}
