package clients

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/dialogs"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// openSessionEditForm opens a session already charted, to correct or
// complete it. The contraindications shown and the reason given when it
// was charted stay with it; saving checks again only what the correction
// brings in (sessionForm.unanswered). Saving after the treatment day keeps
// the version as it stood, with who changed it and when (an amendment).
func openSessionEditForm(env *areaEnv, stack *screen.Stack, client data.Client, s data.Session) *sessionForm {
	f := &sessionForm{env: env, stack: stack, client: client, body: container.NewStack(), editing: &s,
		warnings: slices.Clone(s.Warnings), kept: s.Warnings, reasons: []string{s.OverrideReason}}
	f.afterSave = func(data.Session) {
		if f.stack.Top() == f.page {
			f.stack.PopNow()
		}
	}
	day := env.Settings.FormatDate(data.DateOf(s.StartedAt.Local()))
	f.page = &screen.Page{Title: "Edit session of " + day + " · " + client.FullName(), Content: f.body, Dirty: f.dirty}
	f.openForm()
	return f
}

// fillFrom shows a stored session in the inputs.
func (f *sessionForm) fillFrom(s data.Session) {
	st := f.env.Settings
	at := s.StartedAt.Local()
	f.startDate.SetText(st.FormatDate(data.DateOf(at)))
	f.startTime.SetText(at.Format("15:04"))
	f.device.SetText(s.Device)
	f.needleLot.SetText(s.NeedleLot)
	f.passes.SetText(countText0(s.Passes))
	f.numbingAgent.SetText(s.NumbingAgent)
	f.numbingMinutes.SetText(countText0(s.NumbingMinutes))
	f.glideSerum.SetText(s.GlideSerum)
	f.reaction.SetText(s.Reaction)
	f.products.SetText(s.ProductsApplied)
	f.notes.SetText(s.Notes)
	f.aftercareNotes.SetText(s.AftercareNotes)
	if !s.NextDue.IsZero() {
		f.nextDue.SetText(st.FormatDate(s.NextDue))
	}
	f.nextDueEdited = true // the stored date stays unless the user changes it
	for _, a := range s.Areas {
		row := f.areas.row(a.Area)
		if row == nil {
			continue
		}
		row.check.SetChecked(true)
		row.depth.SetText(data.FormatMM(a.DepthMM))
	}
}

// reload reads the edited session as saved now and shows it in a form
// built afresh, then says which of the person's unsaved changes it
// replaced.
func (f *sessionForm) reload() {
	if f.saving || f.editing == nil {
		return
	}
	mine, _ := f.readSession()
	opened, actor, id, sessions := *f.editing, f.env.ActorID(), f.editing.ID, f.env.deps.Sessions
	f.saving = true
	f.reloadBtn.Disable()
	screen.Background(f.env.Env, func(ctx context.Context) (data.Session, error) {
		return sessions.Session(ctx, actor, id)
	}, func(s data.Session, err error) {
		f.saving = false
		f.reloadBtn.Enable()
		if err != nil {
			f.env.ShowError("Could not reload the session", err)
			return
		}
		f.editing, f.recsFilled, f.fields, f.changed = &s, false, nil, false
		f.warnings, f.kept, f.reasons = slices.Clone(s.Warnings), s.Warnings, []string{s.OverrideReason}
		f.openForm()
		lost := widgets.ReplacedFields(sessionStateFields, opened, mine, s)
		f.showSummary(widgets.ReloadedSummary(f.client.FullName()+"'s session", lost))
	})
}

