package admin

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// Another workstation saves a product while this one has it open: Save
// says who changed it and when, keeps what was typed and offers Reload;
// Reload shows the product as saved and names the fields whose typing it
// replaced; saved again, the change goes through.
func TestProductFormConflictSaysWhoAndReloads(t *testing.T) {
	e := newStoreEnv(t)
	gel := e.c.AddProduct(t, "Calm Gel", data.CategoryProtectiveGel, 0, "panthenol")
	var saved []data.Product
	f := newProductForm(e.areaEnv, gel, func(p data.Product) { saved = append(saved, p) }, nil)
	e.show(f.page)
	if f.reloadBtn.Visible() {
		t.Fatal("Reload is on show before any conflict")
	}

	other, err := sqlite.Open(e.Ctx, e.st.Path(), sqlite.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	priya := e.c.StaffByRole(t, data.RoleTechnician)
	theirs, err := other.Product(e.Ctx, data.SystemActor, gel.ID)
	if err != nil {
		t.Fatal(err)
	}
	theirs.Brand, theirs.HowToUse = "Derma Lab", "Twice a day for a week."
	if err := other.UpdateProduct(e.Ctx, priya.ID, &theirs); err != nil {
		t.Fatal(err)
	}

	f.brand.SetText("")
	test.Type(f.brand, "Skin Lab")
	test.Type(f.ingredients, ", aloe")
	f.save()
	e.q.WaitFor(t, "the save to be answered", func() bool { return !f.saving })
	if len(saved) != 0 {
		t.Fatalf("a save over someone else's change went through: %+v", saved)
	}
	msg := f.summary.Text
	clock := testClock().Local().Format("15:04")
	for _, want := range []string{"Priya Raman changed the product Calm Gel at " + clock, "since you opened it",
		"not saved", "What you typed is still in the form", "Reload"} {
		if !strings.Contains(msg, want) {
			t.Errorf("conflict message %q does not say %q", msg, want)
		}
	}
	if !f.summary.Visible() || !f.reloadBtn.Visible() {
		t.Fatal("the conflict message or Reload is not on show")
	}
	if f.brand.Text != "Skin Lab" {
		t.Errorf("what was typed is gone: brand %q", f.brand.Text)
	}
	stored, err := e.st.Product(e.Ctx, data.SystemActor, gel.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Brand != "Derma Lab" || len(stored.KeyIngredients) != 1 {
		t.Fatalf("the other workstation's change was overwritten: %+v", stored)
	}

	f.reloadBtn.OnTapped()
	e.q.WaitFor(t, "the product read again", func() bool { return !f.saving && !f.reloadBtn.Visible() })
	if f.brand.Text != "Derma Lab" || f.howToUse.Text != theirs.HowToUse || f.ingredients.Text != "panthenol" {
		t.Errorf("after Reload: brand %q, how to use %q, ingredients %q", f.brand.Text, f.howToUse.Text, f.ingredients.Text)
	}
	if got := f.summary.Text; !strings.Contains(got, "as it is saved now") ||
		!strings.Contains(got, "What you typed in Brand and Key ingredients was replaced") {
		t.Errorf("after Reload the form says %q", got)
	}
	if f.dirty() {
		t.Error("the reloaded form counts as changed")
	}

	test.Type(f.ingredients, ", aloe")
	f.save()
	e.q.WaitFor(t, "the change to be saved", func() bool { return len(saved) == 1 })
	stored, err = e.st.Product(e.Ctx, data.SystemActor, gel.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Brand != "Derma Lab" || len(stored.KeyIngredients) != 2 || stored.Version != 3 {
		t.Errorf("after saving again: %+v", stored)
	}
}
