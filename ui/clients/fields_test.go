package clients

import (
	"needledesk/data"
	"testing"

	"fyne.io/fyne/v2/test"
)

// A message under a field goes as soon as the field is right, in the
// client form; a field still wrong keeps its message.
func TestFieldMessageGoesWhenTheValueIsRight(t *testing.T) {
	e := newStoreEnv(t)
	f := buildClientForm(e.areaEnv, data.Client{}, nil, nil)
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

}
