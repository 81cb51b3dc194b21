package widgets

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

// Field is one labelled input with a line under it for what is wrong with
// it. name is data's field name, so validation errors find their field.
type Field struct {
	Name    string
	Label   *widget.Label
	Input   fyne.CanvasObject
	Message *widget.Label
	Box     *fyne.Container
	checked bool // the message is validation's (fieldSet.show), which a later check may clear
}

func NewField(name, label string, input fyne.CanvasObject) *Field {
	f := &Field{
		Name:    name,
		Label:   &widget.Label{Text: label, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameCaptionText},
		Input:   input,
		Message: &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText},
	}
	f.Message.Hide()
	f.Box = container.NewVBox(f.Label, input, f.Message)
	return f
}

// SetProblem shows msg under the input, or hides the line when msg is "".
func (f *Field) SetProblem(msg string) {
	f.checked = false
	f.Message.SetText(msg)
	if msg == "" {
		f.Message.Hide()
	} else {
		f.Message.Show()
	}
}

// SetWarning shows advice that does not block saving.
func (f *Field) SetWarning(msg string) {
	f.Message.Importance = widget.WarningImportance
	f.SetProblem(msg)
}

// FieldSet is a form's fields, to show validation results on.
type FieldSet []*Field

// Show puts each problem under its field and returns the problems no field
// claims (to show in a summary). A nil or non-validation error clears all.
func (fs FieldSet) Show(err error) []data.FieldError {
	fs.Clear()
	var rest []data.FieldError
	for _, p := range data.FieldProblems(err) {
		if f := fs.Find(p.Field); f != nil {
			if f.Message.Visible() {
				continue // one message per field is enough
			}
			f.Message.Importance = widget.DangerImportance
			f.SetProblem(p.Message)
			f.checked = true
			continue
		}
		rest = append(rest, p)
	}
	return rest
}

func (fs FieldSet) Clear() {
	for _, f := range fs {
		f.SetProblem("")
	}
}

// Watch clears each validation message as soon as its field is right:
// after every change to one of the set's inputs, while a message from show
// is up, check (the form's own validation, which saves nothing) runs again
// and the messages of the fields it no longer names go. New problems wait
// for the next save, so nothing turns red while it is being typed. cleared
// runs once no message of show's is left and no problem without a field
// either, for the form's summary line; it may be nil.
// Call it once the form has set its inputs' own OnChanged.
func (fs FieldSet) Watch(check func() []data.FieldError, cleared func()) {
	recheck := func() {
		if !fs.ShowingChecked() {
			return
		}
		named, fieldless := map[string]bool{}, false
		for _, p := range check() {
			named[p.Field] = true
			fieldless = fieldless || fs.Find(p.Field) == nil
		}
		for _, f := range fs {
			if f.checked && f.Message.Visible() && !named[f.Name] {
				f.SetProblem("")
			}
		}
		if cleared != nil && !fieldless && !fs.ShowingChecked() {
			cleared()
		}
	}
	for _, f := range fs {
		OnInputChanged(f.Input, recheck)
	}
}

// ShowingChecked reports whether a validation message is up.
func (fs FieldSet) ShowingChecked() bool {
	for _, f := range fs {
		if f.checked && f.Message.Visible() {
			return true
		}
	}
	return false
}

// OnInputChanged has fn run after every change to the input's value, after
// what the input's own OnChanged does; inputs made of several (a date and
// a time) are followed through their container.
func OnInputChanged(o fyne.CanvasObject, fn func()) {
	switch x := o.(type) {
	case nil:
	case *fyne.Container:
		for _, c := range x.Objects {
			OnInputChanged(c, fn)
		}
	case *widget.Select:
		after(&x.OnChanged, fn)
	case *Select:
		after(&x.OnChanged, fn)
	case *widget.Check:
		after(&x.OnChanged, fn)
	case *Check:
		after(&x.OnChanged, fn)
	case *widget.RadioGroup:
		after(&x.OnChanged, fn)
	case fyne.Focusable:
		if e := AsEntry(x); e != nil {
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

func (fs FieldSet) Find(name string) *Field {
	for _, f := range fs {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// ProblemSummary words the problems that have no field of their own.
func ProblemSummary(ps []data.FieldError) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = strings.ReplaceAll(p.Field, "_", " ") + ": " + p.Message
	}
	return strings.Join(lines, "\n")
}

func DatePlaceholder(format string) string {
	r := strings.NewReplacer("2006", "YYYY", "01", "MM", "02", "DD", "Jan", "Mon", "2 ", "D ")
	return r.Replace(format)
}

// ParseUserDate reads a date typed in the clinic's format or as YYYY-MM-DD;
// empty text is the zero date.
func ParseUserDate(text, format string) (data.Date, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return data.Date{}, nil
	}
	for _, layout := range []string{format, time.DateOnly} {
		if t, err := time.Parse(layout, text); err == nil {
			return data.DateOf(t), nil
		}
	}
	return data.Date{}, fmt.Errorf("is not a date; type it as %s", DatePlaceholder(format))
}

// ParseCount reads a whole number; empty text is 0.
func ParseCount(text string) (int, error) {
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

// ParseMM reads a depth in millimetres, accepting a decimal comma.
func ParseMM(text string) (float64, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, ",", "."))
	text = strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(text, "mm")), " ")
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fmt.Errorf("should be a depth in millimetres, such as 0.5")
	}
	return v, nil
}
