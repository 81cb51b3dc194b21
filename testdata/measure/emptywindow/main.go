// Command emptywindow is the yardstick for testdata/measure/app.sh: an
// empty Fyne window (a label, an entry and a button) built from
// NeedleDesk's go.mod and started the same way, so the app's start and
// memory can be read beside what Fyne itself costs on the same machine.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("com.needledesk.emptywindow")
	w := a.NewWindow("Empty window")
	entry := widget.NewEntry()
	label := widget.NewLabel("A label")
	w.SetContent(container.NewVBox(label, entry, widget.NewButton("A button", func() { label.SetText(entry.Text) })))
	w.Resize(fyne.NewSize(1180, 760))
	w.ShowAndRun()
}
