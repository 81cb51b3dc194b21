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

// productsScreen is the clinic's catalogue, grouped by category: add a
// product, edit it, retire it (it stays on past sessions and sheets but is
// no longer offered) and bring it back. The form is a page pushed on the
// screen's own stack, so leaving it with unsaved changes asks first.
type ProductsScreen struct {
	env   *areaEnv
	Stack *screen.Stack

	products []data.Product
	form     *productForm // the form open now, if any
	gen      uint64       // bumped by every load; older results are stale
	loaded   bool

	ShowRetired *widget.Check
	addBtn      *widget.Button
	groups      *fyne.Container
	scroll      *container.Scroll
	status      *widget.Label
	Content     fyne.CanvasObject
}

func NewProductsScreen(env *areaEnv) *ProductsScreen {
	s := &ProductsScreen{env: env}
	s.ShowRetired = &widget.Check{Text: "Show retired products", OnChanged: func(bool) { s.reload() }}
	s.addBtn = &widget.Button{Text: "Add product", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: s.onAdd}
	s.groups = container.NewVBox()
	s.scroll = container.NewVScroll(s.groups)
	s.status = &widget.Label{Text: "Loading the catalogue…"}

	heading := widgets.Title("Products")
	intro := widgets.Caption("The products the clinic recommends after treatment. The start day is when a client " +
		"begins using the product, counted from the treatment day (day 0); technicians can change it per client.")
	top := container.NewVBox(container.NewBorder(nil, nil, nil, s.addBtn, heading), intro,
		s.ShowRetired, widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), s.status)
	root := container.NewPadded(widgets.Column(top, s.scroll, bottom))
	s.Stack = screen.NewStack(env.Env, &screen.Page{Title: "Products", Content: root})
	s.Content = s.Stack.Content

	screen.On(env.Events, func(screen.ProductChanged) { s.reload() })
	screen.On(env.Events, func(screen.SettingsChanged) { s.render() })
	s.reload()
	return s
}

// hasUnsaved reports a product form with changes not yet saved.
func (s *ProductsScreen) HasUnsaved() bool { return s.Stack.HasUnsaved() }

// discardChanges closes any product form without asking, as when the
// person signs out.
func (s *ProductsScreen) DiscardChanges() { s.Stack.DiscardToRoot() }

// reload reads the catalogue in the background.
func (s *ProductsScreen) reload() {
	if s.env.deps.Products == nil {
		return
	}
	s.gen++
	gen := s.gen
	all, actor := s.ShowRetired.Checked, s.env.ActorID()
	store := s.env.deps.Products
	screen.Background(s.env.Env, func(ctx context.Context) ([]data.Product, error) {
		return store.Products(ctx, actor, all)
	}, func(ps []data.Product, err error) {
		if gen != s.gen {
			return
		}
		if err != nil {
			s.status.Importance = widget.DangerImportance
			s.status.SetText("Could not read the catalogue. " + data.UserMessage(err))
			return
		}
		s.products = ps
		s.loaded = true
		s.render()
	})
}

// render lays the catalogue out: a card per category, a row per product.
func (s *ProductsScreen) render() {
	if !s.loaded {
		return
	}
	var cards []fyne.CanvasObject
	for _, cat := range data.Categories {
		var rows []fyne.CanvasObject
		for _, p := range s.products {
			if p.Category != cat {
				continue
			}
			if len(rows) > 0 {
				rows = append(rows, widget.NewSeparator())
			}
			rows = append(rows, s.productRow(p))
		}
		if len(rows) > 0 {
			cards = append(cards, widget.NewCard("", "", container.NewVBox(
				&widget.Label{Text: cat.Label(), TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.HighImportance},
				container.NewVBox(rows...))))
		}
	}
	s.groups.Objects = cards
	s.groups.Refresh()
	s.status.Importance = widget.MediumImportance
	s.status.SetText(s.countText())
}

func (s *ProductsScreen) countText() string {
	active := 0
	for _, p := range s.products {
		if p.Active {
			active++
		}
	}
	switch {
	case len(s.products) == 0 && s.ShowRetired.Checked:
		return "The catalogue is empty. Add the products the clinic recommends."
	case len(s.products) == 0:
		return "No products in use. Add one, or tick Show retired products to bring one back."
	case active == len(s.products):
		return widgets.Count(active, "product") + " in use"
	}
	return fmt.Sprintf("%s in use, %d retired", widgets.Count(active, "product"), len(s.products)-active)
}

