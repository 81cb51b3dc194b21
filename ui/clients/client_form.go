package clients

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// clientFormWidth is the widest the form's column grows; wider lines are
// hard to read and the fields would stretch for nothing.
const clientFormWidth = 860

// clientSkinTypes are the Fitzpatrick choices in the order of
// data.SkinType: index 0 is "not recorded", then I to VI.
var clientSkinTypes = []string{
	"Not recorded",
	"I: very fair, always burns, never tans",
	"II: fair, burns easily, tans a little",
	"III: medium, sometimes burns, tans slowly",
	"IV: olive, rarely burns, tans easily",
	"V: brown, very rarely burns",
	"VI: deep brown to black, does not burn",
}

// clientForm adds a new client or edits one: every detail the clinic keeps,
// in four sections, with data's validation messages under the fields.
type clientForm struct {
	env      *areaEnv
	client   data.Client // as loaded or last saved; ID 0 until a new client is saved
	onSaved  func(data.Client)
	onCancel func()
	baseline clientFormState // what the fields held when loaded or last saved
	saving   bool

	given, family, dob, phone, email, address    *widgets.Entry
	reminders                                    *widgets.Check // consent to e-mail reminders
	skinType                                     *widgets.Select
	concerns                                     []*widgets.Check // one per data.Concerns
	allergies, medications, medicalNotes         *widgets.Entry
	isotretinoin                                 *widgets.Check
	isoStopped                                   *widgets.Entry
	pregnant, thinners, keloid, infection, metal *widgets.Check
	actives                                      *widgets.Check
	activesOn, activesWhat                       *widgets.Entry
	isoBox, activesBox                           fyne.CanvasObject // the follow-up questions
	consentOn, consentVersion, notes             *widgets.Entry

	fields     widgets.FieldSet
	summary    *widget.Label
	saveBtn    *widget.Button
	cancelBtn  *widget.Button
	reloadBtn  *widget.Button // shown when a save met someone else's change
	publishing bool           // the form is telling the screens of its own save
	scroll     *container.Scroll
	page       *screen.Page
}

// newClientFormPage builds the form for client c (c.ID == 0: a new client).
// onSaved runs after a successful save with the client as stored. onCancel
// is what Cancel does, usually popping the page stack (which asks before
// losing changes); without it, Cancel puts the fields back as they were
// loaded.
func NewClientFormPage(env *areaEnv, c data.Client, onSaved func(data.Client), onCancel func()) *screen.Page {
	return buildClientForm(env, c, onSaved, onCancel).page
}

func buildClientForm(env *areaEnv, c data.Client, onSaved func(data.Client), onCancel func()) *clientForm {
	f := &clientForm{env: env, client: c, onSaved: onSaved, onCancel: onCancel}
	f.buildInputs()
	content := f.layout()
	f.fill(c)
	title := "New client"
	if c.ID != 0 {
		title = "Edit " + c.FullName()
	}
	f.page = &screen.Page{Title: title, Content: content, Dirty: f.dirty, Save: f.save}
	if c.ID != 0 {
		f.page.Closed = screen.On(env.Events, f.onClientChanged)
	}
	f.fields.Watch(func() []data.FieldError { _, err := f.collect(); return data.FieldProblems(err) },
		func() { f.summary.SetText("") })
	env.Do(f.focusFirst) // after the caller has put the page on screen
	return f
}

// focusFirst puts the cursor in the first field, ready to type.
func (f *clientForm) focusFirst() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(f.given); c != nil {
		c.Focus(f.given)
	}
}

