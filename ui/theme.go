package ui

import (
	"image/color"
	"needledesk/ui/widgets"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// clinicTheme is Fyne's default theme in the teal of NeedleDesk's icon,
// with fallback fonts for the scripts Fyne's font lacks (theme_fonts.go).
type clinicTheme struct {
	fyne.Theme
}

// newClinicTheme starts loading the fallback fonts, so that they load
// while the window opens.
func newClinicTheme() fyne.Theme {
	go fallbackFontsReady() // Font waits for it; its error is logged
	return clinicTheme{Theme: theme.DefaultTheme()}
}

// Font is Fyne's font for the style. Fyne asks for it before it measures
// or draws text in that style, so the first call waits until the fallback
// fonts are in Fyne's font map: no text is drawn, and kept, with boxes
// for letters those fonts have.
func (t clinicTheme) Font(s fyne.TextStyle) fyne.Resource {
	_ = fallbackFontsReady()
	return t.Theme.Font(s)
}

var (
	tealLight = color.NRGBA{R: 0x2a, G: 0x8f, B: 0x8c, A: 0xff} // the icon's deeper teal
	tealDark  = color.NRGBA{R: 0x5e, G: 0xc4, B: 0xb6, A: 0xff} // the icon's soft teal
)

// Color swaps the accent colours and keeps everything else.
func (t clinicTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	teal := tealLight
	if v == theme.VariantDark {
		teal = tealDark
	}
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return teal
	case theme.ColorNameFocus:
		// Laid over whatever the widget is, it must change the teal buttons
		// too, which the teal itself, as the focus colour was, left as they
		// were: a dialog never showed which button Enter would press
		// (TestTheFocusedButtonStandsOut). Light, the foreground's ink
		// darkens every button; dark, a middle grey lightens the grey ones
		// and darkens the light teal, whose words are white.
		if v == theme.VariantDark {
			return color.NRGBA{R: 0x60, G: 0x60, B: 0x60, A: 0x99}
		}
		return widgets.WithAlpha(color.NRGBAModel.Convert(t.Theme.Color(theme.ColorNameForeground, v)).(color.NRGBA), 0x66)
	case theme.ColorNameSelection:
		return widgets.WithAlpha(teal, 0x40)
	}
	return t.Theme.Color(n, v)
}
