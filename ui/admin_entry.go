package ui

import (
	"fmt"
	"needledesk/ui/dialogs"
	"needledesk/ui/widgets"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// newAdminEntry makes a text field of the owner's screens (products,
// settings, staff, welcome): a one-line one also saves on Enter; onChange
// runs on every edit; either may be nil.
func newAdminEntry(rows int, onSave, onChange func()) *widgets.Entry {
	e := widgets.NewEntry(rows, onSave)
	if rows <= 1 && onSave != nil {
		e.OnSubmitted = func(string) { onSave() }
	}
	if onChange != nil {
		e.OnChanged = func(string) { onChange() }
	}
	return e
}

// adminHeading is a screen's title.
func adminHeading(text string) *widget.Label {
	return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
}

// adminSummary is the line under a form for problems no field claims, and
// for "saved" notes.
func adminSummary() *widget.Label {
	l := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	l.Hide()
	return l
}

// setAdminSummary shows msg with the given importance, or hides the line.
func setAdminSummary(l *widget.Label, msg string, imp widget.Importance) {
	l.Importance = imp
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// adminActorOK reports whether a write can be recorded under someone. With
// nobody chosen in the bar at the top it says so and returns false, unless
// the clinic has no staff yet (firstStaff), when NeedleDesk itself is
// recorded as the author.
func adminActorOK(env *appEnv, firstStaff bool) bool {
	if env.ActorID() != 0 || firstStaff {
		return true
	}
	msg := &widget.Label{Text: "Choose who is working in the bar at the top of the window first. " +
		"Every change is recorded under the name of the person who made it.", Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustom("Who is working?", "OK", msg, env.Window)
	d.Resize(fyne.NewSize(440, 180))
	dialogs.ShowDialog(env.Window, d, d.Hide)
	return false
}

// adminFocus puts the keyboard focus on o, which must be in the window's
// content or one of its dialogs.
func adminFocus(env *appEnv, o fyne.Focusable) {
	if env.Window != nil {
		env.Window.Canvas().Focus(o)
	}
}

// adminCount is "1 client", "3 clients".
func adminCount(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// adminSection is a card with a bold heading, a line of help under it and
// its content: calmer than a Card's own large title.
func adminSection(title, subtitle string, content fyne.CanvasObject) fyne.CanvasObject {
	head := []fyne.CanvasObject{&widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}}
	if subtitle != "" {
		head = append(head, widgets.Caption(subtitle))
	}
	return widget.NewCard("", "", container.NewVBox(container.New(&tightVBox{}, head...), content))
}

// adminColumn lays top, center and bottom out as a Border layout does,
// but keeps them in reading order so Tab moves from the controls at the
// top into the list and then to the buttons below.
func adminColumn(top, center, bottom fyne.CanvasObject) *fyne.Container {
	objs := []fyne.CanvasObject{}
	for _, o := range []fyne.CanvasObject{top, center, bottom} {
		if o != nil {
			objs = append(objs, o)
		}
	}
	return container.New(layout.NewBorderLayout(top, bottom, nil, nil), objs...)
}
