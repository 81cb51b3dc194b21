package dialogs

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// Fyne 2.7's dialogs take no keys: a message could only be closed with
// the mouse, or by tabbing to its button. Every dialog NeedleDesk shows
// goes through showDialog, so the keyboard can answer the one on top:
// Escape closes it as its Cancel or Close button would, and Enter presses
// its main button where it has one that is safe to press (OK on a
// message). Inside a dialog the keys reach the window's canvas unless a
// field of the dialog has the focus, which keeps them for itself.

// keyedDialog is a dialog on show and what Enter does in it (nil: nothing).
type keyedDialog struct {
	d     dialog.Dialog
	enter func()
}

// windowDialogs are the dialogs on show in one window, newest last.
type windowDialogs struct {
	open []*keyedDialog
}

// dialogsByWindow holds each window's open dialogs; read and written only
// on the UI goroutine.
var dialogsByWindow = map[fyne.Window]*windowDialogs{}

// ShowDialog shows d in w; Escape closes it and Enter runs enter (when not
// nil) while it is the newest dialog on show.
func ShowDialog(w fyne.Window, d dialog.Dialog, enter func()) {
	wd := dialogsByWindow[w]
	if wd == nil {
		wd = &windowDialogs{}
		dialogsByWindow[w] = wd
		w.Canvas().SetOnTypedKey(wd.typedKey)
	}
	kd := &keyedDialog{d: d, enter: enter}
	wd.open = append(wd.open, kd)
	// Fyne 2.7 appends close callbacks, so this adds to the caller's own.
	d.SetOnClosed(func() { wd.closed(kd) })
	d.Show()
}

func (wd *windowDialogs) closed(kd *keyedDialog) {
	for i, o := range wd.open {
		if o == kd {
			wd.open = append(wd.open[:i], wd.open[i+1:]...)
			return
		}
	}
}

// typedKey answers Escape and Enter for the newest dialog on show.
func (wd *windowDialogs) typedKey(ev *fyne.KeyEvent) {
	if len(wd.open) == 0 {
		return
	}
	top := wd.open[len(wd.open)-1]
	switch ev.Name {
	case fyne.KeyEscape:
		top.d.Hide()
	case fyne.KeyReturn, fyne.KeyEnter:
		if top.enter != nil {
			top.enter()
		}
	}
}
