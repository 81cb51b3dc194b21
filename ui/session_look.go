package ui

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

// sessionPanel sets content on a softly tinted, rounded background in the
// theme colour named: the error colour for warnings, the primary colour for
// summaries.
func sessionPanel(name fyne.ThemeColorName, content fyne.CanvasObject) fyne.CanvasObject {
	c := color.NRGBAModel.Convert(theme.Color(name)).(color.NRGBA)
	bg := &canvas.Rectangle{
		FillColor:    withAlpha(c, 0x1f),
		StrokeColor:  withAlpha(c, 0x66),
		StrokeWidth:  1,
		CornerRadius: theme.InputRadiusSize() * 2,
	}
	return container.NewStack(bg, container.NewPadded(container.NewPadded(content)))
}

// sessionHeading is a section heading.
func sessionHeading(text string) *widget.Label {
	return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Wrapping: fyne.TextWrapWord}
}

// sessionSection is a titled part of a screen on a card.
func sessionSection(title string, parts ...fyne.CanvasObject) fyne.CanvasObject {
	return &widget.Card{Content: container.NewVBox(append([]fyne.CanvasObject{sessionHeading(title)}, parts...)...)}
}

// sessionText is a wrapped paragraph.
func sessionText(text string) *widget.Label {
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
}

// sessionCaption is small explanatory text.
func sessionCaption(text string) *widget.Label {
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
}

// sessionWarningLine is one warning with an icon before it, in the danger
// or warning colour.
func sessionWarningLine(text string, imp widget.Importance) fyne.CanvasObject {
	var icon fyne.Resource = theme.NewWarningThemedResource(theme.WarningIcon())
	if imp == widget.DangerImportance {
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	l := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, Importance: imp, TextStyle: fyne.TextStyle{Bold: imp == widget.DangerImportance}}
	return container.NewBorder(nil, nil, container.NewCenter(widget.NewIcon(icon)), nil, l)
}

// weekdayDate shows a date as "Sun 29/11/2026" in the clinic's format.
func weekdayDate(s data.Settings, d data.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time(time.UTC).Format("Mon") + " " + s.FormatDate(d)
}

// fixedWidth gives o a fixed width and its own height.
func fixedWidth(width float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, o.MinSize().Height), o)
}
