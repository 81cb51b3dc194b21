package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// contraGate is what the technician sees before the session form when the
// client has an active contraindication: the warnings, and a written reason
// required before going ahead.
type contraGate struct {
	reason     *sessionEntry
	reasonMsg  *widget.Label
	goAhead    *widget.Button
	doNotTreat *widget.Button
	onGoAhead  func(reason string)
	content    fyne.CanvasObject
}

func newContraGate(clientName string, warnings []string, onGoAhead func(reason string), onDoNotTreat func()) *contraGate {
	g := &contraGate{onGoAhead: onGoAhead}
	g.reason = newSessionEntry(4, nil)
	g.reason.PlaceHolder = "For example: discussed with the client's doctor, who agreed in writing on …"
	g.reason.OnChanged = g.onReasonChanged
	g.reasonMsg = sessionCaption("Write a reason to go ahead. It is kept with the session record.")
	g.goAhead = &widget.Button{Text: "Go ahead", Icon: theme.ConfirmIcon(), Importance: widget.DangerImportance, OnTapped: g.onGoAheadTapped}
	g.goAhead.Disable()
	g.doNotTreat = &widget.Button{Text: "Do not treat", Icon: theme.CancelIcon(), Importance: widget.HighImportance, OnTapped: onDoNotTreat}

	list := container.NewVBox(&widget.Label{Text: "Check before treating " + clientName, TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.DangerImportance, SizeName: theme.SizeNameSubHeadingText})
	for _, w := range warnings {
		list.Add(sessionWarningLine(w, widget.DangerImportance))
	}
	intro := sessionText("The client's record shows the following. Talk it through with the client before going on. " +
		"If you decide to treat today, write down why; the reason is kept with the session.")
	reasonLabel := &widget.Label{Text: "Reason for going ahead", TextStyle: fyne.TextStyle{Bold: true}}
	buttons := container.NewHBox(g.doNotTreat, g.goAhead)
	body := container.NewVBox(
		sessionPanel(theme.ColorNameError, list),
		intro,
		reasonLabel, g.reason, g.reasonMsg,
		container.NewBorder(nil, nil, nil, buttons),
	)
	g.content = newFormScroll(container.NewPadded(container.NewPadded(body)))
	return g
}

// onReasonChanged allows going ahead only once a reason is written.
func (g *contraGate) onReasonChanged(text string) {
	if strings.TrimSpace(text) == "" {
		g.goAhead.Disable()
		return
	}
	g.goAhead.Enable()
}

func (g *contraGate) onGoAheadTapped() {
	reason := strings.TrimSpace(g.reason.Text)
	if reason == "" {
		return
	}
	g.onGoAhead(reason)
}

// typed reports whether a reason has been written.
func (g *contraGate) typed() bool { return strings.TrimSpace(g.reason.Text) != "" }
