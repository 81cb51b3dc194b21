package clients

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// sessionForm is the treatment room: the technician charts a session right
// after treating. When the client's record calls for a check (no consent,
// a contraindication), the check comes first (contraGate) and going on
// needs a written reason. Saving checks again, for the session's own day
// and for what it put on the skin against the client's allergies; a
// warning not yet answered brings the check back. The warnings answered
// and the reasons are saved with the session.
type sessionForm struct {
	env    *areaEnv
	stack  *screen.Stack
	client data.Client
	page   *screen.Page

	warnings  []string // the warnings answered so far: shown, and gone ahead despite
	reasons   []string // why treatment went ahead despite them, in the order given
	kept      []string // an edited session's stored warnings, which stay with it
	answered  bool     // a reason was given in this form
	gate      *contraGate
	form      fyne.CanvasObject // the form itself, kept while a check is on screen
	banner    *fyne.Container   // the warnings answered and the reasons, above the form
	catalogue []data.Product    // for what the typed products contain

	staff          []data.Staff // the technicians and owners offered
	technician     *widget.Select
	startDate      *widgets.Entry
	startTime      *widgets.Entry
	device         *widgets.Entry
	needleLot      *widgets.Entry
	passes         *widgets.Entry
	numbingAgent   *widgets.Entry
	numbingMinutes *widgets.Entry
	glideSerum     *widgets.Entry
	reaction       *widgets.Entry
	products       *widgets.Entry
	notes          *widgets.Entry
	aftercareNotes *widgets.Entry
	nextDue        *widgets.Entry
	areas          *areaDepths
	recs           *recommendationsEditor
	fields         widgets.FieldSet
	summary        *widget.Label
	saveButton     *widget.Button
	reloadBtn      *widget.Button  // shown when a save met someone else's change
	body           *fyne.Container // the gate, then the form
	scroll         *container.Scroll

	changed       bool // the user has typed or chosen something
	filling       bool // the form itself is filling inputs; not the user's change
	nextDueEdited bool // the user typed the next due date, so it stays
	courseDays    int  // the open course's interval, which the next due date follows; 0: the clinic's follow-up
	saving        bool
	saved         bool

	// afterSave runs once the session is in the store; it shows the
	// aftercare preview in place of the form.
	afterSave func(data.Session)

	// editing is the stored session being corrected; nil for a new one
	// (session_edit.go).
	editing    *data.Session
	recsFilled bool // the edited session's recommendations are on the form

	// appointment is the appointment the session is given for (0: none):
	// its technician is offered first, and saving links the session to
	// it, which completes it.
	appointment int64
	linkErr     error // set by the save's goroutine before onSaved runs
}

// linkAppointment records the saved session on its appointment, over the
// appointment as it is now (the front desk may have marked it since the
// form opened).
func linkAppointment(ctx context.Context, appts AppointmentLinker, actor, id, sessionID int64) error {
	a, err := appts.Appointment(ctx, actor, id)
	if err != nil {
		return fmt.Errorf("reading the appointment: %w", err)
	}
	if _, err := appts.LinkSession(ctx, actor, id, a.Version, sessionID); err != nil {
		return fmt.Errorf("linking the session to its appointment: %w", err)
	}
	return nil
}

// newSessionForm opens the treatment room for a client.
func NewSessionForm(env *areaEnv, stack *screen.Stack, client data.Client) *screen.Page {
	return openSessionForm(env, stack, client).page
}

func openSessionForm(env *areaEnv, stack *screen.Stack, client data.Client) *sessionForm {
	return openSessionFormFor(env, stack, client, 0)
}

// NewSessionFormFor opens the treatment room for a client's appointment.
func NewSessionFormFor(env *areaEnv, stack *screen.Stack, client data.Client, appointment int64) *screen.Page {
	return openSessionFormFor(env, stack, client, appointment).page
}

func openSessionFormFor(env *areaEnv, stack *screen.Stack, client data.Client, appointment int64) *sessionForm {
	f := &sessionForm{env: env, stack: stack, client: client, body: container.NewStack(), appointment: appointment}
	f.afterSave = f.showAftercare
	f.page = &screen.Page{Title: "New session · " + client.FullName(), Content: f.body, Dirty: f.dirty}
	f.warnings = data.BeforeTreating(client, env.Today(), env.Settings)
	if len(f.warnings) > 0 {
		f.gate = newContraGate(client.FullName(), f.warnings, f.onGoAhead, f.onDoNotTreat)
		f.body.Objects = []fyne.CanvasObject{f.gate.content}
		env.Do(func() { f.focus(f.gate.reason) })
		return f
	}
	f.openForm()
	return f
}

