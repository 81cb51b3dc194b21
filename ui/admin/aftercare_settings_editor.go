package admin

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/widgets"
)

// aftercareCount is one of the aftercare day counts: what it means, its
// unit, and where it lives in data.AftercareSettings.
type aftercareCount struct {
	name  string // data's field name
	label string
	unit  string
	ref   func(*data.AftercareSettings) *int
	entry *widgets.Entry
	field *widgets.Field
}

// aftercareText is one of the aftercare texts that is not a timeline
// template: a number, a list of signs, a line for a condition.
type aftercareText struct {
	name  string // data's field name
	label string
	rows  int
	ref   func(*data.AftercareSettings) *string
	entry *widgets.Entry
	field *widgets.Field
}

// aftercareEditor edits the aftercare sheet: how long each precaution
// lasts, the text of each part of the healing timeline, when to call and
// the lines for a client's conditions.
type aftercareEditor struct {
	env       *areaEnv
	onChange  func()
	counts    []*aftercareCount
	templates map[data.Window]*widgets.Entry
	texts     []*aftercareText
	fields    widgets.FieldSet
	restored  *widget.Label
	content   fyne.CanvasObject
	// confirmed are the figures below the sources' that the owner has
	// confirmed (as stored, or just now); read puts them in the settings.
	confirmed map[string]int
}

func newAftercareEditor(env *areaEnv, onSave, onChange func()) *aftercareEditor {
	a := &aftercareEditor{env: env, onChange: onChange, templates: map[data.Window]*widgets.Entry{}}
	a.counts = []*aftercareCount{
		{name: "no_makeup_hours", label: "No makeup for", unit: "hours", ref: func(s *data.AftercareSettings) *int { return &s.NoMakeupHours }},
		{name: "sun_heat_hours", label: "No direct sun, sauna or steam for (then sunscreen)", unit: "hours", ref: func(s *data.AftercareSettings) *int { return &s.SunHeatHours }},
		{name: "exercise_hours", label: "No exercise for", unit: "hours", ref: func(s *data.AftercareSettings) *int { return &s.ExerciseHours }},
		{name: "actives_days", label: "Retinoids, acids and scrubs again from", unit: "day", ref: func(s *data.AftercareSettings) *int { return &s.ActivesDays }},
		{name: "brushes_days", label: "No cleansing brushes for at least", unit: "days", ref: func(s *data.AftercareSettings) *int { return &s.BrushesDays }},
		{name: "nsaid_days", label: "No anti-inflammatories or ice for at least", unit: "days", ref: func(s *data.AftercareSettings) *int { return &s.NSAIDDays }},
		{name: "sun_care_days", label: "Extra care in the sun for", unit: "days", ref: func(s *data.AftercareSettings) *int { return &s.SunCareDays }},
		{name: "vitamin_c_from_day", label: "Vitamin C allowed from", unit: "day (day 7 at the earliest)", ref: func(s *data.AftercareSettings) *int { return &s.VitaminCFromDay }},
	}
	sources := map[string]data.SourceFigure{}
	for _, f := range data.SourceFigures {
		sources[f.Field] = f
	}
	var countBoxes []fyne.CanvasObject
	for _, c := range a.counts {
		c.entry = widgets.NewSubmitEntry(1, onSave, onChange)
		unit := &widget.Label{Text: c.unit}
		if f, ok := sources[c.name]; ok && c.name != "vitamin_c_from_day" {
			unit.Text += fmt.Sprintf(" (sources: %d)", f.Value)
		}
		c.field = widgets.NewField(c.name, c.label, container.NewHBox(settingsWidth(110, c.entry), unit))
		a.fields = append(a.fields, c.field)
		countBoxes = append(countBoxes, c.field.Box)
	}
	var templateBoxes []fyne.CanvasObject
	for _, w := range data.Windows {
		e := widgets.NewSubmitEntry(9, onSave, onChange)
		a.templates[w] = e
		f := widgets.NewField("template_"+string(w), w.Title(), e)
		a.fields = append(a.fields, f)
		templateBoxes = append(templateBoxes, f.Box)
	}
	a.texts = aftercareTexts()
	for _, t := range a.texts {
		t.entry = widgets.NewSubmitEntry(t.rows, onSave, onChange)
		t.field = widgets.NewField(t.name, t.label, t.entry)
		a.fields = append(a.fields, t.field)
	}
	a.restored = widgets.Caption("")
	a.restored.Importance = widget.SuccessImportance
	a.restored.Hide()
	a.content = a.layout(countBoxes, templateBoxes)
	return a
}

