package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
)

// A message under a field goes as soon as the field is right, in every
// form; a field still wrong keeps its message.
func TestFieldMessageGoesWhenTheValueIsRight(t *testing.T) {
	e := newStoreEnv(t)
	f := buildClientForm(e.appEnv, data.Client{}, nil, nil)
	e.w.SetContent(f.page.Content)
	f.given.SetText("Ann")
	f.dob.SetText("1990-02-31")
	f.phone.SetText("+44 20 7946 0958")
	f.save()
	dob := f.fields.Find("date_of_birth")
	if !dob.Message.Visible() {
		t.Fatal("an impossible date of birth should be marked")
	}
	test.Type(f.dob, "x") // still wrong
	if !dob.Message.Visible() {
		t.Fatal("the message went while the date is still wrong")
	}
	f.dob.SetText("1990-02-28")
	if dob.Message.Visible() || f.summary.Text != "" {
		t.Fatalf("the date is right now but the form still says %q / %q", dob.Message.Text, f.summary.Text)
	}

	p := newProductForm(e.appEnv, data.Product{}, nil, nil)
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
