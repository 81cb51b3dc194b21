package ui

// TEMPORARY scaffold: replaced by the real session form.

import (
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

func newSessionForm(env *appEnv, stack *pageStack, client data.Client) *page {
	return &page{title: "New session", content: widget.NewLabel("session form")}
}

func newAftercarePage(env *appEnv, stack *pageStack, sessionID int64) *page {
	return &page{title: "Aftercare", content: widget.NewLabel("aftercare")}
}