// productRow shows one product with its actions.
func (s *ProductsScreen) productRow(p data.Product) fyne.CanvasObject {
	title := p.Name
	if p.Brand != "" {
		title += "  ·  " + p.Brand
	}
	name := &widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	lines := []fyne.CanvasObject{name}
	lines = append(lines, &widget.Label{Text: productDetails(p), Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText})
	if w := productVitaminCWarning(p, s.env.Settings); w != "" {
		lines = append(lines, &widget.Label{Text: w, Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText})
	}
	edit := &widget.Button{Text: "Edit", Icon: theme.DocumentCreateIcon(), OnTapped: func() { s.onEdit(p) }}
	var actions *fyne.Container
	if p.Active {
		retire := &widget.Button{Text: "Retire", Importance: widget.LowImportance, OnTapped: func() { s.onRetire(p) }}
		actions = container.NewHBox(edit, retire)
	} else {
		name.TextStyle.Italic = true
		badge := &widget.Label{Text: "Retired", Importance: widget.WarningImportance}
		back := &widget.Button{Text: "Bring back", Icon: theme.ContentUndoIcon(), OnTapped: func() { s.onBringBack(p) }}
		actions = container.NewHBox(badge, edit, back)
	}
	return container.NewBorder(nil, nil, nil, container.NewCenter(actions), container.New(&widgets.TightVBox{}, lines...))
}

// productDetails is the second line of a product row.
func productDetails(p data.Product) string {
	parts := []string{productStartText(p.DefaultStartDay)}
	if len(p.KeyIngredients) > 0 {
		parts = append(parts, strings.Join(p.KeyIngredients, ", "))
	}
	if use := productFirstLine(p.HowToUse); use != "" {
		parts = append(parts, use)
	}
	return strings.Join(parts, "  ·  ")
}

func productStartText(day int) string {
	if day == 0 {
		return "Starts on the treatment day"
	}
	return fmt.Sprintf("Starts on day %d", day)
}

func productFirstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i]) + "…"
	}
	return s
}

// productVitaminCWarning warns about a vitamin C product set to start before the
// clinic's cautious day, or is "".
func productVitaminCWarning(p data.Product, st data.Settings) string {
	from := st.Aftercare.VitaminCFromDay
	if p.Category != data.CategoryVitaminC || p.DefaultStartDay >= from {
		return ""
	}
	return fmt.Sprintf("Starts before day %d. Vitamin C on skin that has not closed yet risks a reaction; "+
		"the clinic's cautious start is day %d.", from, from)
}

func (s *ProductsScreen) onAdd() {
	s.openForm(data.Product{Active: true})
}

func (s *ProductsScreen) onEdit(p data.Product) {
	s.openForm(p)
}

func (s *ProductsScreen) openForm(p data.Product) {
	f := newProductForm(s.env, p, s.onSaved, s.Stack.Pop)
	s.form = f
	s.Stack.Push(f.page)
	f.focus()
}

// onSaved leaves the form once its product is in the store.
func (s *ProductsScreen) onSaved(data.Product) {
	s.Stack.PopNow()
}

// onRetire asks, then takes the product out of use.
func (s *ProductsScreen) onRetire(p data.Product) {
	if !adminActorOK(s.env, false) {
		return
	}
	s.env.Confirm("Retire product", fmt.Sprintf("Retire %s? It stays on past sessions and aftercare sheets, "+
		"but is no longer offered for new recommendations. You can bring it back later.", p.Name),
		"Retire", func() { s.setActive(p, false) })
}

// onBringBack puts a retired product back into use.
func (s *ProductsScreen) onBringBack(p data.Product) {
	if !adminActorOK(s.env, false) {
		return
	}
	s.setActive(p, true)
}

func (s *ProductsScreen) setActive(p data.Product, active bool) {
	p.Active = active
	actor := s.env.ActorID()
	store := s.env.deps.Products
	screen.Background(s.env.Env, func(ctx context.Context) (data.Product, error) {
		return p, store.UpdateProduct(ctx, actor, &p)
	}, func(p data.Product, err error) {
		if err != nil {
			s.env.ShowError("Could not change the product", err)
			if errors.Is(err, data.ErrConflict) {
				s.env.Events.Publish(screen.ProductChanged{Product: data.ProductID(p.ID)}) // the list shows what is saved now
			}
			return
		}
		s.env.Events.Publish(screen.ProductChanged{Product: data.ProductID(p.ID)})
	})
}
