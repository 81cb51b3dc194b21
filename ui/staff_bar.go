package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

// actorPreference remembers who signed in last on this computer, so the
// sign-in screen offers that name first.
const actorPreference = "actor_id"

// staffBar is the strip above the screens saying who is signed in, with
// the ways to step away: lock the screen, or let someone else sign in.
type staffBar struct {
	who      *widget.Label
	password *widget.Button
	lock     *widget.Button
	switchU  *widget.Button
	content  fyne.CanvasObject
}

func newStaffBar(onPassword, onLock, onSwitch func()) *staffBar {
	b := &staffBar{}
	b.who = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	b.password = &widget.Button{Text: "Password", Icon: theme.AccountIcon(), Importance: widget.LowImportance, OnTapped: onPassword}
	b.lock = &widget.Button{Text: "Lock (Ctrl+L)", Icon: theme.VisibilityOffIcon(), Importance: widget.LowImportance, OnTapped: onLock}
	b.switchU = &widget.Button{Text: "Switch user", Icon: theme.LogoutIcon(), Importance: widget.LowImportance, OnTapped: onSwitch}
	right := container.NewHBox(widget.NewIcon(theme.AccountIcon()), b.who, b.password, b.lock, b.switchU)
	b.content = container.NewVBox(container.NewBorder(nil, nil, nil, right, layout.NewSpacer()), widget.NewSeparator())
	return b
}

// show names the person signed in.
func (b *staffBar) show(st data.Staff) {
	b.who.SetText(st.Name + " · " + st.Role.Label())
}
