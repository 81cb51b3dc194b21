package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

// field is one labelled input with a line under it for what is wrong with
// it. name is data's field name, so validation errors find their field.
type field struct {
	name    string
	label   *widget.Label
	input   fyne.CanvasObject
	message *widget.Label
	box     *fyne.Container
	checked bool // the message is validation's (fieldSet.show), which a later check may clear
}

func newField(name, label string, input fyne.CanvasObject) *field {
	f := &field{
		name:    name,
		label:   &widget.Label{Text: label, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameCaptionText},
		input:   input,
		message: &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText},
	}
	f.message.Hide()
	f.box = container.NewVBox(f.label, input, f.message)
	return f
}

// setProblem shows msg under the input, or hides the line when msg is "".
func (f *field) setProblem(msg string) {
	f.checked = false
	f.message.SetText(msg)
	if msg == "" {
		f.message.Hide()
	} else {
		f.message.Show()
	}
}

// setWarning shows advice that does not block saving.
func (f *field) setWarning(msg string) {
	f.message.Importance = widget.WarningImportance
	f.setProblem(msg)
}

// fieldSet is a form's fields, to show validation results on.
type fieldSet []*field

// show puts each problem under its field and returns the problems no field
// claims (to show in a summary). A nil or non-validation error clears all.
func (fs fieldSet) show(err error) []data.FieldError {
	fs.clear()
	var rest []data.FieldError
	for _, p := range data.FieldProblems(err) {
		if f := fs.find(p.Field); f != nil {
			if f.message.Visible() {
				continue // one message per field is enough
			}
			f.message.Importance = widget.DangerImportance
			f.setProblem(p.Message)
			f.checked = true
			continue
		}
		rest = append(rest, p)
	}
	return rest
}

func (fs fieldSet) clear() {
	for _, f := range fs {
		f.setProblem("")
	}
}

// watch clears each validation message as soon as its field is right:
// after every change to one of the set's inputs, while a message from show
// is up, check (the form's own validation, which saves nothing) runs again
// and the messages of the fields it no longer names go. New problems wait
// for the next save, so nothing turns red while it is being typed. cleared
// runs once no message of show's is left and no problem without a field
// either, for the form's summary line; it may be nil.
// Call it once the form has set its inputs' own OnChanged.
func (fs fieldSet) watch(check func() []data.FieldError, cleared func()) {
	recheck := func() {
		if !fs.showingChecked() {
			return
		}
		named, fieldless := map[string]bool{}, false
		for _, p := range check() {
			named[p.Field] = true
			fieldless = fieldless || fs.find(p.Field) == nil
		}
		for _, f := range fs {
			if f.checked && f.message.Visible() && !named[f.name] {
				f.setProblem("")
			}
		}
		if cleared != nil && !fieldless && !fs.showingChecked() {
			cleared()
		}
	}
	for _, f := range fs {
		onInputChanged(f.input, recheck)
	}
}

// showingChecked reports whether a validation message is up.
func (fs fieldSet) showingChecked() bool {
	for _, f := range fs {
		if f.checked && f.message.Visible() {
			return true
		}
	}
	return false
}

// onInputChanged has fn run after every change to the input's value, after
// what the input's own OnChanged does; inputs made of several (a date and
// a time) are followed through their container.
func onInputChanged(o fyne.CanvasObject, fn func()) {
	switch x := o.(type) {
	case nil:
	case *fyne.Container:
		for _, c := range x.Objects {
			onInputChanged(c, fn)
		}
	case *widget.Select:
		after(&x.OnChanged, fn)
	case *clientSelect:
		after(&x.OnChanged, fn)
	case *widget.Check:
		after(&x.OnChanged, fn)
	case *clientCheck:
		after(&x.OnChanged, fn)
	case *widget.RadioGroup:
		after(&x.OnChanged, fn)
	case fyne.Focusable:
		if e := asEntry(x); e != nil {
			after(&e.OnChanged, fn)
		}
	}
}

// after makes the callback *cb run fn after itself.
func after[T any](cb *func(T), fn func()) {
	before := *cb
	*cb = func(v T) {
		if before != nil {
			before(v)
		}
		fn()
	}
}

func (fs fieldSet) find(name string) *field {
	for _, f := range fs {
		if f.name == name {
			return f
		}
	}
	return nil
}

// problemSummary words the problems that have no field of their own.
func problemSummary(ps []data.FieldError) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = strings.ReplaceAll(p.Field, "_", " ") + ": " + p.Message
	}
	return strings.Join(lines, "\n")
}

func datePlaceholder(format string) string {
	r := strings.NewReplacer("2006", "YYYY", "01", "MM", "02", "DD", "Jan", "Mon", "2 ", "D ")
	return r.Replace(format)
}

// parseUserDate reads a date typed in the clinic's format or as YYYY-MM-DD;
// empty text is the zero date.
func parseUserDate(text, format string) (data.Date, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return data.Date{}, nil
	}
	for _, layout := range []string{format, time.DateOnly} {
		if t, err := time.Parse(layout, text); err == nil {
			return data.DateOf(t), nil
		}
	}
	return data.Date{}, fmt.Errorf("is not a date; type it as %s", datePlaceholder(format))
}

// parseCount reads a whole number; empty text is 0.
func parseCount(text string) (int, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, fmt.Errorf("should be a whole number")
	}
	return n, nil
}

// parseMM reads a depth in millimetres, accepting a decimal comma.
func parseMM(text string) (float64, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, ",", "."))
	text = strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(text, "mm")), " ")
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fmt.Errorf("should be a depth in millimetres, such as 0.5")
	}
	return v, nil
}