// dirty reports input that would be lost by leaving.
func (f *sessionForm) dirty() bool {
	if f.saved {
		return false
	}
	return f.changed || f.answered || (f.gate != nil && f.gate.typed())
}

// onGoAhead records the reason and opens the form.
func (f *sessionForm) onGoAhead(reason string) {
	f.reasons = append(f.reasons, reason)
	f.answered = true
	f.openForm()
}

// onDoNotTreat records the decision and its reason in the audit trail,
// then leaves without saving a session.
func (f *sessionForm) onDoNotTreat(reason string) {
	if f.env.ActorID() == 0 {
		f.gate.reasonMsg.Importance = widget.DangerImportance
		f.gate.reasonMsg.SetText("Choose who is working in the bar at the top first; the decision is recorded under that name.")
		return
	}
	g, actor, sessions := f.gate, f.env.ActorID(), f.env.deps.Sessions
	d := data.DoNotTreat{ClientID: f.client.ID, Reason: reason}
	g.busy(true)
	screen.Background(f.env.Env, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, sessions.RecordDoNotTreat(ctx, actor, d)
	}, func(_ struct{}, err error) {
		g.busy(false)
		if err != nil {
			f.env.ShowError("Could not record the decision not to treat", err)
			return
		}
		f.saved = true // nothing else to keep
		if f.stack.Top() == f.page {
			f.stack.PopNow()
		}
	})
}

// openForm builds the form, shows it and starts loading the staff and the
// product catalogue.
func (f *sessionForm) openForm() {
	f.filling = true
	f.buildInputs()
	if f.editing != nil {
		f.fillFrom(*f.editing)
	} else {
		f.fillDefaults()
	}
	f.filling = false
	f.form = f.layout()
	f.showForm()
	f.showSkinWarnings()
	f.page.Save = f.save // Ctrl+S from a tick box or a drop-down
	f.fields.Watch(func() []data.FieldError {
		s, bad := f.readSession()
		return append(bad, data.FieldProblems(s.Validate())...)
	}, func() { f.showSummary("") })
	f.loadChoices()
	if f.editing == nil {
		f.loadCourse()
	}
	f.env.Do(func() { f.focus(f.device) })
}

// showForm puts the form on screen, as it was left.
func (f *sessionForm) showForm() {
	f.body.Objects = []fyne.CanvasObject{f.form}
	f.body.Refresh()
}

// focus puts the cursor in e once it is on screen.
func (f *sessionForm) focus(e fyne.Focusable) {
	if c := f.env.Window.Canvas(); c != nil {
		c.Focus(e)
	}
}

func (f *sessionForm) buildInputs() {
	entry := func(rows int) *widgets.Entry {
		e := widgets.NewEntry(rows, f.save)
		e.OnChanged = func(string) { f.markChanged() }
		return e
	}
	f.technician = &widget.Select{PlaceHolder: "Loading staff…", OnChanged: func(string) { f.markChanged() }}
	f.startDate = entry(1)
	f.startDate.PlaceHolder = widgets.DatePlaceholder(f.env.Settings.DateFormat)
	f.startDate.OnChanged = f.onStartDateChanged
	f.startTime = entry(1)
	f.startTime.PlaceHolder = "HH:MM"
	f.device = entry(1)
	f.device.PlaceHolder = "Pen or roller, and model"
	f.needleLot = entry(1)
	f.needleLot.PlaceHolder = "As printed on the cartridge"
	f.passes = entry(1)
	f.numbingAgent = entry(1)
	f.numbingAgent.PlaceHolder = "None, or the cream used"
	f.numbingMinutes = entry(1)
	f.glideSerum = entry(1)
	f.reaction = entry(2)
	f.reaction.PlaceHolder = "For example: even redness, pinpoint bleeding on the cheeks"
	f.products = entry(2)
	f.products.PlaceHolder = "What went on the skin after needling"
	for _, e := range []*widgets.Entry{f.device, f.numbingAgent, f.glideSerum, f.products} {
		e.OnChanged = func(string) { f.markChanged(); f.showSkinWarnings() }
	}
	f.notes = entry(3)
	f.notes.PlaceHolder = "For the clinic only"
	f.aftercareNotes = entry(3)
	f.aftercareNotes.PlaceHolder = "Printed on the client's aftercare sheet, in your own words"
	f.nextDue = entry(1)
	f.nextDue.PlaceHolder = widgets.DatePlaceholder(f.env.Settings.DateFormat)
	f.nextDue.OnChanged = f.onNextDueChanged
	f.areas = newAreaDepths(f.env.Settings, f.save, f.onTreatmentChanged)
	f.recs = newRecommendationsEditor(f.client, f.env.Settings, f.env.Today(), f.save, f.markChanged)
	f.recs.treatment = f.treatmentSoFar
	f.summary = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	f.summary.Hide()
	f.saveButton = &widget.Button{Text: "Save session", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: f.save}
	f.reloadBtn = widgets.NewReloadButton(f.reload)
}

