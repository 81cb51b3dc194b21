package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

// actorPreference remembers who worked last on this computer.
const actorPreference = "actor_id"

// staffBar is the strip above the screens saying who is working: every
// change made in the app is recorded under that person. (Sign-in with
// passwords replaces the free choice in a later version.)
type staffBar struct {
	env     *appEnv
	prefs   fyne.Preferences
	staff   []data.Staff
	picker  *widget.Select
	hint    *widget.Label
	content fyne.CanvasObject
}

func newStaffBar(env *appEnv, prefs fyne.Preferences) *staffBar {
	b := &staffBar{env: env, prefs: prefs}
	b.picker = &widget.Select{PlaceHolder: "Choose your name", OnChanged: b.onPicked}
	b.hint = &widget.Label{Importance: widget.WarningImportance}
	b.hint.Hide()
	label := &widget.Label{Text: "Working as", TextStyle: fyne.TextStyle{Bold: true}}
	right := container.NewHBox(b.hint, widget.NewIcon(theme.AccountIcon()), label, container.NewGridWrap(fyne.NewSize(240, 36), b.picker))
	b.content = container.NewVBox(container.NewBorder(nil, nil, nil, right), widget.NewSeparator())
	return b
}

// reload reads the active staff in the background.
func (b *staffBar) reload() {
	if b.env.deps.Staff == nil {
		return
	}
	background(b.env, func(ctx context.Context) ([]data.Staff, error) {
		return b.env.deps.Staff.StaffList(ctx, false)
	}, b.apply)
}

func (b *staffBar) apply(staff []data.Staff, err error) {
	if err != nil {
		b.env.showError("Could not read the staff list", err)
		return
	}
	b.staff = staff
	names := make([]string, len(staff))
	for i, s := range staff {
		names[i] = s.Name + " (" + s.Role.Label() + ")"
	}
	b.picker.SetOptions(names)
	if len(staff) == 0 {
		b.hint.SetText("Add the clinic's staff in Settings")
		b.hint.Show()
		b.picker.ClearSelected()
		b.env.actor = data.Staff{}
		return
	}
	b.hint.Hide()
	want := int64(b.prefs.Int(actorPreference))
	if b.env.actor.ID != 0 {
		want = b.env.actor.ID
	}
	for i, s := range staff {
		if s.ID == want {
			b.picker.SetSelectedIndex(i)
			return
		}
	}
	b.picker.SetSelectedIndex(0)
}

func (b *staffBar) onPicked(string) {
	i := b.picker.SelectedIndex()
	if i < 0 || i >= len(b.staff) {
		return
	}
	b.env.actor = b.staff[i]
	b.prefs.SetInt(actorPreference, int(b.staff[i].ID))
}
