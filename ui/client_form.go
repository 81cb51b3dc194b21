package ui

// TEMPORARY scaffold: replaced by the real client form.

import (
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

func newClientForm(env *appEnv, c data.Client, onSaved func(data.Client)) *page {
	return &page{title: "Client", content: widget.NewLabel("client form")}
}
