package booksetup

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// MenuScreen is the clinic's treatment menu: what clients are booked for,
// how long each usually takes, the areas it usually covers and whether
// it needles the skin. A line no longer offered is retired, never
// deleted, since past appointments name it.
type MenuScreen struct {
	env   *areaEnv
	stack *screen.Stack

	items  []data.TreatmentType
	gen    uint64
	loaded bool
	Form   *MenuForm // the form open now, if any

	ShowRetired *widget.Check
	AddBtn      *widget.Button
	list        *fyne.Container
	Status      *widget.Label
}

func newMenuScreen(env *areaEnv) *MenuScreen {
	s := &MenuScreen{env: env}
	s.ShowRetired = &widget.Check{Text: "Show retired treatments", OnChanged: func(bool) { s.reload() }}
	s.AddBtn = &widget.Button{Text: "Add treatment", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: s.onAdd}
	s.list = container.NewVBox()
	s.Status = &widget.Label{Text: "The treatment menu is read when you open this tab."}
	top := container.NewVBox(container.NewBorder(nil, nil, nil, s.AddBtn, widgets.Title("Treatment menu")),
		widgets.Caption("What clients are booked for. The length is what a booking starts with; the areas are ticked "+
			"on the session form when treatment starts. The shortest time between needling sessions applies only "+
			"to treatments that needle the skin."),
		s.ShowRetired, widget.NewSeparator())
	root := container.NewPadded(widgets.Column(top, container.NewVScroll(s.list), container.NewVBox(widget.NewSeparator(), s.Status)))
	s.stack = screen.NewStack(env.Env, &screen.Page{Title: "Treatment menu", Content: root})
	return s
}

func (s *MenuScreen) content() fyne.CanvasObject { return s.stack.Content }
func (s *MenuScreen) dirty() bool                { return s.stack.HasUnsaved() }
func (s *MenuScreen) save()                      { s.stack.SaveTop() }
func (s *MenuScreen) shown() {
	if s.stack.Depth() == 1 {
		s.reload()
	}
}

// reload reads the menu in the background.
func (s *MenuScreen) reload() {
	if s.env.deps.Menu == nil {
		return
	}
	s.gen++
	gen, all, actor, store := s.gen, s.ShowRetired.Checked, s.env.ActorID(), s.env.deps.Menu
	screen.Background(s.env.Env, func(ctx context.Context) ([]data.TreatmentType, error) {
		return store.TreatmentTypes(ctx, actor, all)
	}, func(ts []data.TreatmentType, err error) {
		if gen != s.gen {
			return
		}
		if err != nil {
			setStatus(s.Status, "Could not read the treatment menu. "+data.UserMessage(err), true)
			return
		}
		s.items, s.loaded = ts, true
		s.render()
	})
}

func (s *MenuScreen) render() {
	var objs []fyne.CanvasObject
	active := 0
	for _, t := range s.items {
		objs = append(objs, s.row(t))
		if t.Active {
			active++
		}
	}
	s.list.Objects = rows(objs)
	s.list.Refresh()
	switch {
	case len(s.items) == 0:
		setStatus(s.Status, "The menu is empty. Add the treatments the clinic offers, such as a face treatment of 60 minutes.", false)
	case active == len(s.items):
		setStatus(s.Status, widgets.Count(active, "treatment")+" on the menu", false)
	default:
		setStatus(s.Status, fmt.Sprintf("%s on the menu, %d retired", widgets.Count(active, "treatment"), len(s.items)-active), false)
	}
}

func (s *MenuScreen) row(t data.TreatmentType) fyne.CanvasObject {
	edit := &widget.Button{Text: "Edit", Icon: theme.DocumentCreateIcon(), OnTapped: func() { s.open(t) }}
	if t.Active {
		retire := &widget.Button{Text: "Retire", Importance: widget.LowImportance, OnTapped: func() { s.onRetire(t) }}
		return listRow(t.Name, menuDetail(t), false, edit, retire)
	}
	back := &widget.Button{Text: "Bring back", Icon: theme.ContentUndoIcon(), OnTapped: func() { s.setActive(t, true) }}
	return listRow(t.Name, menuDetail(t), true, edit, back)
}