// sessionStateFields names each part of a session the form edits as the
// form labels it, as a comparable value.
var sessionStateFields = []widgets.StateField[data.Session]{
	{Label: "Technician", Get: func(s data.Session) any { return s.TechnicianID }},
	{Label: "Started", Get: func(s data.Session) any { return s.StartedAt.Local().Format("2006-01-02 15:04") }},
	{Label: "Device", Get: func(s data.Session) any { return s.Device }},
	{Label: "Needle or cartridge lot", Get: func(s data.Session) any { return s.NeedleLot }},
	{Label: "Passes", Get: func(s data.Session) any { return s.Passes }},
	{Label: "Numbing agent", Get: func(s data.Session) any { return s.NumbingAgent }},
	{Label: "Minutes on the skin", Get: func(s data.Session) any { return s.NumbingMinutes }},
	{Label: "Glide serum", Get: func(s data.Session) any { return s.GlideSerum }},
	{Label: "Skin reaction and end point", Get: func(s data.Session) any { return s.Reaction }},
	{Label: "Products applied after", Get: func(s data.Session) any { return s.ProductsApplied }},
	{Label: "Clinical notes", Get: func(s data.Session) any { return s.Notes }},
	{Label: "Personal notes for the aftercare sheet", Get: func(s data.Session) any { return s.AftercareNotes }},
	{Label: "Next session due", Get: func(s data.Session) any { return s.NextDue }},
	{Label: "Areas and needle depth", Get: func(s data.Session) any {
		var parts []string
		for _, a := range s.Areas {
			parts = append(parts, fmt.Sprintf("%s %g", a.Area, a.DepthMM))
		}
		slices.Sort(parts)
		return strings.Join(parts, ", ")
	}},
	{Label: "Recommended products", Get: func(s data.Session) any {
		var parts []string
		for _, r := range s.Recommendations {
			parts = append(parts, fmt.Sprintf("%d from day %d", r.ProductID, r.StartDay))
		}
		return strings.Join(parts, ", ")
	}},
}

// countText0 writes a count for an input, leaving 0 empty.
func countText0(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

// fillRecommendations puts the edited session's products on the form
// once the catalogue is known; a product since retired keeps its place.
func (f *sessionForm) fillRecommendations(catalogue []data.Product) {
	if f.editing == nil || f.recsFilled {
		return
	}
	f.recsFilled = true
	byID := make(map[int64]data.Product, len(catalogue))
	for _, p := range catalogue {
		byID[p.ID] = p
	}
	for _, r := range f.editing.Recommendations {
		p, ok := byID[r.ProductID]
		if !ok {
			p = r.Product
		}
		if p.ID == 0 {
			p.ID = r.ProductID
		}
		f.recs.add(p, r.StartDay)
	}
}

// amendNote tells the technician that a change after the treatment day is
// kept as an amendment.
func (f *sessionForm) amendNote() fyne.CanvasObject {
	if f.editing == nil || !data.DateOf(f.editing.StartedAt.Local()).Before(f.env.Today()) {
		return nil
	}
	return &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance,
		Text: "This treatment was on an earlier day. Saving changes keeps the session as it stands now, " +
			"with your name and the time, so anyone can see what was charted first."}
}

// showVersions shows a session's earlier versions in a dialog.
func showVersions(env *areaEnv, current data.Session, as []data.SessionAmendment) {
	scroll := container.NewVScroll(amendmentHistory(current, as, env.Settings))
	scroll.SetMinSize(fyne.NewSize(560, 360))
	d := dialog.NewCustom("Earlier versions", "Close", scroll, env.Window)
	dialogs.ShowDialog(env.Window, d, d.Hide)
}

// versionMark starts each line of an earlier version that the change
// after it altered.
const versionMark = "▸ "

