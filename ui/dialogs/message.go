package dialogs

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

// ShowPlainError explains a failure in a window that has no screens yet.
func ShowPlainError(w fyne.Window, title string, err error) {
	ShowPlainMessage(w, title, data.UserMessage(err))
}

// ShowPlainMessage tells something in a window that may have no screens.
func ShowPlainMessage(w fyne.Window, title, message string) {
	msg := &widget.Label{Text: message, Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustom(title, "OK", msg, w)
	d.Resize(fyne.NewSize(460, 200))
	ShowDialog(w, d, d.Hide)
}
