package book

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/widgets"
)

// TestAStoreRefusalReadsUnderItsField: a change the store refuses for a
// value (here a time gone, which only an owner may book) is said under
// the field as every form says it, not with the store's field key in
// front ("start: is in the past").
func TestAStoreRefusalReadsUnderItsField(t *testing.T) {
	field := widgets.NewField("start", "New time", widget.NewEntry())
	err := fmt.Errorf("moving appointment 7: %w", data.Invalid("start", "is in the past; only the clinic owner can book a time that has gone"))
	if !formError(field, err) {
		t.Fatal("a refused value is not shown under the form's field")
	}
	if got, want := field.Message.Text, "is in the past; only the clinic owner can book a time that has gone"; got != want {
		t.Fatalf("the field says %q; want %q", got, want)
	}
	if formError(field, fmt.Errorf("reading: %w", data.ErrNotFound)) {
		t.Fatal("an error about something else is shown under the field")
	}
}
