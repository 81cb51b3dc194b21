package clients

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/widgets"
)

// contraGate is what the technician answers before treating, when the
// client's record calls for a check (data.BeforeTreating), and again
// before saving, when the session's own day or what it put on the skin
// calls for one the technician has not answered yet (data.SessionWarnings).
// Going ahead needs a written reason, kept with the session. At the start,
// not treating needs one too, kept in the audit trail; before saving, the
// technician may go back to the form instead.
type contraGate struct {
	reason       *widgets.Entry
	reasonMsg    *widget.Label
	goAhead      *widget.Button
	doNotTreat   *widget.Button // at the start only
	back         *widget.Button // before saving only
	onGoAhead    func(reason string)
	onDoNotTreat func(reason string)
	hint         string // what reasonMsg says until something is wrong
	content      fyne.CanvasObject
}

// gateWords are the texts that tell the two checks apart.
type gateWords struct {
	title, intro, reasonLabel, hint, goAhead string
}

// gateWhyNot asks for the reason when Do not treat is tapped without one.
const gateWhyNot = "Write why you are not treating today; the reason goes in the audit trail."

// newContraGate is the check before treating: Do not treat or Go ahead,
// each with a reason.
func newContraGate(clientName string, warnings []string, onGoAhead, onDoNotTreat func(reason string)) *contraGate {
	g := &contraGate{onGoAhead: onGoAhead, onDoNotTreat: onDoNotTreat}
	g.doNotTreat = &widget.Button{Text: "Do not treat", Icon: theme.CancelIcon(), Importance: widget.HighImportance, OnTapped: g.onDoNotTreatTapped}
	g.build(clientName, warnings, gateWords{
		title: "Check before treating " + clientName,
		intro: "The client's record shows the following. Talk it through with the client before going on, " +
			"then write what you decided and why.",
		reasonLabel: "Reason for your decision",
		hint: "Write a reason to go ahead or to stop here. Going ahead keeps it with the session; " +
			"not treating keeps it in the audit trail.",
		goAhead: "Go ahead",
	}, g.doNotTreat)
	return g
}

// newSaveGate is the check before saving: Back to the form, or Save
// anyway with a reason.
func newSaveGate(clientName string, warnings []string, onSave func(reason string), onBack func()) *contraGate {
	g := &contraGate{onGoAhead: onSave}
	g.back = &widget.Button{Text: "Back to the form", Icon: theme.NavigateBackIcon(), Importance: widget.HighImportance, OnTapped: onBack}
	g.build(clientName, warnings, gateWords{
		title: "Check before saving the session of " + clientName,
		intro: "The session as charted calls for a check: its day, or what it puts on the skin. " +
			"Go back to change the form, or write why the treatment went ahead; the reason is kept with the session.",
		reasonLabel: "Reason for going ahead",
		hint:        "Write a reason to save the session as it is. It is kept with the session record.",
		goAhead:     "Save anyway",
	}, g.back)
	return g
}

func (g *contraGate) build(clientName string, warnings []string, w gateWords, other *widget.Button) {
	g.reason = widgets.NewEntry(4, nil)
	g.reason.PlaceHolder = "For example: discussed with the client's doctor, who agreed in writing on …"
	g.reason.OnChanged = g.onReasonChanged
	g.hint = w.hint
	g.reasonMsg = widgets.Caption(w.hint)
	g.goAhead = &widget.Button{Text: w.goAhead, Icon: theme.ConfirmIcon(), Importance: widget.DangerImportance, OnTapped: g.onGoAheadTapped}
	g.goAhead.Disable()

	list := container.NewVBox(&widget.Label{Text: w.title, TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.DangerImportance,
		SizeName: theme.SizeNameSubHeadingText, Wrapping: fyne.TextWrapWord})
	for _, x := range warnings {
		list.Add(widgets.WarningLine(x, widget.DangerImportance))
	}
	reasonLabel := &widget.Label{Text: w.reasonLabel, TextStyle: fyne.TextStyle{Bold: true}}
	buttons := container.NewHBox(other, g.goAhead)
	body := container.NewVBox(
		widgets.Panel(theme.ColorNameError, list),
		widgets.Text(w.intro),
		reasonLabel, g.reason, g.reasonMsg,
		container.NewBorder(nil, nil, nil, buttons),
	)
	g.content = widgets.NewFormScroll(container.NewPadded(container.NewPadded(body)))
}

