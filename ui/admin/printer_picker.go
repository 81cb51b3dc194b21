package admin

import (
	"errors"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/data/printing"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// printerDefaultOption is the choice that leaves the printer to the
// computer.
const printerDefaultOption = "System default"

// printerPicker is the Settings choice of the printer sheets go to: the
// system's default, or one of the printers the print service lists. A
// printer chosen before and gone since stays offered, marked, so opening
// the settings never changes the choice by itself.
type printerPicker struct {
	env      *areaEnv
	choice   *widget.Select
	note     *widget.Label
	again    *widget.Button
	field    *widgets.Field
	content  fyne.CanvasObject
	printers printing.Printers
	listed   bool              // the print service has answered at least once
	names    map[string]string // option shown -> printer name ("" for the default)
	gen      int
}

func newPrinterPicker(env *areaEnv, onChange func()) *printerPicker {
	p := &printerPicker{env: env, names: map[string]string{printerDefaultOption: ""}}
	p.choice = &widget.Select{Options: []string{printerDefaultOption}, Selected: printerDefaultOption,
		OnChanged: func(string) { onChange() }}
	p.note = widgets.Caption("")
	p.note.Hide()
	p.again = &widget.Button{Text: "Look again", Icon: theme.ViewRefreshIcon(), Importance: widget.LowImportance, OnTapped: p.load}
	p.field = widgets.NewField("printer", "Printer", container.NewBorder(nil, nil, nil, p.again, p.choice))
	p.content = container.NewVBox(p.field.Box, p.note)
	return p
}

// load asks the print service for its printers in the background.
func (p *printerPicker) load() {
	p.gen++
	gen, out := p.gen, p.env.deps.output()
	p.again.Disable()
	screen.Background(p.env.Env, out.Printers, func(list printing.Printers, err error) {
		if gen != p.gen {
			return
		}
		p.again.Enable()
		p.printers, p.listed = list, true
		p.offer(p.selected())
		p.explain(err)
	})
}

// explain says what the list means when it is not simply the printers.
func (p *printerPicker) explain(err error) {
	msg := ""
	switch {
	case errors.Is(err, printing.ErrNoPrintService):
		msg = "This computer has no print service (CUPS' lp command), so Print opens each sheet in your PDF viewer to print from there."
	case err != nil:
		msg = "Could not list the printers: " + data.UserMessage(err)
	case len(p.printers.Names) == 0:
		msg = "The print service knows no printers yet. Add the printer in the computer's own settings, then press Look again."
	}
	p.note.SetText(msg)
	if msg == "" {
		p.note.Hide()
	} else {
		p.note.Show()
	}
}

// offer lists the printers and selects name ("" for the system default).
// It does not count as a change.
func (p *printerPicker) offer(name string) {
	def := printerDefaultOption
	if p.printers.Default != "" {
		def += " (" + p.printers.Default + ")"
	}
	p.names = map[string]string{def: ""}
	opts := []string{def}
	for _, n := range p.printers.Names {
		p.names[n] = n
		opts = append(opts, n)
	}
	selected := def
	if name != "" {
		selected = name
		if !slices.Contains(p.printers.Names, name) {
			selected = name + " (not found on this computer)"
			if !p.listed {
				selected = name
			}
			p.names[selected] = name
			opts = append(opts, selected)
		}
	}
	p.choice.Options = opts
	p.choice.Selected = selected
	p.choice.Refresh()
}

// selected is the printer chosen: "" for the system default.
func (p *printerPicker) selected() string { return p.names[p.choice.Selected] }