// buildInputs makes every input; layout arranges them.
func (f *clientForm) buildInputs() {
	format := f.env.Settings.DateFormat
	f.given, f.family = f.line(""), f.line("")
	f.dob = f.date(format)
	f.phone, f.email = f.line("+44 20 7946 0958"), f.line("name@example.com")
	f.reminders = f.check("Send booking confirmations and reminders by e-mail", nil)
	f.address = f.lines(3, "Street, town, postcode")
	f.skinType = widgets.NewSelect(clientSkinTypes, f.reveal)
	for _, cn := range data.Concerns {
		f.concerns = append(f.concerns, f.check(cn.Label(), nil))
	}
	f.allergies = f.lines(2, "For example latex, lidocaine, nickel; leave empty if none")
	f.medications = f.lines(2, "Medicines and supplements the client takes")
	f.medicalNotes = f.lines(3, "Conditions and history the technician should know")
	f.isotretinoin = f.check(data.IsotretinoinQuestion(), f.onIsotretinoinTicked)
	f.isoStopped = f.date(format)
	f.pregnant = f.check("Pregnant or breastfeeding", nil)
	f.thinners = f.check("Takes blood thinners or has a bleeding disorder", nil)
	f.keloid = f.check("Tends to form keloid or raised scars", nil)
	f.infection = f.check("Skin infection, cold sores or inflamed acne in the treatment area", nil)
	f.metal = f.check("Allergic to metals used in needles (such as nickel)", nil)
	f.actives = f.check("Used retinoids or acids, or had a peel, laser or injectables recently", f.onActivesTicked)
	f.activesOn = f.date(format)
	f.activesWhat = f.line("For example retinol cream, chemical peel")
	f.consentOn = f.date(format)
	f.consentVersion = f.line("For example v3 or 2026-01")
	f.notes = f.lines(4, "Anything else the clinic should remember")
	f.summary = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	f.saveBtn = &widget.Button{Text: "Save client", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: f.save}
	f.cancelBtn = &widget.Button{Text: "Cancel", OnTapped: f.cancel}
	f.reloadBtn = widgets.NewReloadButton(f.reload)
}

func (f *clientForm) line(placeholder string) *widgets.Entry {
	e := newClientEntry(1, f.save, f.reveal)
	e.PlaceHolder = placeholder
	return e
}

func (f *clientForm) lines(rows int, placeholder string) *widgets.Entry {
	e := newClientEntry(rows, f.save, f.reveal)
	e.PlaceHolder = placeholder
	return e
}

func (f *clientForm) check(text string, onChanged func(bool)) *widgets.Check {
	c := &widgets.Check{OnFocus: f.reveal}
	c.Text, c.OnChanged = text, onChanged
	c.ExtendBaseWidget(c)
	return c
}

func (f *clientForm) date(format string) *widgets.Entry {
	e := newClientEntry(1, f.save, f.reveal)
	e.PlaceHolder = widgets.DatePlaceholder(format)
	return e
}

// layout arranges the inputs in sections in a scrolling column, with the
// buttons in a bar that stays in view.
func (f *clientForm) layout() fyne.CanvasObject {
	column := container.NewVBox(f.contactSection(), f.skinSection(), f.healthSection(), f.consentSection())
	f.scroll = container.NewVScroll(container.New(&clientColumnLayout{width: clientFormWidth}, column))
	buttons := container.NewHBox(f.reloadBtn, f.cancelBtn, f.saveBtn)
	hint := &widget.Label{Text: "Ctrl+S saves", SizeName: theme.SizeNameCaptionText}
	bar := container.NewBorder(widget.NewSeparator(), nil, nil, container.NewHBox(hint, buttons), f.summary)
	return container.NewBorder(nil, container.NewPadded(bar), nil, nil, widgets.WrapFormScroll(f.scroll))
}

// add makes a field for input and registers it for validation messages.
func (f *clientForm) add(name, label string, input fyne.CanvasObject) fyne.CanvasObject {
	fd := widgets.NewField(name, label, input)
	f.fields = append(f.fields, fd)
	return fd.Box
}

// clientSection is a titled card: a sub-heading, an optional line under it
// saying what the section is for, then its content.
func clientSection(title, subtitle string, content ...fyne.CanvasObject) fyne.CanvasObject {
	head := []fyne.CanvasObject{&widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}}
	if subtitle != "" {
		head = append(head, &widget.Label{Text: subtitle, Wrapping: fyne.TextWrapWord})
	}
	return &widget.Card{Content: container.NewVBox(append(head, content...)...)}
}

func (f *clientForm) contactSection() fyne.CanvasObject {
	return clientSection("Contact", "Fields marked * are needed. Give a phone number or an e-mail address.",
		widgets.Pair(f.add("given_name", "Given name *", f.given), f.add("family_name", "Family name", f.family)),
		widgets.Pair(f.add("date_of_birth", "Date of birth *", f.dob), f.add("phone", "Phone", f.phone)),
		widgets.Pair(f.add("email", "E-mail", f.email), f.add("email_reminders", "E-mail reminders", f.reminders)),
		f.add("address", "Postal address", f.address),
	)
}