// amendmentHistory lists a session's earlier versions, newest first: who
// replaced each and when, which parts that change altered, and the version
// itself with those parts marked.
func amendmentHistory(current data.Session, as []data.SessionAmendment, st data.Settings) fyne.CanvasObject {
	box := container.NewVBox()
	if len(as) == 0 {
		box.Add(&widget.Label{Text: "This session has not been changed since its treatment day.", Wrapping: fyne.TextWrapWord})
	}
	changes := data.AmendmentChanges(current, as)
	for i, a := range as {
		head := fmt.Sprintf("Before %s changed it on %s at %s", a.ChangedByName,
			st.FormatDate(data.DateOf(a.ChangedAt.Local())), a.ChangedAt.Local().Format("15:04"))
		box.Add(&widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
		box.Add(&widget.Label{Text: changedSummary(changes[i]), Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord})
		changed := map[data.SessionPart]bool{}
		for _, p := range changes[i] {
			changed[p] = true
		}
		for _, l := range versionLines(a.Earlier, st, changed) {
			label := &widget.Label{Text: l.text, Wrapping: fyne.TextWrapWord}
			if changed[l.part] {
				label.Text = versionMark + l.text
				label.TextStyle.Bold = true
				label.Importance = widget.WarningImportance
			}
			box.Add(label)
		}
		box.Add(widget.NewSeparator())
	}
	return box
}

// changedSummary names what a change altered.
func changedSummary(parts []data.SessionPart) string {
	if len(parts) == 0 {
		return "The change after this version altered nothing shown here."
	}
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = p.Label()
	}
	return "Changed then (marked " + strings.TrimSpace(versionMark) + "): " + strings.Join(names, ", ")
}

// versionLine is one line of an earlier version and the part it shows.
type versionLine struct {
	part data.SessionPart
	text string
}

// versionLines is an earlier version of a session in a few plain lines:
// every part that holds something, and the parts the next change altered
// even when they were blank then.
func versionLines(s data.Session, st data.Settings, changed map[data.SessionPart]bool) []versionLine {
	at := s.StartedAt.Local()
	lines := []versionLine{
		{data.PartTreatedAt, "Treatment: " + st.FormatDate(data.DateOf(at)) + " at " + at.Format("15:04")},
		{data.PartTechnician, "Technician: " + s.TechnicianName},
		{data.PartAreas, "Areas: " + timelineAreas(s.Areas)},
	}
	add := func(part data.SessionPart, label, v string) {
		v = strings.TrimSpace(v)
		switch {
		case v != "":
			lines = append(lines, versionLine{part, label + ": " + v})
		case changed[part]:
			lines = append(lines, versionLine{part, label + ": (blank)"})
		}
	}
	add(data.PartDevice, "Device", s.Device)
	add(data.PartNeedleLot, "Needle lot", s.NeedleLot)
	add(data.PartPasses, "Passes", countText0(s.Passes))
	add(data.PartNumbing, "Numbing", strings.TrimPrefix(strings.TrimSpace(s.NumbingAgent+minutesText(s.NumbingMinutes)), ", "))
	add(data.PartGlideSerum, "Glide serum", s.GlideSerum)
	add(data.PartReaction, "Reaction", s.Reaction)
	add(data.PartProductsApplied, "Products applied", s.ProductsApplied)
	add(data.PartNotes, "Clinical notes", s.Notes)
	add(data.PartRecommendations, "Products recommended", recommendedList(s.Recommendations))
	add(data.PartAftercareNotes, "Aftercare notes", s.AftercareNotes)
	add(data.PartNextDue, "Next session due", st.FormatDate(s.NextDue))
	add(data.PartWarnings, "Warnings", st.FormatDatesIn(strings.Join(s.Warnings, "; ")))
	if strings.TrimSpace(s.OverrideReason) != "" {
		lines = append(lines, versionLine{data.PartWarnings, "Reason to go ahead: " + s.OverrideReason})
	}
	return lines
}

// recommendedList is "Hydra Calm from day 2, Calm Balm from the treatment day".
func recommendedList(rs []data.Recommendation) string {
	parts := make([]string, len(rs))
	for i, rec := range rs {
		name := rec.Product.Name
		if name == "" {
			name = fmt.Sprintf("product %d", rec.ProductID)
		}
		if rec.StartDay == 0 {
			parts[i] = name + " from the treatment day"
		} else {
			parts[i] = fmt.Sprintf("%s from day %d", name, rec.StartDay)
		}
	}
	return strings.Join(parts, ", ")
}

func minutesText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d minutes", n)
}
