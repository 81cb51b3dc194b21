package ui

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

// aftercareCount is one of the aftercare day counts: what it means, its
// unit, and where it lives in data.AftercareSettings.
type aftercareCount struct {
	name  string // data's field name
	label string
	unit  string
	ref   func(*data.AftercareSettings) *int
	entry *adminEntry
	field *field
}

// aftercareEditor edits the aftercare sheet: how long each precaution
// lasts and the text of each part of the healing timeline.
type aftercareEditor struct {
	env       *appEnv
	onChange  func()
	counts    []*aftercareCount
	templates map[data.Window]*adminEntry
	fields    fieldSet
	restored  *widget.Label
	content   fyne.CanvasObject
}

func newAftercareEditor(env *appEnv, onSave, onChange func()) *aftercareEditor {
	a := &aftercareEditor{env: env, onChange: onChange, templates: map[data.Window]*adminEntry{}}
	a.counts = []*aftercareCount{
		{name: "no_makeup_hours", label: "No makeup for", unit: "hours", ref: func(s *data.AftercareSettings) *int { return &s.NoMakeupHours }},
		{name: "sun_heat_hours", label: "No direct sun, sauna or steam for", unit: "hours", ref: func(s *data.AftercareSettings) *int { return &s.SunHeatHours }},
		{name: "exercise_hours", label: "No exercise for", unit: "hours", ref: func(s *data.AftercareSettings) *int { return &s.ExerciseHours }},
		{name: "actives_days", label: "No retinoids, acids or scrubs for", unit: "days", ref: func(s *data.AftercareSettings) *int { return &s.ActivesDays }},
		{name: "brushes_days", label: "No cleansing brushes for", unit: "days", ref: func(s *data.AftercareSettings) *int { return &s.BrushesDays }},
		{name: "nsaid_days", label: "No anti-inflammatories or ice for", unit: "days", ref: func(s *data.AftercareSettings) *int { return &s.NSAIDDays }},
		{name: "sun_care_days", label: "Extra care in the sun for", unit: "days", ref: func(s *data.AftercareSettings) *int { return &s.SunCareDays }},
		{name: "vitamin_c_from_day", label: "Vitamin C allowed from day", unit: "(day 7 at the earliest)", ref: func(s *data.AftercareSettings) *int { return &s.VitaminCFromDay }},
	}
	var countBoxes []fyne.CanvasObject
	for _, c := range a.counts {
		c.entry = newAdminEntry(1, onSave, onChange)
		unit := &widget.Label{Text: c.unit}
		c.field = newField(c.name, c.label, container.NewHBox(settingsWidth(110, c.entry), unit))
		a.fields = append(a.fields, c.field)
		countBoxes = append(countBoxes, c.field.box)
	}
	var templateBoxes []fyne.CanvasObject
	for _, w := range data.Windows {
		e := newAdminEntry(9, onSave, onChange)
		a.templates[w] = e
		f := newField("template_"+string(w), w.Title(), e)
		a.fields = append(a.fields, f)
		templateBoxes = append(templateBoxes, f.box)
	}
	a.restored = adminCaption("")
	a.restored.Importance = widget.SuccessImportance
	a.restored.Hide()
	a.content = a.layout(countBoxes, templateBoxes)
	return a
}

func (a *aftercareEditor) layout(countBoxes, templateBoxes []fyne.CanvasObject) fyne.CanvasObject {
	counts := adminSection("How long each precaution lasts", "Counted from the treatment; the sheet turns them into dates.",
		container.NewGridWithColumns(2, countBoxes...))
	restore := &widget.Button{Text: "Restore NeedleDesk's texts", Icon: theme.ContentUndoIcon(), OnTapped: a.onRestore}
	textsHelp := adminCaption("Each text is one part of the healing timeline on the sheet. Leave a blank line " +
		"between paragraphs; start a line with \"- \" to make it a bullet point. Words in braces, such as " +
		"{first_name}, are filled in for each client (see the list).")
	texts := adminSection("Sheet texts", "", container.NewVBox(textsHelp,
		container.NewBorder(nil, nil, nil, restore, a.restored), container.NewVBox(templateBoxes...)))
	help := adminSection("Placeholders", "You can use these in the texts", placeholderHelp())
	return container.NewVBox(counts, container.NewBorder(nil, nil, nil, container.NewVBox(help), texts))
}

// placeholderHelp lists every placeholder with what it becomes.
func placeholderHelp() fyne.CanvasObject {
	names := make([]string, 0, len(data.Placeholders))
	for k := range data.Placeholders {
		names = append(names, k)
	}
	sort.Strings(names)
	box := container.NewVBox()
	for _, k := range names {
		box.Add(container.New(&tightVBox{},
			&widget.Label{Text: "{" + k + "}", TextStyle: fyne.TextStyle{Monospace: true}, Importance: widget.HighImportance},
			&widget.Label{Text: data.Placeholders[k], SizeName: theme.SizeNameCaptionText}))
	}
	return box
}

// fill shows the clinic's aftercare settings.
func (a *aftercareEditor) fill(s data.AftercareSettings) {
	for _, c := range a.counts {
		c.entry.SetText(fmt.Sprint(*c.ref(&s)))
	}
	for _, w := range data.Windows {
		a.templates[w].SetText(s.Templates[w])
	}
	a.restored.Hide()
}

// read puts the inputs into s, with a problem for each count that is not
// a number.
func (a *aftercareEditor) read(s *data.AftercareSettings) []data.FieldError {
	var bad []data.FieldError
	for _, c := range a.counts {
		n, err := parseCount(c.entry.Text)
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
}

// onRestore asks, then puts NeedleDesk's own texts back in the form.
func (a *aftercareEditor) onRestore() {
	a.env.confirm("Restore NeedleDesk's texts",
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