// aftercareTexts are the "when to call" and condition texts, in the order
// the form shows them.
func aftercareTexts() []*aftercareText {
	return []*aftercareText{
		{name: "out_of_hours_phone", label: "Out-of-hours number (printed for when the clinic is closed; may be empty)", rows: 1,
			ref: func(s *data.AftercareSettings) *string { return &s.OutOfHoursPhone }},
		{name: "emergency_number", label: "Emergency number, such as 999, 112 or 911 (empty prints \"emergency services\")", rows: 1,
			ref: func(s *data.AftercareSettings) *string { return &s.EmergencyNumber }},
		{name: "call_us_signs", label: "Call us if you notice (one sign a line)", rows: 5,
			ref: func(s *data.AftercareSettings) *string { return &s.CallUsSigns }},
		{name: "see_doctor_signs", label: "See a doctor the same day for (one sign a line)", rows: 4,
			ref: func(s *data.AftercareSettings) *string { return &s.SeeDoctorSigns }},
		{name: "emergency_signs", label: "Call emergency services at once for (one sign a line)", rows: 3,
			ref: func(s *data.AftercareSettings) *string { return &s.EmergencySigns }},
		{name: "blood_thinners_note", label: "For a client on blood thinners or with a bleeding disorder", rows: 3,
			ref: func(s *data.AftercareSettings) *string { return &s.BloodThinnersNote }},
		{name: "keloid_note", label: "For a client with keloid or raised scarring", rows: 3,
			ref: func(s *data.AftercareSettings) *string { return &s.KeloidNote }},
		{name: "pregnancy_note", label: "For a client who is pregnant or breastfeeding", rows: 3,
			ref: func(s *data.AftercareSettings) *string { return &s.PregnancyNote }},
	}
}

func (a *aftercareEditor) layout(countBoxes, templateBoxes []fyne.CanvasObject) fyne.CanvasObject {
	counts := widgets.CardSection("How long each precaution lasts",
		"Hours run from the time of the treatment to the end of the day they run out (72 hours from Friday 10:15 last to "+
			"the end of Monday); \"at least\" days are counted the same way, so a week lasts to the end of day 7; \"from day\" "+
			"counts the treatment day as day 0. A figure shorter than the sources' asks you to confirm it, and your "+
			"confirmation is kept in the audit trail.",
		container.NewGridWithColumns(2, countBoxes...))
	restore := &widget.Button{Text: "Restore NeedleDesk's texts", Icon: theme.ContentUndoIcon(), OnTapped: a.onRestore}
	textsHelp := widgets.Caption("Each text is one part of the healing timeline on the sheet. Leave a blank line " +
		"between paragraphs; start a line with \"- \" to make it a bullet point. Words in braces, such as " +
		"{first_name}, are filled in for each client (see the list): a date ending in _until is the last day a " +
		"precaution applies (write \"until the end of\"), one ending in _from the first day it no longer does. Start a " +
		"paragraph or bullet with [face], [body] or [vitamin_c] to print it only when the face (or neck or décolletage) " +
		"was treated, the hands or body were, or vitamin C is planned.")
	texts := widgets.CardSection("Sheet texts", "", container.NewVBox(textsHelp,
		container.NewBorder(nil, nil, nil, restore, a.restored), container.NewVBox(templateBoxes...)))
	help := widgets.CardSection("Placeholders", "You can use these in the texts", placeholderHelp())
	var callBoxes, noteBoxes []fyne.CanvasObject
	for _, t := range a.texts {
		if strings.HasSuffix(t.name, "_note") {
			noteBoxes = append(noteBoxes, t.field.Box)
		} else {
			callBoxes = append(callBoxes, t.field.Box)
		}
	}
	call := widgets.CardSection("When to call us, and when to get help at once",
		"Printed at the end of every sheet.", container.NewVBox(callBoxes...))
	notes := widgets.CardSection("Lines for a client's health record",
		"Printed on the sheet of a client whose record notes the condition; leave one empty to print nothing. "+
			"The placeholders work here too.", container.NewVBox(noteBoxes...))
	return container.NewVBox(counts, container.NewBorder(nil, nil, nil, container.NewVBox(help), texts), call, notes)
}

