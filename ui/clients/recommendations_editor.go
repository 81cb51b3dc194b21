package clients

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/widgets"
)

// recommendationRow is one recommended product with the day to start it.
type recommendationRow struct {
	product  data.Product
	day      *widgets.Entry
	startsOn *widget.Label
	remove   *widget.Button
	box      fyne.CanvasObject
}

// recommendationsEditor picks products from the catalogue for the client's
// aftercare sheet, each with a start day (prefilled from the product) and
// the date that day falls on. Products that clash with the client's
// allergies, and those that would start inside an aftercare precaution
// (data.RecommendationWarnings), are flagged as the list, the areas or the
// treatment time change.
type recommendationsEditor struct {
	client   data.Client
	settings data.Settings
	day0     data.Date // the treatment day the start days count from
	// treatment gives the session's start and areas as the form has them
	// now, which decide the precaution windows; nil means noon on day0 and
	// no areas yet.
	treatment func() (time.Time, []data.AreaTreatment)
	onSave    func()
	onChange  func()

	catalogue []data.Product // active products
	offered   []data.Product // the picker's options: the catalogue minus those chosen
	rows      []*recommendationRow

	picker   *widget.Select
	list     *fyne.Container
	empty    *widget.Label
	warnings *fyne.Container
	field    *widgets.Field // "recommendations"
	content  fyne.CanvasObject
}

func newRecommendationsEditor(client data.Client, settings data.Settings, day0 data.Date, onSave, onChange func()) *recommendationsEditor {
	r := &recommendationsEditor{client: client, settings: settings, day0: day0, onSave: onSave, onChange: onChange}
	r.picker = &widget.Select{PlaceHolder: "Loading the catalogue…", OnChanged: r.onPicked}
	r.picker.Disable()
	r.list = container.NewVBox()
	r.empty = widgets.Caption("No products recommended yet. Choose one from the catalogue to add it to the client's sheet.")
	r.warnings = container.NewVBox()
	msg := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	msg.Hide()
	r.field = &widgets.Field{Name: "recommendations", Message: msg}
	pick := container.NewBorder(nil, nil, &widget.Label{Text: "Add a product", TextStyle: fyne.TextStyle{Bold: true}}, nil, r.picker)
	r.content = container.NewVBox(pick, r.empty, r.list, r.warnings, msg)
	return r
}

// setCatalogue offers the active products.
func (r *recommendationsEditor) setCatalogue(products []data.Product) {
	r.catalogue = r.catalogue[:0]
	for _, p := range products {
		if p.Active {
			r.catalogue = append(r.catalogue, p)
		}
	}
	r.refreshOffer()
}

// loadFailed says the catalogue could not be read.
func (r *recommendationsEditor) loadFailed(err error) {
	r.picker.PlaceHolder = "The catalogue could not be read"
	r.picker.Refresh()
	r.field.SetProblem("Could not read the product catalogue. " + data.UserMessage(err))
}

func (r *recommendationsEditor) refreshOffer() {
	r.offered = r.offered[:0]
	var names []string
	for _, p := range r.catalogue {
		if r.has(p.ID) {
			continue
		}
		r.offered = append(r.offered, p)
		names = append(names, productOption(p))
	}
	r.picker.SetOptions(names)
	switch {
	case len(r.catalogue) == 0:
		r.picker.PlaceHolder = "The catalogue has no active products"
		r.picker.Disable()
	case len(names) == 0:
		r.picker.PlaceHolder = "Every product is recommended already"
		r.picker.Disable()
	default:
		r.picker.PlaceHolder = "Choose a product…"
		r.picker.Enable()
	}
	r.picker.Refresh()
}

// productOption is how a product reads in the picker.
func productOption(p data.Product) string {
	parts := []string{p.Category.Label()}
	if p.Brand != "" {
		parts = append([]string{p.Brand}, parts...)
	}
	return fmt.Sprintf("%s  (%s)", p.Name, strings.Join(parts, ", "))
}

func (r *recommendationsEditor) has(id int64) bool {
	for _, row := range r.rows {
		if row.product.ID == id {
			return true
		}
	}
	return false
}