// fillDefaults starts the session now, due back after the clinic's
// follow-up interval (or the client's course's, once read: loadCourse).
func (f *sessionForm) fillDefaults() {
	now := f.env.Now().Local()
	f.startDate.SetText(f.env.Settings.FormatDate(data.DateOf(now)))
	f.startTime.SetText(now.Format("15:04"))
	f.nextDue.SetText(f.env.Settings.FormatDate(f.dueAfter(now)))
}

func (f *sessionForm) markChanged() {
	if !f.filling {
		f.changed = true
	}
}

// onTreatmentChanged follows a change to the areas: the product
// warnings depend on whether the face was treated.
func (f *sessionForm) onTreatmentChanged() {
	f.markChanged()
	if f.recs != nil {
		f.recs.refresh()
	}
}

// treatmentSoFar is the session's start and areas as typed so far (a zero
// time while the date or time does not read), for the product warnings.
func (f *sessionForm) treatmentSoFar() (time.Time, []data.AreaTreatment) {
	at, err := f.startedAt()
	if err != nil {
		at = time.Time{}
	}
	areas, _ := f.areas.treated()
	return at, areas
}

// onStartDateChanged moves the next session and the product start dates
// with the treatment day, unless the next session was typed by hand.
func (f *sessionForm) onStartDateChanged(text string) {
	f.markChanged()
	day, err := widgets.ParseUserDate(text, f.env.Settings.DateFormat)
	if err != nil || day.IsZero() {
		return
	}
	if f.recs != nil {
		f.recs.setDay0(day)
	}
	if f.nextDue != nil && !f.nextDueEdited {
		filling := f.filling
		f.filling = true
		f.nextDue.SetText(f.env.Settings.FormatDate(f.dueAfter(day.Time(time.Local))))
		f.filling = filling
	}
}

func (f *sessionForm) onNextDueChanged(string) {
	if f.filling {
		return
	}
	f.changed = true
	f.nextDueEdited = true
}

// layout arranges the inputs in sections, with the save bar below.
func (f *sessionForm) layout() fyne.CanvasObject {
	fld := func(name, label string, input fyne.CanvasObject, entries ...*widgets.Entry) *widgets.Field {
		x := widgets.NewField(name, label, input)
		f.fields = append(f.fields, x)
		clearOnEdit(x, entries...)
		return x
	}
	tech := fld("technician", "Technician", f.technician)
	f.technician.OnChanged = func(string) { tech.SetProblem(""); f.markChanged() }
	started := fld("started_at", "Started (date and time)", container.NewBorder(nil, nil, nil, widgets.FixedWidth(90, f.startTime), f.startDate), f.startDate, f.startTime)
	device := fld("device", "Device", f.device, f.device)
	lot := fld("needle_lot", "Needle or cartridge lot", f.needleLot, f.needleLot)
	passes := fld("passes", "Passes", f.passes, f.passes)
	numbing := fld("numbing_agent", "Numbing agent", f.numbingAgent, f.numbingAgent)
	minutes := fld("numbing_minutes", "Minutes on the skin", f.numbingMinutes, f.numbingMinutes)
	glide := fld("glide_serum", "Glide serum", f.glideSerum, f.glideSerum)
	reaction := fld("reaction", "Skin reaction and end point", f.reaction, f.reaction)
	products := fld("products_applied", "Products applied after", f.products, f.products)
	notes := fld("notes", "Clinical notes", f.notes, f.notes)
	aftercare := fld("aftercare_notes", "Personal notes for the aftercare sheet", f.aftercareNotes, f.aftercareNotes)
	next := fld("next_due", "Next session due", f.nextDue, f.nextDue)
	f.fields = append(f.fields, f.areas.fields()...)
	f.fields = append(f.fields, f.recs.field)

	grid := func(cols int, fs ...*widgets.Field) fyne.CanvasObject {
		objs := make([]fyne.CanvasObject, len(fs))
		for i, x := range fs {
			objs[i] = x.Box
		}
		return container.NewGridWithColumns(cols, objs...)
	}
	sections := container.NewVBox()
	if note := f.amendNote(); note != nil {
		sections.Add(note)
	}
	f.banner = container.NewVBox()
	sections.Add(f.banner)
	f.refreshBanner()
	sections.Add(widgets.Section("Treatment", grid(2, tech, started), grid(3, device, lot, passes), grid(3, numbing, minutes, glide)))
	sections.Add(widgets.Section("Areas and needle depth", f.areas.content))
	sections.Add(widgets.Section("Outcome", grid(2, reaction, products), notes.Box))
	sections.Add(widgets.Section("For the client's aftercare sheet",
		aftercare.Box, sessionHeadingSmall("Recommended products"), f.recs.content, widgets.FixedWidth(280, next.Box)))

	cancel := &widget.Button{Text: "Cancel", OnTapped: f.stack.Pop}
	hint := &widget.Label{Text: "Ctrl+S saves from any field", SizeName: theme.SizeNameCaptionText}
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(hint, f.reloadBtn, cancel, f.saveButton), f.summary)
	f.scroll = container.NewVScroll(container.NewPadded(sections))
	return container.NewBorder(nil, container.NewPadded(container.NewVBox(widget.NewSeparator(), bar)), nil, nil, widgets.WrapFormScroll(f.scroll))
}

