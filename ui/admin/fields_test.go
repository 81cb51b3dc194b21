package admin

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
)

// A message under a field goes as soon as the field is right, in the
// product form (the clients area tests its forms); a field still wrong
// keeps its message.
func TestFieldMessageGoesWhenTheValueIsRight(t *testing.T) {
	e := newStoreEnv(t)
	p := newProductForm(e.areaEnv, data.Product{}, nil, nil)
	e.w.SetContent(p.page.Content)
	p.save()
	name := p.fields.Find("name")
	if !name.Message.Visible() {
		t.Fatal("a product without a name should be marked")
	}
	test.Type(p.name, "Calm gel")
	if name.Message.Visible() {
		t.Fatalf("the product's name is given but still marked %q", name.Message.Text)
	}
	if !p.fields.Find("category").Message.Visible() {
		t.Fatal("the category, still missing, should stay marked")
	}
	p.category.SetSelected(data.CategoryProtectiveGel.Label())
	if p.fields.Find("category").Message.Visible() {
		t.Fatal("the category is chosen but still marked")
	}
}