// onPicked adds the chosen product and empties the picker for the next.
func (r *recommendationsEditor) onPicked(string) {
	i := r.picker.SelectedIndex()
	if i < 0 || i >= len(r.offered) {
		return
	}
	p := r.offered[i]
	r.picker.ClearSelected()
	r.add(p, p.DefaultStartDay)
}

// add puts a product on the list with its start day.
func (r *recommendationsEditor) add(p data.Product, startDay int) {
	row := &recommendationRow{product: p}
	row.day = widgets.NewEntry(1, r.onSave)
	row.day.SetText(fmt.Sprint(startDay))
	row.day.OnChanged = func(string) { r.onDayChanged() }
	row.startsOn = &widget.Label{}
	row.remove = &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: func() { r.removeRow(row) }}
	name := &widget.Label{Text: p.Name, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	kind := &widget.Label{Text: productKind(p), SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis}
	day := container.NewCenter(container.NewHBox(widget.NewLabel("start on day"), widgets.FixedWidth(64, row.day), widgets.FixedWidth(160, row.startsOn), row.remove))
	row.box = container.NewBorder(nil, nil, nil, day, container.NewVBox(name, kind))
	r.rows = append(r.rows, row)
	r.list.Add(row.box)
	r.afterEdit()
	r.refreshOffer()
}

func productKind(p data.Product) string {
	if p.Brand == "" {
		return p.Category.Label()
	}
	return p.Brand + " · " + p.Category.Label()
}

func (r *recommendationsEditor) removeRow(row *recommendationRow) {
	for i, x := range r.rows {
		if x == row {
			r.rows = append(r.rows[:i], r.rows[i+1:]...)
			break
		}
	}
	r.list.Remove(row.box)
	r.afterEdit()
	r.refreshOffer()
}

func (r *recommendationsEditor) onDayChanged() {
	r.afterEdit()
}

func (r *recommendationsEditor) afterEdit() {
	r.field.SetProblem("")
	r.refresh()
	r.onChange()
}

// setDay0 moves the day the start days count from (the treatment day).
func (r *recommendationsEditor) setDay0(d data.Date) {
	if d.IsZero() || d == r.day0 {
		return
	}
	r.day0 = d
	r.refresh()
}

// refresh updates each row's start date and the warnings.
func (r *recommendationsEditor) refresh() {
	if len(r.rows) == 0 {
		r.empty.Show()
	} else {
		r.empty.Hide()
	}
	var recs []data.Recommendation
	for _, row := range r.rows {
		day, err := widgets.ParseCount(row.day.Text)
		if err != nil || strings.TrimSpace(row.day.Text) == "" || day < 0 || day > 365 {
			row.startsOn.SetText("")
			continue
		}
		row.startsOn.SetText("→ " + widgets.WeekdayDate(r.settings, r.day0.AddDays(day)))
		recs = append(recs, data.Recommendation{ProductID: row.product.ID, StartDay: day, Product: row.product})
	}
	r.warnings.RemoveAll()
	ses := data.Session{StartedAt: r.day0.Time(time.Local).Add(12 * time.Hour), Recommendations: recs}
	if r.treatment != nil {
		if at, areas := r.treatment(); !at.IsZero() {
			ses.StartedAt, ses.Areas = at, areas
		} else {
			ses.Areas = areas
		}
	}
	for _, w := range data.RecommendationWarnings(ses, r.client, r.settings) {
		r.warnings.Add(widgets.WarningLine(w.Message, widget.WarningImportance))
	}
}

// recommendations reads the list; a start day that is not a number is
// returned as a problem naming the product.
func (r *recommendationsEditor) recommendations() ([]data.Recommendation, []data.FieldError) {
	var out []data.Recommendation
	var bad []data.FieldError
	for _, row := range r.rows {
		day, err := widgets.ParseCount(row.day.Text)
		if err == nil && strings.TrimSpace(row.day.Text) == "" {
			err = fmt.Errorf("is empty")
		}
		if err != nil {
			bad = append(bad, data.FieldError{Field: r.field.Name,
				Message: fmt.Sprintf("the start day of %s %s; type the number of days after the treatment", row.product.Name, err)})
			day = -1
		}
		out = append(out, data.Recommendation{ProductID: row.product.ID, StartDay: day, Product: row.product})
	}
	return out, bad
}
