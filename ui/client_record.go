package ui

// TEMPORARY scaffold: replaced by the real client record.

import "fyne.io/fyne/v2/widget"

func newClientRecord(env *appEnv, stack *pageStack, id int64) *page {
	return &page{title: "Client", content: widget.NewLabel("client record")}
}
