package widgets

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
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
