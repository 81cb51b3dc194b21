package ui

import (
	"needledesk/ui/screen"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// typeOnWindow sends a key to the window as the driver does when no field
// has the focus (a dialog's buttons do not keep the focus).
func typeOnWindow(w fyne.Window, key fyne.KeyName) {
	if h := w.Canvas().OnTypedKey(); h != nil {
		h(&fyne.KeyEvent{Name: key})
	}
}

// A message closes with Enter or Escape; a question closes with Escape as
// Cancel, and Enter does not answer it.
func TestDialogsAnswerTheKeyboard(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel("behind"))
	w.Resize(fyne.NewSize(800, 600))
	env := &appEnv{Env: &screen.Env{Window: w}}

	for _, key := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEscape} {
		env.ShowMessage("Saved", "The sheet went to the Documents folder.")
		if n := len(w.Canvas().Overlays().List()); n != 1 {
			t.Fatalf("%d dialogs on show, want the message", n)
		}
		typeOnWindow(w, key)
		if n := len(w.Canvas().Overlays().List()); n != 0 {
			t.Errorf("%s left the message open", key)
		}
	}

	answered, yes := false, false
	env.Confirm("Archive", "Archive this client?", "Archive", func() { answered, yes = true, true })
	typeOnWindow(w, fyne.KeyReturn)
	if yes || len(w.Canvas().Overlays().List()) != 1 {
		t.Fatal("Enter answered a question")
	}
	env.ShowMessage("Note", "On top of the question.")
	typeOnWindow(w, fyne.KeyEscape)
	if n := len(w.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("Escape closed %d dialogs; want the newest only", 2-n)
	}
	typeOnWindow(w, fyne.KeyEscape)
	if answered || len(w.Canvas().Overlays().List()) != 0 {
		t.Error("Escape did not close the question as Cancel")
	}
}
