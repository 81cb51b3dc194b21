package admin

import (
	"needledesk/ui/dialogs"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// adminActorOK reports whether a write can be recorded under someone. With
// nobody chosen in the bar at the top it says so and returns false, unless
// the clinic has no staff yet (firstStaff), when NeedleDesk itself is
// recorded as the author.
func adminActorOK(env *areaEnv, firstStaff bool) bool {
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
