package booksetup

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/widgets"
)

// What the area's screens share: the list row, the form's problems, and
// a save refused because someone else changed the record first.

// mergeProblems puts the problems the form found reading its inputs
// before those validation found, without naming a field twice.
func mergeProblems(bad []data.FieldError, err error) []data.FieldError {
	out := append([]data.FieldError(nil), bad...)
	seen := map[string]bool{}
	for _, p := range bad {
		seen[p.Field] = true
	}
	for _, p := range data.FieldProblems(err) {
		if !seen[p.Field] {
			out = append(out, p)
		}
	}
	return out
}

// showProblems puts ps under their fields and the rest in summary; it
// reports whether there were none.
func showProblems(fields widgets.FieldSet, summary *widget.Label, ps []data.FieldError) bool {
	if len(ps) == 0 {
		fields.Clear()
		widgets.SetSummary(summary, "", widget.MediumImportance)
		return true
	}
	rest := fields.Show(&data.ValidationError{Problems: ps})
	msg := "Nothing was saved yet: please correct the fields marked in red."
	if len(rest) > 0 {
		msg += "\n" + widgets.ProblemSummary(rest)
	}
	widgets.SetSummary(summary, msg, widget.DangerImportance)
	return false
}

// saveFailed shows why a save did not go through: field problems under
// their fields, someone else's change in the summary, anything else as
// an error in plain words. It reports whether it was someone else's
// change.
func saveFailed(fields widgets.FieldSet, summary *widget.Label, err error, what string) bool {
	if ps := data.FieldProblems(err); ps != nil {
		showProblems(fields, summary, ps)
		return false
	}
	if errors.Is(err, data.ErrConflict) {
		msg := widgets.ConflictWords(err)
		if msg == "" {
			msg = "Someone else changed " + what + " since you opened it"
		}
		widgets.SetSummary(summary, msg+", so your changes were not saved. What you typed is still here; "+
			"go back to see it as it is saved now, then make your change again.", widget.DangerImportance)
		return true
	}
	widgets.SetSummary(summary, "Could not save "+what+". "+data.UserMessage(err), widget.DangerImportance)
	return false
}

// listRow is one line of a list: a bold name, a line of detail under it
// and its buttons on the right; a retired line is in italics with a badge.
func listRow(name, detail string, retired bool, buttons ...fyne.CanvasObject) fyne.CanvasObject {
	title := &widget.Label{Text: name, TextStyle: fyne.TextStyle{Bold: true, Italic: retired}, Truncation: fyne.TextTruncateEllipsis}
	lines := []fyne.CanvasObject{title}
	if detail != "" {
		lines = append(lines, &widget.Label{Text: detail, Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText})
	}
	if retired {
		buttons = append([]fyne.CanvasObject{&widget.Label{Text: "Retired", Importance: widget.WarningImportance}}, buttons...)
	}
	return container.NewBorder(nil, nil, nil, container.NewCenter(container.NewHBox(buttons...)),
		container.New(&widgets.TightVBox{}, lines...))
}

// rows separates rows with lines.
func rows(objs []fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for i, o := range objs {
		if i > 0 {
			out = append(out, widget.NewSeparator())
		}
		out = append(out, o)
	}
	return out
}

// setStatus shows a line under a list, in red when it is a problem.
func setStatus(l *widget.Label, text string, problem bool) {
	l.Importance = widget.MediumImportance
	if problem {
		l.Importance = widget.DangerImportance
	}
	l.SetText(text)
}

// trimmed is an entry's text without the spaces around it.
func trimmed(e *widgets.Entry) string { return strings.TrimSpace(e.Text) }

// fixedWidth gives o a fixed width and its own height.
func fixedWidth(w float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}

// selectAll selects an entry's text, so what is typed replaces it: a
// rename opened with the cursor before the old name, and typing made
// "Window chairRoom 1".
func selectAll(e *widgets.Entry) {
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
}
