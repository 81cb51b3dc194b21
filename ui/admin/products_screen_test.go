package admin

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/uitest"
)

func openProducts(t *testing.T, e *storeEnv) *ProductsScreen {
	t.Helper()
	s := NewProductsScreen(e.areaEnv)
	e.w.SetContent(s.Content)
	e.q.WaitFor(t, "the catalogue", func() bool { return s.loaded })
	return s
}

func TestAddProductShowsFieldMessagesThenSaves(t *testing.T) {
	e := newStoreEnv(t)
	s := openProducts(t, e)
	if got := s.status.Text; !strings.HasPrefix(got, "No products in use") {
		t.Fatalf("status of an empty catalogue = %q", got)
	}
	test.Tap(s.addBtn)
	f := s.form
	if s.Stack.Depth() != 2 || f == nil {
		t.Fatal("Add product should open the form")
	}
	test.Type(f.name, "Calm Barrier Gel")
	test.Type(f.brand, "Lumen Lab")
	f.category.SetSelected(data.CategoryProtectiveGel.Label())
	test.Type(f.ingredients, "panthenol,  centella , ")
	test.Type(f.startDay, "400")
	if !s.HasUnsaved() {
		t.Error("a typed form should count as unsaved")
	}
	test.Tap(f.saveBtn)
	if got := f.startField.Message.Text; got != "must be between 0 (the treatment day) and 365" {
		t.Fatalf("start day message = %q", got)
	}
	f.startDay.SetText("soon")
	test.Tap(f.saveBtn)
	if got := f.startField.Message.Text; !strings.Contains(got, "whole number") {
		t.Fatalf("unreadable start day message = %q", got)
	}
	if ps, _ := e.st.Products(e.Ctx, data.SystemActor, true); len(ps) != 0 {
		t.Fatalf("nothing should be saved yet, the store has %v", ps)
	}

	f.startDay.SetText("0")
	test.Tap(f.saveBtn)
	e.q.WaitFor(t, "the form to close after saving", func() bool { return s.Stack.Depth() == 1 })
	ps, err := e.st.Products(e.Ctx, data.SystemActor, true)
	if err != nil || len(ps) != 1 {
		t.Fatalf("store holds %v, %v", ps, err)
	}
	p := ps[0]
	if p.Name != "Calm Barrier Gel" || p.Category != data.CategoryProtectiveGel || p.DefaultStartDay != 0 ||
		strings.Join(p.KeyIngredients, "|") != "panthenol|centella" || !p.Active {
		t.Fatalf("saved %+v", p)
	}
	e.q.WaitFor(t, "the new product in the list", func() bool {
		return uitest.Shows(e.w.Content(), "Calm Barrier Gel  ·  Lumen Lab")
	})
	if s.HasUnsaved() {
		t.Error("nothing is unsaved after saving")
	}
}

func TestVitaminCBeforeTheCautiousDayWarnsButSaves(t *testing.T) {
	e := newStoreEnv(t)
	s := openProducts(t, e)
	test.Tap(s.addBtn)
	f := s.form
	test.Type(f.name, "Bright C Serum")
	f.category.SetSelected(data.CategoryVitaminC.Label())
	test.Type(f.startDay, "3")
	msg := f.startField.Message
	if !msg.Visible() || msg.Importance != widget.WarningImportance || !strings.Contains(msg.Text, "day 7") {
		t.Fatalf("warning = %q (visible %v, importance %v)", msg.Text, msg.Visible(), msg.Importance)
	}
	f.startDay.SetText("7")
	if msg.Visible() {
		t.Fatalf("day 7 needs no warning, shows %q", msg.Text)
	}
	f.startDay.SetText("5")
	test.Tap(f.saveBtn)
	e.q.WaitFor(t, "the product saved", func() bool { return s.Stack.Depth() == 1 })
	ps, _ := e.st.Products(e.Ctx, data.SystemActor, false)
	if len(ps) != 1 || ps[0].DefaultStartDay != 5 {
		t.Fatalf("store holds %+v", ps)
	}
	e.q.WaitFor(t, "the warning in the list", func() bool {
		for _, text := range uitest.Texts(e.w.Content()) {
			if strings.HasPrefix(text, "Starts before day 7") {
				return true
			}
		}
		return false
	})
}

func TestRetireProductHidesItUntilShowRetired(t *testing.T) {
	e := newStoreEnv(t)
	// Sunscreens come before gels, so the first Retire button is the sunscreen's.
	spf := e.c.AddProduct(t, "Daily Shield SPF 50", data.CategorySunscreen, 3)
	e.c.AddProduct(t, "Calm Gel", data.CategoryProtectiveGel, 0, "panthenol")
	s := openProducts(t, e)
	if !uitest.Shows(e.w.Content(), "Daily Shield SPF 50  ·  Lumen Lab") || s.status.Text != "2 products in use" {
		t.Fatalf("catalogue shows %q", uitest.Texts(e.w.Content()))
	}

	test.Tap(uitest.Button(t, e.w, "Retire"))
	test.Tap(uitest.Button(t, e.w, "Retire")) // the confirmation's button
	e.q.WaitFor(t, "the product retired", func() bool { return s.status.Text == "1 product in use" })
	p, err := e.st.Product(e.Ctx, data.SystemActor, spf.ID)
	if err != nil || p.Active {
		t.Fatalf("store: %+v, %v; want inactive", p, err)
	}
	if uitest.Shows(e.w.Content(), "Daily Shield SPF 50  ·  Lumen Lab") {
		t.Fatal("a retired product should be hidden")
	}

	test.Tap(s.ShowRetired)
	e.q.WaitFor(t, "retired products shown", func() bool { return s.status.Text == "1 product in use, 1 retired" })
	if !uitest.Shows(e.w.Content(), "Daily Shield SPF 50  ·  Lumen Lab") || !uitest.Shows(e.w.Content(), "Retired") {
		t.Fatalf("with Show retired the list shows %q", uitest.Texts(e.w.Content()))
	}
	test.Tap(uitest.Button(t, e.w, "Bring back"))
	e.q.WaitFor(t, "the product back in use", func() bool { return s.status.Text == "2 products in use" })
	if p, _ := e.st.Product(e.Ctx, data.SystemActor, spf.ID); !p.Active {
		t.Fatal("Bring back should make the product active in the store")
	}
}

func TestEditProductAsksBeforeLosingChanges(t *testing.T) {
	e := newStoreEnv(t)
	e.c.AddProduct(t, "Calm Gel", data.CategoryProtectiveGel, 0)
	s := openProducts(t, e)
	test.Tap(uitest.Button(t, e.w, "Edit"))
	f := s.form
	if f.name.Text != "Calm Gel" || f.startDay.Text != "0" || f.category.Selected != "Protective gel" {
		t.Fatalf("the form should show the product, shows %q %q %q", f.name.Text, f.startDay.Text, f.category.Selected)
	}
	if s.HasUnsaved() {
		t.Fatal("an untouched form has nothing unsaved")
	}
	test.Type(f.name, " Plus")
	test.Tap(uitest.Button(t, e.w, "Cancel"))
	if s.Stack.Depth() != 2 {
		t.Fatal("leaving a changed form should ask first")
	}
	test.Tap(uitest.Button(t, e.w, "Leave without saving"))
	if s.Stack.Depth() != 1 {
		t.Fatal("after agreeing, the form should close")
	}
	if p, _ := e.st.Products(e.Ctx, data.SystemActor, true); p[0].Name != "Calm Gel" {
		t.Fatalf("nothing should be saved, store has %q", p[0].Name)
	}
}
