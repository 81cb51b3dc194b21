package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// productForm adds a product to the catalogue or edits one. Problems show
// under their fields (from data's validation); a vitamin C product set to
// start before the clinic's cautious day gets a warning that does not
// block saving.
type productForm struct {
	env      *areaEnv
	original data.Product
	onSaved  func(data.Product)
	onCancel func()
	page     *screen.Page

	name, brand, howToUse, startDay, ingredients *widgets.Entry
	category                                     *widget.Select
	active                                       *widget.Check
	startField                                   *widgets.Field
	fields                                       widgets.FieldSet
	summary                                      *widget.Label
	saveBtn                                      *widget.Button
	reloadBtn                                    *widget.Button // shown when a save met someone else's change

	initial string // the inputs as first filled, to tell unsaved changes
	saving  bool
	saved   bool
}

func newProductForm(env *areaEnv, p data.Product, onSaved func(data.Product), onCancel func()) *productForm {
	f := &productForm{env: env, original: p, onSaved: onSaved, onCancel: onCancel}
	f.build()
	f.fill(p)
	f.initial = f.snapshot()
	title := "New product"
	if p.ID != 0 {
		title = "Edit " + p.Name
	}
	f.page = &screen.Page{Title: title, Content: f.layout(), Dirty: f.dirty, Save: f.save}
	f.fields.Watch(func() []data.FieldError { p, bad := f.read(); return adminMergeProblems(bad, p.Validate()) },
		func() { widgets.SetSummary(f.summary, "", widget.DangerImportance) })
	return f
}

func (f *productForm) build() {
	f.name = widgets.NewSubmitEntry(1, f.save, nil)
	f.brand = widgets.NewSubmitEntry(1, f.save, nil)
	f.howToUse = widgets.NewSubmitEntry(4, f.save, nil)
	f.howToUse.PlaceHolder = "How and when the client uses it, in a sentence or two"
	f.startDay = widgets.NewSubmitEntry(1, f.save, f.checkStartDay)
	f.startDay.PlaceHolder = "0 is the treatment day"
	f.ingredients = widgets.NewSubmitEntry(1, f.save, nil)
	f.ingredients.PlaceHolder = "For example: hyaluronic acid, panthenol"
	labels := make([]string, len(data.Categories))
	for i, c := range data.Categories {
		labels[i] = c.Label()
	}
	f.category = &widget.Select{Options: labels, PlaceHolder: "Choose a category", OnChanged: func(string) { f.checkStartDay() }}
	f.active = &widget.Check{Text: "In use (offered when recommending products)"}
	f.startField = widgets.NewField("default_start_day", "Start day after treatment", f.startDay)
	f.fields = widgets.FieldSet{
		widgets.NewField("name", "Name", f.name),
		widgets.NewField("brand", "Brand", f.brand),
		widgets.NewField("category", "Category", f.category),
		f.startField,
		widgets.NewField("key_ingredients", "Key ingredients (separated by commas)", f.ingredients),
		widgets.NewField("how_to_use", "How to use", f.howToUse),
		widgets.NewField("active", "Status", f.active),
	}
	f.summary = widgets.Summary()
	for _, e := range []*widgets.Entry{f.name, f.brand, f.howToUse, f.startDay, f.ingredients} {
		e.OnEscape = f.cancel
	}
	f.saveBtn = &widget.Button{Text: "Save product", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: f.save}
	f.reloadBtn = widgets.NewReloadButton(f.reload)
}

func (f *productForm) layout() fyne.CanvasObject {
	from := f.env.Settings.Aftercare.VitaminCFromDay
	hint := widgets.Caption(fmt.Sprintf("Days after the treatment day, when the client starts using it. "+
		"Gels and cleansers often start on day 0; for vitamin C the cautious start is day %d, once the skin has closed.", from))
	find := func(name string) fyne.CanvasObject { return f.fields.Find(name).Box }
	left := container.NewVBox(find("name"), find("brand"), find("category"),
		container.NewVBox(find("default_start_day"), hint))
	right := container.NewVBox(find("key_ingredients"), find("how_to_use"), find("active"))
	buttons := container.NewHBox(f.saveBtn, &widget.Button{Text: "Cancel", OnTapped: f.cancel}, f.reloadBtn)
	note := widgets.Caption("Enter or Ctrl+S saves; Escape goes back.")
	form := container.NewVBox(container.NewGridWithColumns(2, left, right), widget.NewSeparator(),
		f.summary, container.NewBorder(nil, nil, buttons, nil, note))
	return container.NewPadded(widgets.NewFormScroll(container.NewPadded(form)))
}