func (f *clientForm) skinSection() fyne.CanvasObject {
	grid := container.NewGridWithColumns(2)
	for _, c := range f.concerns {
		grid.Add(c)
	}
	return clientSection("Skin", "",
		widgets.Pair(f.add("skin_type", "Fitzpatrick skin type", f.skinType), container.NewStack()),
		f.add("concerns", "What the client would like to improve", grid),
	)
}

func (f *clientForm) healthSection() fyne.CanvasObject {
	f.isoBox = widgets.Indent(widgets.Pair(f.add("isotretinoin_stopped", "Stopped on (leave empty while still taking it)", f.isoStopped), container.NewStack()))
	f.activesBox = widgets.Indent(widgets.Pair(f.add("recent_actives_on", "When", f.activesOn), f.add("recent_actives_what", "What was used or done", f.activesWhat)))
	screening := &widget.Label{Text: "Screening: tick what applies today", TextStyle: fyne.TextStyle{Bold: true}}
	return clientSection("Health and screening", "Checked again before every treatment.",
		f.add("allergies", "Allergies", f.allergies),
		f.add("medications", "Medications", f.medications),
		f.add("medical_notes", "Medical notes", f.medicalNotes),
		widget.NewSeparator(),
		screening,
		f.isotretinoin,
		f.isoBox,
		f.pregnant, f.thinners, f.keloid, f.infection, f.metal,
		f.actives,
		f.activesBox,
	)
}

func (f *clientForm) consentSection() fyne.CanvasObject {
	return clientSection("Consent and notes", "",
		widgets.Pair(f.add("consent_signed_on", "Consent signed on", f.consentOn), f.add("consent_form_version", "Consent form version", f.consentVersion)),
		f.add("notes", "Notes", f.notes),
	)
}

// onIsotretinoinTicked shows the stop date only when it means something.
// Unticking keeps what was typed, but it is not saved.
func (f *clientForm) onIsotretinoinTicked(on bool) { clientShowIf(on, f.isoBox) }

// onActivesTicked shows the date and description of recent actives.
func (f *clientForm) onActivesTicked(on bool) { clientShowIf(on, f.activesBox) }

// fill puts client c into the inputs and remembers them as unchanged.
func (f *clientForm) fill(c data.Client) {
	s := f.env.Settings
	f.given.SetText(c.GivenName)
	f.family.SetText(c.FamilyName)
	f.dob.SetText(s.FormatDate(c.DateOfBirth))
	f.phone.SetText(c.Phone)
	f.email.SetText(c.Email)
	f.reminders.SetChecked(c.EmailReminders)
	f.address.SetText(c.Address)
	f.skinType.SetSelectedIndex(min(max(int(c.SkinType), 0), len(clientSkinTypes)-1))
	for i, cn := range data.Concerns {
		f.concerns[i].SetChecked(hasConcern(c.Concerns, cn))
	}
	f.allergies.SetText(c.Allergies)
	f.medications.SetText(c.Medications)
	f.medicalNotes.SetText(c.MedicalNotes)
	f.fillScreening(c.Contra)
	f.consentOn.SetText(s.FormatDate(c.Consent.SignedOn))
	f.consentVersion.SetText(c.Consent.FormVersion)
	f.notes.SetText(c.Notes)
	f.baseline = f.state()
}

func (f *clientForm) fillScreening(k data.Contraindications) {
	s := f.env.Settings
	f.isotretinoin.SetChecked(k.Isotretinoin)
	f.isoStopped.SetText(s.FormatDate(k.IsotretinoinStopped))
	f.pregnant.SetChecked(k.PregnantOrNursing)
	f.thinners.SetChecked(k.Anticoagulants)
	f.keloid.SetChecked(k.KeloidTendency)
	f.infection.SetChecked(k.ActiveInfection)
	f.metal.SetChecked(k.MetalAllergy)
	f.actives.SetChecked(k.RecentActives)
	f.activesOn.SetText(s.FormatDate(k.RecentActivesOn))
	f.activesWhat.SetText(k.RecentActivesWhat)
	f.onIsotretinoinTicked(k.Isotretinoin)
	f.onActivesTicked(k.RecentActives)
}