// menuDetail is a line of the menu's second row: "60 minutes · Cheeks,
// Forehead · needling".
func menuDetail(t data.TreatmentType) string {
	parts := []string{fmt.Sprintf("%d minutes", t.DefaultMinutes)}
	if len(t.Areas) > 0 {
		names := make([]string, len(t.Areas))
		for i, a := range t.Areas {
			names[i] = a.Label()
		}
		parts = append(parts, strings.Join(names, ", "))
	}
	if t.Needling {
		parts = append(parts, "needles the skin")
	} else {
		parts = append(parts, "no needling")
	}
	return strings.Join(parts, "  ·  ")
}

func (s *MenuScreen) onAdd() {
	s.open(data.TreatmentType{Active: true, Needling: true, DefaultMinutes: 60})
}

func (s *MenuScreen) open(t data.TreatmentType) {
	s.Form = newMenuForm(s.env, t, func() { s.stack.PopNow(); s.reload() }, s.stack.Pop)
	s.stack.Push(s.Form.page)
	s.env.Focus(s.Form.Name)
	selectAll(s.Form.Name) // typing a new name replaces the old one
}

func (s *MenuScreen) onRetire(t data.TreatmentType) {
	s.env.Confirm("Retire treatment", fmt.Sprintf("Take %s off the menu? Appointments already booked for it keep it, "+
		"but it is no longer offered for new bookings. You can bring it back later.", t.Name), "Retire",
		func() { s.setActive(t, false) })
}

func (s *MenuScreen) setActive(t data.TreatmentType, active bool) {
	t.Active = active
	actor, store := s.env.ActorID(), s.env.deps.Menu
	screen.Background(s.env.Env, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, store.UpdateTreatmentType(ctx, actor, &t)
	}, func(_ struct{}, err error) {
		if err != nil {
			s.env.ShowError("Could not change the treatment", err)
		}
		s.reload()
	})
}

// MenuForm adds a treatment to the menu or edits one.
type MenuForm struct {
	env      *areaEnv
	original data.TreatmentType
	saved    func()
	cancel   func()
	page     *screen.Page

	Name, Minutes *widgets.Entry
	Areas         *widget.CheckGroup
	Needling      *widget.Check
	Fields        widgets.FieldSet
	Summary       *widget.Label
	SaveBtn       *widget.Button

	initial string
	saving  bool
}

