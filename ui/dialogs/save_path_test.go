package dialogs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// walk visits o and everything inside it, widgets' parts included.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	visit(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walk(c, visit)
		}
	}
}

// showsText reports whether a visible label under root reads text.
func showsText(root fyne.CanvasObject, text string) bool {
	found := false
	walk(root, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && l.Text == text {
			found = true
		}
	})
	return found
}

// tapButton taps the visible button reading text in the top dialog.
func tapButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	var found *widget.Button
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q on screen", text)
	}
	test.Tap(found)
}

// TestSaveDialogYieldsOnlyAPath: the dialog that replaces Fyne's save
// dialog hands over a path and touches nothing, not even a file of the
// chosen name; a name with a folder in it is refused in the dialog.
func TestSaveDialogYieldsOnlyAPath(t *testing.T) {
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1000, 700))
	dir := t.TempDir()
	taken := filepath.Join(dir, "taken.pdf")
	if err := os.WriteFile(taken, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	var got []string
	d := AskSavePath(w, "Save the aftercare sheet", "Aftercare Ana Silva.pdf", ".pdf", func(p string) { got = append(got, p) })
	d.setFolder(dir)
	if !showsText(w.Canvas().Overlays().Top(), dir) {
		t.Errorf("the dialog does not show the folder %s", dir)
	}
	d.name.SetText("../elsewhere")
	tapButton(t, w, "Save")
	if len(got) != 0 || !strings.Contains(d.problem.Text, "cannot contain /") || w.Canvas().Overlays().Top() == nil {
		t.Fatalf("a name with a folder: chosen %v, problem %q", got, d.problem.Text)
	}
	d.name.SetText("taken")
	tapButton(t, w, "Save")
	if len(got) != 1 || got[0] != taken {
		t.Fatalf("chosen %v; want %s", got, taken)
	}
	if b, _ := os.ReadFile(taken); string(b) != "keep" {
		t.Errorf("choosing the file changed it: %q", b)
	}
	AskSavePath(w, "Save the aftercare sheet", "x.pdf", ".pdf", func(p string) { got = append(got, p) })
	tapButton(t, w, "Cancel")
	if len(got) != 1 {
		t.Errorf("Cancel chose %v", got[1:])
	}
}