// clearOnEdit hides a field's message once the user edits its input.
func clearOnEdit(x *widgets.Field, entries ...*widgets.Entry) {
	for _, e := range entries {
		changed := e.OnChanged
		e.OnChanged = func(text string) {
			x.SetProblem("")
			if changed != nil {
				changed(text)
			}
		}
	}
}

// sessionHeadingSmall is a bold line heading a part of a section.
func sessionHeadingSmall(text string) *widget.Label {
	return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}}
}

// refreshBanner keeps the warnings answered and the reasons in view while
// charting.
func (f *sessionForm) refreshBanner() {
	f.banner.RemoveAll()
	if len(f.warnings) == 0 {
		return
	}
	box := container.NewVBox(&widget.Label{Text: "Treating despite these warnings", TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.DangerImportance})
	for _, w := range f.warnings {
		box.Add(widgets.WarningLine(w, widget.DangerImportance))
	}
	box.Add(widgets.Text("Reason given: " + data.JoinReasons(f.reasons...)))
	f.banner.Add(widgets.Panel(theme.ColorNameError, box))
}

// choices is what the form offers: the people who treat, and the catalogue.
type choices struct {
	staff    []data.Staff
	products []data.Product
	staffErr error
	prodErr  error
	// technician is the appointment's, when the session is given for one,
	// and areas are those its treatment usually covers.
	technician int64
	areas      []data.Area
}

// loadChoices reads the staff and the catalogue in the background.
func (f *sessionForm) loadChoices() {
	staff, products, withFormer, actor := f.env.deps.Staff, f.env.deps.Products, f.editing != nil, f.env.ActorID()
	appts, appt := f.env.deps.Appointments, f.appointment
	screen.Background(f.env.Env, func(ctx context.Context) (choices, error) {
		var c choices
		if appts != nil && appt != 0 {
			if a, err := appts.Appointment(ctx, actor, appt); err == nil {
				c.technician = a.TechnicianID
				c.areas = treatmentAreas(ctx, appts, actor, a.TreatmentID)
			}
		}
		if staff != nil {
			c.staff, c.staffErr = staff.StaffList(ctx, actor, withFormer)
		}
		if products != nil {
			c.products, c.prodErr = products.Products(ctx, actor, false)
		}
		return c, nil
	}, f.applyChoices)
}

// treatmentAreas are the areas a line of the treatment menu usually
// covers; none when the menu cannot be read (the form is filled by hand).
func treatmentAreas(ctx context.Context, appts AppointmentLinker, actor, treatment int64) []data.Area {
	menu, err := appts.TreatmentTypes(ctx, actor, true)
	if err != nil {
		return nil
	}
	for _, t := range menu {
		if t.ID == treatment {
			return t.Areas
		}
	}
	return nil
}