func hasConcern(cs []data.Concern, c data.Concern) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// clientFormState is everything the user can change, as shown, so two
// states compare with ==.
type clientFormState struct {
	given, family, dob, phone, email, address, skin, concerns string
	reminders                                                 bool
	allergies, medications, medicalNotes                      string
	isotretinoin                                              bool
	isoStopped                                                string
	pregnant, thinners, keloid, infection, metal, actives     bool
	activesOn, activesWhat, consentOn, consentVersion, notes  string
}

func (f *clientForm) state() clientFormState {
	var ticked []string
	for i, c := range f.concerns {
		if c.Checked {
			ticked = append(ticked, string(data.Concerns[i]))
		}
	}
	return clientFormState{
		given: f.given.Text, family: f.family.Text, dob: f.dob.Text, phone: f.phone.Text,
		email: f.email.Text, reminders: f.reminders.Checked, address: f.address.Text, skin: f.skinType.Selected,
		concerns: strings.Join(ticked, ","), allergies: f.allergies.Text,
		medications: f.medications.Text, medicalNotes: f.medicalNotes.Text,
		isotretinoin: f.isotretinoin.Checked, isoStopped: f.isoStopped.Text,
		pregnant: f.pregnant.Checked, thinners: f.thinners.Checked, keloid: f.keloid.Checked,
		infection: f.infection.Checked, metal: f.metal.Checked, actives: f.actives.Checked,
		activesOn: f.activesOn.Text, activesWhat: f.activesWhat.Text,
		consentOn: f.consentOn.Text, consentVersion: f.consentVersion.Text, notes: f.notes.Text,
	}
}

// dirty reports changes not yet saved.
func (f *clientForm) dirty() bool { return f.state() != f.baseline }

// collect reads the inputs into a client. The error lists what cannot be
// read (a date typed wrong) and what data's validation refuses, by field.
func (f *clientForm) collect() (data.Client, error) {
	c := f.client // keeps the ID and timestamps of a loaded client
	var bad []data.FieldError
	date := func(field string, e *widgets.Entry) data.Date {
		d, err := widgets.ParseUserDate(e.Text, f.env.Settings.DateFormat)
		if err != nil {
			bad = append(bad, data.FieldError{Field: field, Message: err.Error()})
		}
		return d
	}
	c.GivenName, c.FamilyName = f.given.Text, f.family.Text // exactly as typed
	c.DateOfBirth = date("date_of_birth", f.dob)
	c.Phone, c.Email = strings.TrimSpace(f.phone.Text), strings.TrimSpace(f.email.Text)
	c.EmailReminders = f.reminders.Checked
	c.Address = f.address.Text
	c.SkinType = data.SkinType(max(f.skinType.SelectedIndex(), 0))
	c.Concerns = f.tickedConcerns()
	c.Allergies, c.Medications, c.MedicalNotes = f.allergies.Text, f.medications.Text, f.medicalNotes.Text
	c.Contra = f.collectScreening(date)
	c.Consent = data.Consent{SignedOn: date("consent_signed_on", f.consentOn), FormVersion: strings.TrimSpace(f.consentVersion.Text)}
	c.Notes = f.notes.Text
	bad = append(bad, data.FieldProblems(c.Validate(f.env.Today()))...)
	if len(bad) > 0 {
		return c, &data.ValidationError{Problems: bad}
	}
	return c, nil
}

// collectScreening reads the contraindication questions; dates of an
// unticked question are left out.
func (f *clientForm) collectScreening(date func(string, *widgets.Entry) data.Date) data.Contraindications {
	k := data.Contraindications{
		Isotretinoin:      f.isotretinoin.Checked,
		PregnantOrNursing: f.pregnant.Checked,
		Anticoagulants:    f.thinners.Checked,
		KeloidTendency:    f.keloid.Checked,
		ActiveInfection:   f.infection.Checked,
		MetalAllergy:      f.metal.Checked,
		RecentActives:     f.actives.Checked,
	}
	if k.Isotretinoin {
		k.IsotretinoinStopped = date("isotretinoin_stopped", f.isoStopped)
	}
	if k.RecentActives {
		k.RecentActivesOn = date("recent_actives_on", f.activesOn)
		k.RecentActivesWhat = strings.TrimSpace(f.activesWhat.Text)
	}
	return k
}