// placeholderHelp lists every placeholder with what it becomes.
func placeholderHelp() fyne.CanvasObject {
	names := make([]string, 0, len(data.Placeholders))
	for k := range data.Placeholders {
		names = append(names, k)
	}
	sort.Strings(names)
	// The rows go in at once: Add lays the box out after each row, which
	// measures the monospaced text and reads in a monospaced font (3 MB)
	// when the settings screen is made, not when it is first shown.
	rows := make([]fyne.CanvasObject, 0, len(names))
	for _, k := range names {
		rows = append(rows, container.New(&widgets.TightVBox{},
			&widget.Label{Text: "{" + k + "}", TextStyle: fyne.TextStyle{Monospace: true}, Importance: widget.HighImportance},
			&widget.Label{Text: data.Placeholders[k], SizeName: theme.SizeNameCaptionText}))
	}
	return container.NewVBox(rows...)
}

// fill shows the clinic's aftercare settings.
func (a *aftercareEditor) fill(s data.AftercareSettings) {
	for _, c := range a.counts {
		c.entry.SetText(fmt.Sprint(*c.ref(&s)))
	}
	for _, w := range data.Windows {
		a.templates[w].SetText(s.Templates[w])
	}
	for _, t := range a.texts {
		t.entry.SetText(*t.ref(&s))
	}
	a.confirmed = s.Confirmed
	a.restored.Hide()
}

// read puts the inputs into s, with a problem for each count that is not
// a number.
func (a *aftercareEditor) read(s *data.AftercareSettings) []data.FieldError {
	var bad []data.FieldError
	for _, c := range a.counts {
		n, err := widgets.ParseCount(c.entry.Text)
		switch {
		case strings.TrimSpace(c.entry.Text) == "":
			bad = append(bad, data.FieldError{Field: c.name, Message: "is required"})
		case err != nil:
			bad = append(bad, data.FieldError{Field: c.name, Message: err.Error()})
		default:
			*c.ref(s) = n
		}
	}
	t := make(map[data.Window]string, len(data.Windows))
	for k, v := range s.Templates {
		t[k] = v
	}
	for _, w := range data.Windows {
		t[w] = a.templates[w].Text
	}
	s.Templates = t
	for _, x := range a.texts {
		*x.ref(s) = strings.TrimSpace(x.entry.Text)
	}
	s.Confirmed = a.confirmed
	return bad
}

// snapshot adds the inputs to m, to tell unsaved changes.
func (a *aftercareEditor) snapshot(m map[string]string) {
	for _, c := range a.counts {
		m[c.name] = c.entry.Text
	}
	for _, w := range data.Windows {
		m["template_"+string(w)] = a.templates[w].Text
	}
	for _, t := range a.texts {
		m[t.name] = t.entry.Text
	}
}

// confirmShort asks the owner to confirm figures shorter than the sources'
// cautious ones before s is saved. It reports whether it asked: then the
// save waits, and again runs it once the owner has confirmed.
func (a *aftercareEditor) confirmShort(s data.AftercareSettings, again func()) bool {
	var nc *data.NeedsConfirmation
	if !errors.As(s.CheckSources(), &nc) {
		return false
	}
	lines := make([]string, len(nc.Short))
	for i, f := range nc.Short {
		lines[i] = "• " + f.String() + "\n   (" + f.Source + ")"
	}
	a.env.Confirm("Shorter than the sources",
		"These aftercare figures are shorter than the cautious figures of the clinical sources NeedleDesk follows:\n\n"+
			strings.Join(lines, "\n")+"\n\nSave them anyway? Your confirmation is recorded in the audit trail under your name.",
		"Save anyway", func() {
			s.Confirm()
			a.confirmed = s.Confirmed
			again()
		})
	return true
}

// onRestore asks, then puts NeedleDesk's own texts back in the form.
func (a *aftercareEditor) onRestore() {
	a.env.Confirm("Restore NeedleDesk's texts",
		"Replace all four sheet texts with the ones NeedleDesk came with? Your own wording in them will be lost "+
			"once you save. The day counts stay as they are.", "Restore texts", a.restoreTexts)
}

func (a *aftercareEditor) restoreTexts() {
	defaults := data.DefaultAftercareSettings().Templates
	for _, w := range data.Windows {
		a.templates[w].SetText(defaults[w])
	}
	a.restored.SetText("NeedleDesk's texts are back in the form. Save settings to keep them.")
	a.restored.Show()
	if a.onChange != nil {
		a.onChange()
	}
}