func (f *sessionForm) applyChoices(c choices, _ error) {
	f.filling = true
	defer func() { f.filling = false }()
	if f.editing == nil {
		for _, area := range c.areas {
			if r := f.areas.row(area); r != nil {
				r.check.SetChecked(true) // the treatment's usual areas; the depths are the technician's
			}
		}
	}
	if c.prodErr != nil {
		f.recs.loadFailed(c.prodErr)
	} else {
		f.catalogue = c.products
		f.recs.setCatalogue(c.products)
		f.fillRecommendations(c.products)
		f.showSkinWarnings()
	}
	if c.staffErr != nil {
		f.technician.PlaceHolder = "The staff list could not be read"
		f.technician.Refresh()
		f.showSummary("Could not read the staff list. " + data.UserMessage(c.staffErr))
		return
	}
	f.staff = f.staff[:0]
	var names []string
	want := f.env.Actor.ID
	if c.technician != 0 {
		want = c.technician
	}
	if f.editing != nil {
		want = f.editing.TechnicianID
	}
	for _, s := range c.staff {
		// An edited session keeps its technician, even one who has left.
		if s.ID == want || (s.Active && (s.Role == data.RoleTechnician || s.Role == data.RoleOwner)) {
			f.staff = append(f.staff, s)
			names = append(names, s.Name)
		}
	}
	f.technician.SetOptions(names)
	f.technician.PlaceHolder = "Choose the technician"
	if len(names) == 0 {
		f.technician.PlaceHolder = "No active technicians: add them in Settings"
	}
	f.technician.Refresh()
	for i, s := range f.staff {
		if s.ID == want {
			f.technician.SetSelectedIndex(i)
		}
	}
}

func (f *sessionForm) showSummary(msg string) {
	f.summary.SetText(msg)
	if msg == "" {
		f.summary.Hide()
	} else {
		f.summary.Show()
	}
}

// readSession builds the session from the inputs. Input that cannot even
// be read (a date typed wrong, letters in a number) comes back as problems
// of its own, ahead of what validation finds.
func (f *sessionForm) readSession() (data.Session, []data.FieldError) {
	var bad []data.FieldError
	note := func(field string, err error) {
		if err != nil {
			bad = append(bad, data.FieldError{Field: field, Message: err.Error()})
		}
	}
	s := data.Session{
		ClientID: f.client.ID, Device: strings.TrimSpace(f.device.Text), NeedleLot: strings.TrimSpace(f.needleLot.Text),
		NumbingAgent: strings.TrimSpace(f.numbingAgent.Text), GlideSerum: strings.TrimSpace(f.glideSerum.Text),
		ProductsApplied: strings.TrimSpace(f.products.Text), Reaction: strings.TrimSpace(f.reaction.Text),
		Notes: strings.TrimSpace(f.notes.Text), AftercareNotes: strings.TrimSpace(f.aftercareNotes.Text),
	}
	if i := f.technician.SelectedIndex(); i >= 0 && i < len(f.staff) {
		s.TechnicianID = f.staff[i].ID
	}
	var err error
	s.StartedAt, err = f.startedAt()
	note("started_at", err)
	s.Passes, err = widgets.ParseCount(f.passes.Text)
	note("passes", err)
	s.NumbingMinutes, err = widgets.ParseCount(f.numbingMinutes.Text)
	note("numbing_minutes", err)
	s.NextDue, err = widgets.ParseUserDate(f.nextDue.Text, f.env.Settings.DateFormat)
	note("next_due", err)
	areas, areaBad := f.areas.treated()
	s.Areas = areas
	recs, recBad := f.recs.recommendations()
	s.Recommendations = recs
	return s, append(append(bad, areaBad...), recBad...)
}

// startedAt reads the treatment's date and time, in the clinic's zone.
func (f *sessionForm) startedAt() (time.Time, error) {
	day, err := widgets.ParseUserDate(f.startDate.Text, f.env.Settings.DateFormat)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q %s", strings.TrimSpace(f.startDate.Text), err)
	}
	if day.IsZero() {
		return time.Time{}, nil
	}
	text := strings.ReplaceAll(strings.TrimSpace(f.startTime.Text), ".", ":")
	if text == "" {
		return time.Time{}, fmt.Errorf("type the time the treatment started, as HH:MM")
	}
	clock, err := time.Parse("15:04", text)
	if err != nil {
		return time.Time{}, fmt.Errorf("the time should look like 14:30")
	}
	return day.Time(time.Local).Add(time.Duration(clock.Hour())*time.Hour + time.Duration(clock.Minute())*time.Minute), nil
}