func (f *clientForm) tickedConcerns() []data.Concern {
	var out []data.Concern
	for i, c := range f.concerns {
		if c.Checked {
			out = append(out, data.Concerns[i])
		}
	}
	return out
}

// save checks the form at once and, when it is fine, saves in the
// background.
func (f *clientForm) save() {
	if f.saving {
		return
	}
	c, err := f.collect()
	if f.showProblems(err) {
		return
	}
	if f.env.ActorID() == 0 {
		f.summary.SetText("Choose who is working in the bar at the top first, so the change is recorded under your name.")
		return
	}
	f.setSaving(true)
	actor := f.env.ActorID()
	screen.Background(f.env.Env, func(ctx context.Context) (data.Client, error) {
		var err error
		if c.ID == 0 {
			err = f.env.deps.Clients.CreateClient(ctx, actor, &c)
		} else {
			err = f.env.deps.Clients.UpdateClient(ctx, actor, &c)
		}
		return c, err
	}, f.saved)
}

// saved applies the store's answer.
func (f *clientForm) saved(c data.Client, err error) {
	f.setSaving(false)
	if err != nil {
		if data.FieldProblems(err) != nil {
			f.showProblems(err)
			return
		}
		if errors.Is(err, data.ErrConflict) {
			f.showConflict(err)
			return
		}
		f.env.ShowError("Could not save the client", err)
		return
	}
	f.client = c
	f.baseline = f.state()
	f.fields.Clear()
	f.summary.SetText("")
	f.reloadBtn.Hide()
	f.publishing = true
	f.env.Events.Publish(screen.ClientChanged{Client: data.ClientID(c.ID)})
	f.publishing = false
	if f.onSaved != nil {
		f.onSaved(c)
	}
}

// onClientChanged warns, while the form is open, that someone else (on
// another workstation) has just saved this client, and offers Reload,
// rather than letting the person find out only when they save.
func (f *clientForm) onClientChanged(e screen.ClientChanged) {
	if f.publishing || f.saving || (e.Client != 0 && int64(e.Client) != f.client.ID) {
		return
	}
	f.summary.SetText("Someone else has just changed this client's record. Reload to see their changes before you save; what you typed stays until you choose.")
	f.reloadBtn.Show()
}

// showConflict tells the person that someone changed the record since the
// form was opened, so nothing was saved, and offers Reload. What they
// typed stays in the form until they choose.
func (f *clientForm) showConflict(err error) {
	f.summary.SetText(widgets.ConflictSummary(err, "Someone else changed this client's record since you opened it, so your changes were not saved"))
	f.reloadBtn.Show()
}

// reload reads the record as saved now and puts it in the form, then
// says which of the person's unsaved changes it replaced.
func (f *clientForm) reload() {
	if f.saving || f.client.ID == 0 {
		return
	}
	actor, id := f.env.ActorID(), f.client.ID
	f.setSaving(true)
	screen.Background(f.env.Env, func(ctx context.Context) (data.Client, error) {
		return f.env.deps.Clients.Client(ctx, actor, id)
	}, f.reloaded)
}

// reloaded applies the record read by reload.
func (f *clientForm) reloaded(c data.Client, err error) {
	f.setSaving(false)
	if err != nil {
		f.env.ShowError("Could not reload the client", err)
		return
	}
	mine, opened := f.state(), f.baseline
	f.client = c
	f.fill(c)
	f.fields.Clear()
	f.reloadBtn.Hide()
	f.summary.SetText(widgets.ReloadedSummary(c.FullName()+"'s record", widgets.ReplacedFields(clientStateFields, opened, mine, f.state())))
}