// focus puts the cursor in the first field.
func (f *productForm) focus() { f.env.Focus(f.name) }

func (f *productForm) fill(p data.Product) {
	f.name.SetText(p.Name)
	f.brand.SetText(p.Brand)
	if p.Category != "" {
		f.category.SetSelected(p.Category.Label())
	}
	f.howToUse.SetText(p.HowToUse)
	if p.ID != 0 {
		f.startDay.SetText(fmt.Sprint(p.DefaultStartDay))
	}
	f.ingredients.SetText(strings.Join(p.KeyIngredients, ", "))
	f.active.SetChecked(p.Active)
	f.fields.Clear()
}

func (f *productForm) snapshot() string {
	return strings.Join([]string{f.name.Text, f.brand.Text, f.category.Selected, f.howToUse.Text,
		f.startDay.Text, f.ingredients.Text, fmt.Sprint(f.active.Checked)}, "\x00")
}

// dirty reports typed changes that are not saved.
func (f *productForm) dirty() bool { return !f.saved && f.snapshot() != f.initial }

// cancel leaves the form; the stack asks first about unsaved changes.
func (f *productForm) cancel() {
	if f.onCancel != nil {
		f.onCancel()
	}
}

// selectedCategory is the category chosen, or "" for none.
func (f *productForm) selectedCategory() data.Category {
	for _, c := range data.Categories {
		if c.Label() == f.category.Selected {
			return c
		}
	}
	return ""
}

// checkStartDay warns, as the user types, when a vitamin C product would
// start before the clinic's cautious day.
func (f *productForm) checkStartDay() {
	day, err := widgets.ParseCount(f.startDay.Text)
	if err != nil || strings.TrimSpace(f.startDay.Text) == "" {
		f.startField.SetProblem("")
		return
	}
	w := productVitaminCWarning(data.Product{Category: f.selectedCategory(), DefaultStartDay: day}, f.env.Settings)
	f.startField.SetWarning(w)
}

// read builds the product from the inputs, with a problem for each input
// that cannot even be read.
func (f *productForm) read() (data.Product, []data.FieldError) {
	p := f.original
	p.Name = strings.TrimSpace(f.name.Text)
	p.Brand = strings.TrimSpace(f.brand.Text)
	p.Category = f.selectedCategory()
	p.HowToUse = strings.TrimSpace(f.howToUse.Text)
	p.KeyIngredients = productIngredients(f.ingredients.Text)
	p.Active = f.active.Checked
	var bad []data.FieldError
	switch day, err := widgets.ParseCount(f.startDay.Text); {
	case strings.TrimSpace(f.startDay.Text) == "":
		bad = append(bad, data.FieldError{Field: "default_start_day", Message: "is required (0 means the treatment day itself)"})
	case err != nil:
		bad = append(bad, data.FieldError{Field: "default_start_day", Message: "should be a whole number of days, such as 7"})
	default:
		p.DefaultStartDay = day
	}
	return p, bad
}

