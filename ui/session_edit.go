package ui

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
)

// openSessionEditForm opens a session already charted, to correct or
// complete it. The contraindications shown and the reason given when it
// was charted stay with it; saving checks again only what the correction
// brings in (sessionForm.unanswered). Saving after the treatment day keeps
// the version as it stood, with who changed it and when (an amendment).
func openSessionEditForm(env *appEnv, stack *pageStack, client data.Client, s data.Session) *sessionForm {
	f := &sessionForm{env: env, stack: stack, client: client, body: container.NewStack(), editing: &s,
		warnings: slices.Clone(s.Warnings), kept: s.Warnings, reasons: []string{s.OverrideReason}}
	f.afterSave = func(data.Session) {
		if f.stack.top() == f.page {
			f.stack.popNow()
		}
	}
	day := env.settings.FormatDate(data.DateOf(s.StartedAt.Local()))
	f.page = &page{title: "Edit session of " + day + " · " + client.FullName(), content: f.body, dirty: f.dirty}
	f.openForm()
	return f
}

// fillFrom shows a stored session in the inputs.
func (f *sessionForm) fillFrom(s data.Session) {
	st := f.env.settings
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
	if f.editing == nil || !data.DateOf(f.editing.StartedAt.Local()).Before(f.env.today()) {
		return nil
	}
	return &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance,
		Text: "This treatment was on an earlier day. Saving changes keeps the session as it stands now, " +
			"with your name and the time, so anyone can see what was charted first."}
}

// onEditSession opens session i of the timeline for correction.
func (r *clientRecord) onEditSession(i int) {
	if i < 0 || i >= len(r.rec.sessions) || r.rec.sessions[i].SummaryOnly {
		return
	}
	r.lastEdit = openSessionEditForm(r.env, r.stack, r.rec.client, r.rec.sessions[i])
	r.stack.push(r.lastEdit.page)
}

// onShowVersions lists the earlier versions of session i: what it said
// before each change, who changed it and when.
func (r *clientRecord) onShowVersions(i int) {
	if i < 0 || i >= len(r.rec.sessions) {
		return
	}
	id, actor, sessions := r.rec.sessions[i].ID, r.env.actorID(), r.env.deps.Sessions
	background(r.env, func(ctx context.Context) ([]data.SessionAmendment, error) {
		return sessions.SessionAmendments(ctx, actor, id)
	}, func(as []data.SessionAmendment, err error) {
		if err != nil {
			r.env.showError("Could not read the earlier versions", err)
			return
		}
		r.showVersions(as)
	})
}

func (r *clientRecord) showVersions(as []data.SessionAmendment) {
	st := r.env.settings
	box := container.NewVBox()
	if len(as) == 0 {
		box.Add(&widget.Label{Text: "This session has not been changed since its treatment day."})
	}
	for _, a := range as {
		head := fmt.Sprintf("Before %s changed it on %s at %s", a.ChangedByName,
			st.FormatDate(data.DateOf(a.ChangedAt.Local())), a.ChangedAt.Local().Format("15:04"))
		box.Add(&widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}})
		box.Add(&widget.Label{Text: versionText(a.Earlier, st), Wrapping: fyne.TextWrapWord})
		box.Add(widget.NewSeparator())
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(560, 360))
	d := dialog.NewCustom("Earlier versions", "Close", scroll, r.env.window)
	d.Show()
}

// versionText is an earlier version of a session in a few plain lines.
func versionText(s data.Session, st data.Settings) string {
	lines := []string{
		"Treatment: " + st.FormatDate(data.DateOf(s.StartedAt.Local())) + " at " + s.StartedAt.Local().Format("15:04") +
			", by " + s.TechnicianName,
		"Areas: " + timelineAreas(s.Areas),
	}
	add := func(label, v string) {
		if strings.TrimSpace(v) != "" {
			lines = append(lines, label+": "+v)
		}
	}
	add("Device", s.Device)
	add("Needle lot", s.NeedleLot)
	if s.Passes > 0 {
		add("Passes", fmt.Sprint(s.Passes))
	}
	add("Numbing", strings.TrimSpace(s.NumbingAgent+minutesText(s.NumbingMinutes)))
	add("Glide serum", s.GlideSerum)
	add("Reaction", s.Reaction)
	add("Products applied", s.ProductsApplied)
	add("Clinical notes", s.Notes)
	add("Aftercare notes", s.AftercareNotes)
	if !s.NextDue.IsZero() {
		add("Next session due", st.FormatDate(s.NextDue))
	}
	return strings.Join(lines, "\n")
}

func minutesText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d minutes", n)
}