// save checks the form, then saves the session in the background.
func (f *sessionForm) save() {
	if f.saving || f.saved {
		return
	}
	if f.env.ActorID() == 0 {
		f.showSummary("Choose who is working in the bar at the top first; the session is recorded under that name.")
		return
	}
	s, bad := f.readSession()
	if f.showProblems(append(bad, data.FieldProblems(s.Validate())...)) {
		return
	}
	cur := data.SessionWarnings(f.client, s, f.catalogue, f.env.Settings)
	if fresh := f.unanswered(cur); len(fresh) > 0 {
		f.showSaveGate(fresh)
		return
	}
	s.Warnings, s.OverrideReason = f.overrides(cur)
	f.saving = true
	f.saveButton.Disable()
	f.saveButton.SetText("Saving…")
	actor, sessions, appts, appt := f.env.ActorID(), f.env.deps.Sessions, f.env.deps.Appointments, f.appointment
	if f.editing != nil {
		s.ID, s.Version = f.editing.ID, f.editing.Version
	}
	screen.Background(f.env.Env, func(ctx context.Context) (data.Session, error) {
		if s.ID != 0 {
			return s, sessions.UpdateSession(ctx, actor, &s)
		}
		if err := sessions.CreateSession(ctx, actor, &s); err != nil {
			return s, err
		}
		if appts != nil && appt != 0 {
			f.linkErr = linkAppointment(ctx, appts, actor, appt, s.ID)
		}
		return s, nil
	}, f.onSaved)
}

// showProblems puts each problem under its field and the rest in the
// summary; it reports whether there were any.
func (f *sessionForm) showProblems(ps []data.FieldError) bool {
	var err error
	if len(ps) > 0 {
		err = &data.ValidationError{Problems: ps}
	}
	rest := f.fields.Show(err)
	f.areas.showWarnings()
	f.showSkinWarnings()
	if len(ps) == 0 {
		f.showSummary("")
		return false
	}
	var marked []string
	var first *widgets.Field
	for _, x := range f.fields {
		if x.Message.Visible() && x.Message.Importance == widget.DangerImportance {
			marked = append(marked, f.fieldLabel(x))
			if first == nil {
				first = x
			}
		}
	}
	msg := "Please check " + strings.Join(marked, ", ") + "."
	if len(marked) == 0 {
		msg = "Please check the form."
	}
	if len(rest) > 0 {
		msg += " " + widgets.ProblemSummary(rest)
	}
	f.showSummary(msg)
	if first != nil {
		f.scrollTo(first.Message)
	}
	return true
}

// fieldLabel names a field in the summary line.
func (f *sessionForm) fieldLabel(x *widgets.Field) string {
	switch {
	case x.Label != nil:
		return strings.ToLower(x.Label.Text[:1]) + x.Label.Text[1:]
	case strings.HasPrefix(x.Name, "depth_"):
		return "the depth on the " + strings.ToLower(data.Area(strings.TrimPrefix(x.Name, "depth_")).Label())
	case x.Name == "areas":
		return "the areas treated"
	}
	return strings.ReplaceAll(x.Name, "_", " ")
}

// scrollTo brings o into view, a little below the top of the form.
func (f *sessionForm) scrollTo(o fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(f.scroll.Content).Y
	f.scroll.ScrollToOffset(fyne.NewPos(0, max(0, y-3*o.MinSize().Height-theme.Padding()*8)))
}

func (f *sessionForm) onSaved(s data.Session, err error) {
	f.saving = false
	f.saveButton.Enable()
	f.saveButton.SetText("Save session")
	if err != nil {
		if ps := data.FieldProblems(err); len(ps) > 0 {
			f.showProblems(ps)
			return
		}
		if errors.Is(err, data.ErrConflict) && f.editing != nil {
			f.showSummary(widgets.ConflictSummary(err, "Someone else changed this session since you opened it, so your changes were not saved"))
			f.reloadBtn.Show()
			return
		}
		f.env.ShowError("Could not save the session", err)
		return
	}
	f.saved = true
	if f.linkErr != nil {
		f.env.ShowError("The session is saved, but its appointment is not marked done", f.linkErr)
	}
	f.env.Events.Publish(screen.SessionChanged{Client: data.ClientID(f.client.ID)})
	f.afterSave(s)
}

// showAftercare swaps the form for the aftercare preview of the session,
// unless the user has already left the form while it was saving.
func (f *sessionForm) showAftercare(s data.Session) {
	if f.stack.Top() != f.page {
		return
	}
	f.stack.ReplaceTop(newAftercarePage(f.env, f.stack, s.ID))
}
