package widgets

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

// The small building blocks the treatment-room screens (session form,
// contraindication check, aftercare preview) share, so they look alike.

// Panel sets content on a softly tinted, rounded background in the
// theme colour named: the error colour for warnings, the primary colour for
// summaries.
func Panel(name fyne.ThemeColorName, content fyne.CanvasObject) fyne.CanvasObject {
	c := color.NRGBAModel.Convert(theme.Color(name)).(color.NRGBA)
	bg := &canvas.Rectangle{
		FillColor:    WithAlpha(c, 0x1f),
		StrokeColor:  WithAlpha(c, 0x66),
		StrokeWidth:  1,
		CornerRadius: theme.InputRadiusSize() * 2,
	}
	return container.NewStack(bg, container.NewPadded(container.NewPadded(content)))
}

// Heading is a section heading.
func Heading(text string) *widget.Label {
	return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Wrapping: fyne.TextWrapWord}
}

// Section is a titled part of a screen on a card.
func Section(title string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	return &widget.Card{Content: container.NewVBox(append([]fyne.CanvasObject{Heading(title)}, parts...)...)}
}

// Text is a wrapped paragraph.
func Text(text string) *widget.Label {
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
}

// Caption is small explanatory text.
func Caption(text string) *widget.Label {
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
}

// WarningLine is one warning with an icon before it, in the danger
// or warning colour.
func WarningLine(text string, imp widget.Importance) fyne.CanvasObject {
	var icon fyne.Resource = theme.NewWarningThemedResource(theme.WarningIcon())
	if imp == widget.DangerImportance {
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	l := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, Importance: imp, TextStyle: fyne.TextStyle{Bold: imp == widget.DangerImportance}}
	return container.NewBorder(nil, nil, container.NewCenter(widget.NewIcon(icon)), nil, l)
}

// WeekdayDate shows a date as "Sun 29/11/2026" in the clinic's format.
func WeekdayDate(s data.Settings, d data.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time(time.UTC).Format("Mon") + " " + s.FormatDate(d)
}

// FixedWidth gives o a fixed width and its own height.
func FixedWidth(width float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, o.MinSize().Height), o)
}

func WithAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}

// Title is a screen's title.
func Title(text string) *widget.Label {
	return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
}

// Summary is the line under a form for problems no field claims, and
// for "saved" notes.
func Summary() *widget.Label {
	l := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	l.Hide()
	return l
}

// SetSummary shows msg with the given importance, or hides the line.
func SetSummary(l *widget.Label, msg string, imp widget.Importance) {
	l.Importance = imp
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// Count is "1 client", "3 clients".
func Count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// CardSection is a card with a bold heading, a line of help under it and
// its content: calmer than a Card's own large title.
func CardSection(title, subtitle string, content fyne.CanvasObject) fyne.CanvasObject {
	head := []fyne.CanvasObject{&widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}}
	if subtitle != "" {
		head = append(head, Caption(subtitle))
	}
	return widget.NewCard("", "", container.NewVBox(container.New(&TightVBox{}, head...), content))
}

// Column lays top, center and bottom out as a Border layout does,
// but keeps them in reading order so Tab moves from the controls at the
// top into the list and then to the buttons below.
func Column(top, center, bottom fyne.CanvasObject) *fyne.Container {
	objs := []fyne.CanvasObject{}
	for _, o := range []fyne.CanvasObject{top, center, bottom} {
		if o != nil {
			objs = append(objs, o)
		}
	}
	return container.New(layout.NewBorderLayout(top, bottom, nil, nil), objs...)
}

// Spacer lines a button up with entries that have a label above.
func Spacer() fyne.CanvasObject {
	return &widget.Label{Text: " ", SizeName: theme.SizeNameCaptionText}
}

// TightVBox stacks objects vertically without padding, so a row's two
// lines read as one item.
type TightVBox struct{}

func Pair(a, b fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWithColumns(2, a, b)
}

// Indent sets sub-questions in under the box they belong to.
func Indent(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(theme.IconInlineSize()+theme.Padding()*2, 1)), nil, o)
}

func (TightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs {
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height
	}
	return fyne.NewSize(w, h-theme.InnerPadding()*float32(len(objs)-1))
}

func (TightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - theme.InnerPadding()
	}
}