func newMenuForm(env *areaEnv, t data.TreatmentType, saved, cancel func()) *MenuForm {
	f := &MenuForm{env: env, original: t, saved: saved, cancel: cancel}
	f.Name = widgets.NewSubmitEntry(1, f.save, nil)
	f.Name.PlaceHolder = "For example: Microneedling, face"
	f.Minutes = widgets.NewSubmitEntry(1, f.save, nil)
	labels := make([]string, len(data.Areas))
	for i, a := range data.Areas {
		labels[i] = a.Label()
	}
	f.Areas = &widget.CheckGroup{Options: labels, Horizontal: false}
	f.Needling = &widget.Check{Text: "Needles the skin (the shortest time between needling sessions applies)"}
	for _, e := range []*widgets.Entry{f.Name, f.Minutes} {
		e.OnEscape = f.onCancel
	}
	f.Fields = widgets.FieldSet{
		widgets.NewField("name", "Name", f.Name),
		widgets.NewField("default_minutes", "Usual length", container.NewHBox(fixedWidth(100, f.Minutes), widget.NewLabel("minutes"))),
		widgets.NewField("areas", "Areas it usually covers", container.NewGridWithColumns(2, f.Areas)),
		widgets.NewField("needling", "Needling", f.Needling),
	}
	f.Summary = widgets.Summary()
	f.SaveBtn = &widget.Button{Text: "Save treatment", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: f.save}
	f.fill(t)
	f.initial = f.snapshot()
	title := "New treatment"
	if t.ID != 0 {
		title = "Edit " + t.Name
	}
	buttons := container.NewHBox(f.SaveBtn, &widget.Button{Text: "Cancel", OnTapped: f.onCancel})
	form := container.NewVBox(f.Fields[0].Box, f.Fields[1].Box, f.Fields[3].Box, f.Fields[2].Box)
	// The save bar stays under the form, not at the foot of the list of
	// areas, where a small window hid it until one scrolled.
	bar := container.NewVBox(widget.NewSeparator(), f.Summary,
		container.NewBorder(nil, nil, buttons, nil, widgets.Caption("Enter or Ctrl+S saves; Escape goes back.")))
	f.page = &screen.Page{Title: title, Content: container.NewPadded(container.NewBorder(nil, bar, nil, nil,
		widgets.NewFormScroll(container.NewPadded(form)))),
		Dirty: func() bool { return f.snapshot() != f.initial }, Save: f.save}
	f.Fields.Watch(func() []data.FieldError { t, bad := f.read(); return mergeProblems(bad, t.Validate()) },
		func() { widgets.SetSummary(f.Summary, "", widget.MediumImportance) })
	return f
}

func (f *MenuForm) fill(t data.TreatmentType) {
	f.Name.SetText(t.Name)
	if t.DefaultMinutes > 0 {
		f.Minutes.SetText(strconv.Itoa(t.DefaultMinutes))
	}
	var sel []string
	for _, a := range t.Areas {
		sel = append(sel, a.Label())
	}
	f.Areas.SetSelected(sel)
	f.Needling.SetChecked(t.Needling)
}

func (f *MenuForm) snapshot() string {
	return strings.Join([]string{f.Name.Text, f.Minutes.Text, strings.Join(f.Areas.Selected, "|"), strconv.FormatBool(f.Needling.Checked)}, "\x00")
}

// read builds the treatment from the inputs, with a problem for each
// input that cannot even be read.
func (f *MenuForm) read() (data.TreatmentType, []data.FieldError) {
	t := f.original
	t.Name = trimmed(f.Name)
	t.Needling = f.Needling.Checked
	t.Areas = nil
	for _, a := range data.Areas { // in the menu's own order, whatever order they were ticked in
		for _, l := range f.Areas.Selected {
			if l == a.Label() {
				t.Areas = append(t.Areas, a)
			}
		}
	}
	var bad []data.FieldError
	if n, err := strconv.Atoi(trimmed(f.Minutes)); err != nil {
		bad = append(bad, data.FieldError{Field: "default_minutes", Message: "type the usual length as a whole number of minutes, such as 60"})
	} else {
		t.DefaultMinutes = n
	}
	return t, bad
}

func (f *MenuForm) save() {
	if f.saving {
		return
	}
	t, bad := f.read()
	if !showProblems(f.Fields, f.Summary, mergeProblems(bad, t.Validate())) {
		return
	}
	f.saving = true
	f.SaveBtn.Disable()
	actor, store := f.env.ActorID(), f.env.deps.Menu
	screen.Background(f.env.Env, func(ctx context.Context) (struct{}, error) {
		if t.ID == 0 {
			return struct{}{}, store.CreateTreatmentType(ctx, actor, &t)
		}
		return struct{}{}, store.UpdateTreatmentType(ctx, actor, &t)
	}, func(_ struct{}, err error) {
		f.saving = false
		f.SaveBtn.Enable()
		if err != nil {
			saveFailed(f.Fields, f.Summary, err, "the treatment")
			return
		}
		f.initial = f.snapshot()
		f.saved()
	})
}

func (f *MenuForm) onCancel() { f.cancel() }