// clientStateFields names each part of clientFormState as the form labels it.
var clientStateFields = []widgets.StateField[clientFormState]{
	{Label: "Given name", Get: func(s clientFormState) any { return s.given }},
	{Label: "Family name", Get: func(s clientFormState) any { return s.family }},
	{Label: "Date of birth", Get: func(s clientFormState) any { return s.dob }},
	{Label: "Phone", Get: func(s clientFormState) any { return s.phone }},
	{Label: "E-mail", Get: func(s clientFormState) any { return s.email }},
	{Label: "E-mail reminders", Get: func(s clientFormState) any { return s.reminders }},
	{Label: "Postal address", Get: func(s clientFormState) any { return s.address }},
	{Label: "Fitzpatrick skin type", Get: func(s clientFormState) any { return s.skin }},
	{Label: "What the client would like to improve", Get: func(s clientFormState) any { return s.concerns }},
	{Label: "Allergies", Get: func(s clientFormState) any { return s.allergies }},
	{Label: "Medications", Get: func(s clientFormState) any { return s.medications }},
	{Label: "Medical notes", Get: func(s clientFormState) any { return s.medicalNotes }},
	{Label: "Isotretinoin", Get: func(s clientFormState) any { return [2]any{s.isotretinoin, s.isoStopped} }},
	{Label: "Pregnant or breastfeeding", Get: func(s clientFormState) any { return s.pregnant }},
	{Label: "Blood thinners", Get: func(s clientFormState) any { return s.thinners }},
	{Label: "Keloid scars", Get: func(s clientFormState) any { return s.keloid }},
	{Label: "Skin infection", Get: func(s clientFormState) any { return s.infection }},
	{Label: "Metal allergy", Get: func(s clientFormState) any { return s.metal }},
	{Label: "Recent retinoids, peels, laser or injectables", Get: func(s clientFormState) any { return [3]any{s.actives, s.activesOn, s.activesWhat} }},
	{Label: "Consent signed on", Get: func(s clientFormState) any { return s.consentOn }},
	{Label: "Consent form version", Get: func(s clientFormState) any { return s.consentVersion }},
	{Label: "Notes", Get: func(s clientFormState) any { return s.notes }},
}

func (f *clientForm) setSaving(on bool) {
	f.saving = on
	if on {
		f.saveBtn.SetText("Saving…")
		f.saveBtn.Disable()
		return
	}
	f.saveBtn.SetText("Save client")
	f.saveBtn.Enable()
}

// showProblems puts each problem under its field, the rest in the summary,
// and brings the first problem into view. It reports whether there were any.
func (f *clientForm) showProblems(err error) bool {
	rest := f.fields.Show(err)
	if err == nil {
		f.summary.SetText("")
		return false
	}
	msg := "Some details need a look: see the messages in red."
	if len(rest) > 0 {
		msg += "\n" + widgets.ProblemSummary(rest)
	}
	f.summary.SetText(msg)
	f.revealFirstProblem()
	return true
}

// revealFirstProblem scrolls to the first field with a message and puts
// the cursor in it.
func (f *clientForm) revealFirstProblem() {
	for _, fd := range f.fields {
		if !fd.Message.Visible() {
			continue
		}
		f.reveal(fd.Box)
		if in, ok := fd.Input.(fyne.Focusable); ok {
			if c := fyne.CurrentApp().Driver().CanvasForObject(fd.Input); c != nil {
				c.Focus(in)
			}
		}
		return
	}
}

// reveal scrolls the form just enough to bring o into view, with room for
// the label above it; Tab and a save with problems both use it.
func (f *clientForm) reveal(o fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	if d.CanvasForObject(o) == nil {
		return
	}
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(f.scroll.Content).Y
	bottom := top + o.Size().Height
	const above, below = 48, 16
	off, view := f.scroll.Offset.Y, f.scroll.Size().Height
	switch {
	case top-above < off:
		off = top - above
	case bottom+below > off+view:
		off = bottom + below - view
	default:
		return
	}
	f.scroll.ScrollToOffset(fyne.NewPos(0, max(off, 0)))
}

// cancel leaves the form (asking first about unsaved changes) or, when the
// form was not given a way to leave, puts the fields back as loaded.
func (f *clientForm) cancel() {
	if f.onCancel != nil {
		f.onCancel()
		return
	}
	if f.dirty() {
		f.env.Confirm("Discard changes", "Put every field back as it was and lose the changes?", "Discard changes", f.revert)
	}
}

func (f *clientForm) revert() {
	f.fill(f.client)
	f.fields.Clear()
	f.summary.SetText("")
}

// clientColumnLayout centres its objects in a column no wider than width.
type clientColumnLayout struct{ width float32 }

func (l *clientColumnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (l *clientColumnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, l.width)
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
	}
}

// newClientEntry makes a text field of the client form, which Tab
// brings into view.
func newClientEntry(rows int, onSave func(), onFocus func(fyne.CanvasObject)) *widgets.Entry {
	e := widgets.NewEntry(rows, onSave)
	e.OnFocus = onFocus
	return e
}