// onReasonChanged allows going ahead only once a reason is written.
func (g *contraGate) onReasonChanged(text string) {
	if strings.TrimSpace(text) == "" {
		g.goAhead.Disable()
		return
	}
	g.goAhead.Enable()
	if g.reasonMsg.Importance == widget.DangerImportance {
		g.reasonMsg.Importance = widget.MediumImportance
		g.reasonMsg.SetText(g.hint)
	}
}

func (g *contraGate) onGoAheadTapped() {
	reason := strings.TrimSpace(g.reason.Text)
	if reason == "" {
		return
	}
	g.onGoAhead(reason)
}

// onDoNotTreatTapped asks for the reason first when none is written.
func (g *contraGate) onDoNotTreatTapped() {
	reason := strings.TrimSpace(g.reason.Text)
	if reason == "" {
		g.reasonMsg.Importance = widget.DangerImportance
		g.reasonMsg.SetText(gateWhyNot)
		if c := fyne.CurrentApp().Driver().CanvasForObject(g.reason); c != nil {
			c.Focus(g.reason)
		}
		return
	}
	g.onDoNotTreat(reason)
}

// busy stops a second tap while a decision is being recorded.
func (g *contraGate) busy(on bool) {
	for _, b := range []*widget.Button{g.goAhead, g.doNotTreat, g.back} {
		switch {
		case b == nil:
		case on:
			b.Disable()
		case b != g.goAhead || g.typed():
			b.Enable()
		}
	}
}

// typed reports whether a reason has been written.
func (g *contraGate) typed() bool { return strings.TrimSpace(g.reason.Text) != "" }

// unanswered is the part of cur (data.SessionWarnings for the session as
// typed) not answered yet. An edited session's check as it stood counts
// as answered: a correction is asked about only for what it brings in.
func (f *sessionForm) unanswered(cur []string) []string {
	known := f.warnings
	if f.editing != nil {
		known = append(slices.Clone(known), data.SessionWarnings(f.client, *f.editing, f.catalogue, f.env.Settings)...)
	}
	var fresh []string
	for _, w := range cur {
		if !slices.Contains(known, w) {
			fresh = append(fresh, w)
		}
	}
	return fresh
}

// overrides are the warnings and the reason saved with the session: the
// warnings answered that apply to it as saved (for its day, with what it
// put on the skin), and an edited session's stored ones, which stay.
func (f *sessionForm) overrides(cur []string) ([]string, string) {
	var out []string
	for _, w := range f.warnings {
		if (slices.Contains(cur, w) || slices.Contains(f.kept, w)) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return nil, ""
	}
	return out, data.JoinReasons(f.reasons...)
}

// showSaveGate puts the check before saving in place of the form.
func (f *sessionForm) showSaveGate(fresh []string) {
	f.gate = newSaveGate(f.client.FullName(), fresh, func(reason string) {
		f.warnings = append(f.warnings, fresh...)
		f.reasons = append(f.reasons, reason)
		f.answered = true
		f.refreshBanner()
		f.showForm()
		f.save()
	}, f.showForm)
	f.body.Objects = []fyne.CanvasObject{f.gate.content}
	f.body.Refresh()
	f.env.Do(func() { f.focus(f.gate.reason) })
}

// skinFields are the inputs whose text touches the skin.
var skinFields = []string{"device", "numbing_agent", "glide_serum", "products_applied"}

// showSkinWarnings puts, under each input whose text touches the skin,
// what in it clashes with the client's allergies, as it is typed; a
// problem already shown there stays.
func (f *sessionForm) showSkinWarnings() {
	if f.numbingAgent == nil {
		return
	}
	s := data.Session{Device: f.device.Text, NumbingAgent: f.numbingAgent.Text, GlideSerum: f.glideSerum.Text, ProductsApplied: f.products.Text}
	byField := map[string][]string{}
	for _, cl := range data.SkinContactClashes(f.client, s, f.catalogue) {
		byField[cl.Field] = append(byField[cl.Field], cl.Message())
	}
	for _, name := range skinFields {
		x := f.fields.Find(name)
		if x == nil || (x.Message.Visible() && x.Message.Importance == widget.DangerImportance) {
			continue
		}
		x.SetWarning(strings.Join(byField[name], "\n"))
	}
}
