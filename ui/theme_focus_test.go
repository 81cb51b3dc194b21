package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fixedVariant is the clinic's theme in one variant, whatever the
// computer's setting.
type fixedVariant struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (f fixedVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return f.Theme.Color(n, f.v)
}

// TestTheFocusedButtonStandsOut: the button the keyboard is on is plainly
// told from the others, the dialogs' main (teal) button too. The focus
// colour was the teal itself, at half strength: laid over a teal button it
// changed nothing, and a dialog's default button never showed that Enter
// or Space would press it. Measured on the drawn window, as the contrast
// between the button's background focused and not (WCAG's ratio; 1 is no
// difference; the teal buttons measured 1.00 before, and 1.3 now, the
// most a background can change while the button's words stay readable:
// the focus darkens the grey buttons, whose words are dark).
func TestTheFocusedButtonStandsOut(t *testing.T) {
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		a := test.NewTempApp(t)
		a.Settings().SetTheme(fixedVariant{newClinicTheme(), v})
		for _, imp := range []widget.Importance{widget.MediumImportance, widget.HighImportance, widget.DangerImportance} {
			b := &widget.Button{Text: "Save", Importance: imp}
			w := test.NewTempWindow(t, container.NewCenter(b))
			w.Resize(fyne.NewSize(300, 120))
			at := func() color.Color {
				p := a.Driver().AbsolutePositionForObject(b).Add(fyne.NewPos(10, b.Size().Height/2)) // inside the button, clear of its words
				img := w.Canvas().Capture()
				scale := float32(img.Bounds().Dx()) / w.Canvas().Size().Width
				return img.At(int(p.X*scale), int(p.Y*scale))
			}
			plain := at()
			w.Canvas().Focus(b)
			focused := at()
			if r := contrast(plain, focused); r < 1.25 {
				t.Errorf("variant %d, importance %d: the focused button's background contrasts %.2f:1 with the unfocused one's (%v against %v); want at least 1.25:1",
					v, imp, r, focused, plain)
			}
		}
	}
}

// contrast is WCAG's contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}