// productIngredients turns "a, b,,c" into ["a" "b" "c"].
func productIngredients(text string) []string {
	var out []string
	for _, part := range strings.Split(text, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// save checks the inputs and saves the product in the background.
func (f *productForm) save() {
	if f.saving {
		return
	}
	p, bad := f.read()
	if !f.showProblems(adminMergeProblems(bad, p.Validate())) {
		return
	}
	if !adminActorOK(f.env, false) {
		return
	}
	f.saving = true
	f.saveBtn.Disable()
	actor := f.env.ActorID()
	store := f.env.deps.Products
	screen.Background(f.env.Env, func(ctx context.Context) (data.Product, error) {
		if p.ID == 0 {
			return p, store.CreateProduct(ctx, actor, &p)
		}
		return p, store.UpdateProduct(ctx, actor, &p)
	}, f.afterSave)
}

func (f *productForm) afterSave(p data.Product, err error) {
	f.saving = false
	f.saveBtn.Enable()
	if err != nil {
		if data.FieldProblems(err) != nil {
			f.showProblems(data.FieldProblems(err))
			return
		}
		if errors.Is(err, data.ErrConflict) && f.original.ID != 0 {
			widgets.SetSummary(f.summary, widgets.ConflictSummary(err, "Someone else changed this product since you opened it, so your changes were not saved"), widget.DangerImportance)
			f.reloadBtn.Show()
			return
		}
		f.env.ShowError("Could not save the product", err)
		return
	}
	f.saved = true
	f.env.Events.Publish(screen.ProductChanged{Product: data.ProductID(p.ID)})
	if f.onSaved != nil {
		f.onSaved(p)
	}
}

// reload reads the product as saved now and puts it in the form, then
// says which of the person's unsaved changes it replaced.
func (f *productForm) reload() {
	if f.saving || f.original.ID == 0 {
		return
	}
	id, store, actor := f.original.ID, f.env.deps.Products, f.env.ActorID()
	f.saving = true
	f.reloadBtn.Disable()
	screen.Background(f.env.Env, func(ctx context.Context) (data.Product, error) {
		return store.Product(ctx, actor, id)
	}, func(p data.Product, err error) {
		f.saving = false
		f.reloadBtn.Enable()
		if err != nil {
			f.env.ShowError("Could not reload the product", err)
			return
		}
		mine, _ := f.read()
		opened := f.original
		f.original = p
		f.fill(p)
		f.initial = f.snapshot()
		f.checkStartDay()
		f.reloadBtn.Hide()
		lost := widgets.ReplacedFields(productStateFields, opened, mine, p)
		widgets.SetSummary(f.summary, widgets.ReloadedSummary("the product "+p.Name, lost), widget.WarningImportance)
	})
}

// productStateFields names each part of a product the form edits as the
// form labels it, as a comparable value.
var productStateFields = []widgets.StateField[data.Product]{
	{Label: "Name", Get: func(p data.Product) any { return p.Name }},
	{Label: "Brand", Get: func(p data.Product) any { return p.Brand }},
	{Label: "Category", Get: func(p data.Product) any { return p.Category }},
	{Label: "Start day after treatment", Get: func(p data.Product) any { return p.DefaultStartDay }},
	{Label: "Key ingredients", Get: func(p data.Product) any { return strings.Join(p.KeyIngredients, ", ") }},
	{Label: "How to use", Get: func(p data.Product) any { return p.HowToUse }},
	{Label: "Status", Get: func(p data.Product) any { return p.Active }},
}

// showProblems puts problems under their fields and the rest in the
// summary; it reports whether there were none.
func (f *productForm) showProblems(ps []data.FieldError) bool {
	if len(ps) == 0 {
		f.fields.Clear()
		f.checkStartDay()
		widgets.SetSummary(f.summary, "", widget.DangerImportance)
		return true
	}
	rest := f.fields.Show(&data.ValidationError{Problems: ps})
	msg := "Please correct the fields marked in red."
	if len(rest) > 0 {
		msg += "\n" + widgets.ProblemSummary(rest)
	}
	widgets.SetSummary(f.summary, msg, widget.DangerImportance)
	return false
}

// adminMergeProblems puts the problems of inputs that could not be read first
// and drops data's problems for those same fields.
func adminMergeProblems(bad []data.FieldError, err error) []data.FieldError {
	out := append([]data.FieldError(nil), bad...)
	for _, p := range data.FieldProblems(err) {
		taken := false
		for _, b := range bad {
			taken = taken || b.Field == p.Field
		}
		if !taken {
			out = append(out, p)
		}
	}
	return out
}
