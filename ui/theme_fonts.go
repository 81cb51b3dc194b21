package ui

import (
	"bytes"
	"fmt"
	"sync"
	_ "unsafe" // for go:linkname, below

	"fyne.io/fyne/v2"
	"github.com/go-text/typesetting/fontscan"

	"needledesk/assets"
)

// fallbackFont is a font NeedleDesk carries for the letters that the
// theme's font has no glyph for.
type fallbackFont struct {
	name string // its file in assets/fonts, for messages
	data []byte
}

// fallbackFonts are the fonts the window falls back on, most wanted first:
// the PDF's fonts, so the app shows every script the sheets print, on a
// computer that has no font of its own for it. The theme's font stays
// Fyne's Noto Sans (Latin, Greek, Cyrillic, Vietnamese); a letter it lacks
// is looked for in these, each parsed once and shared by every text style.
// Adding a font is one line here.
var fallbackFonts = []fallbackFont{
	{"DejaVuSans.ttf", assets.DejaVuSans},                   // Arabic, Hebrew, more symbols
	{"DejaVuSans-Bold.ttf", assets.DejaVuSansBold},          // the same, for bold text
	{"DroidSansFallbackFull.ttf", assets.DroidSansFallback}, // Chinese, Japanese
	{"NanumSquareR.ttf", assets.NanumSquare},                // Korean
	{"NotoSansDevanagari-Regular.ttf", assets.NotoSansDevanagari},
	{"NotoSansBengali-Regular.ttf", assets.NotoSansBengali},
	{"NotoSansGurmukhi-Regular.ttf", assets.NotoSansGurmukhi},
	{"NotoSansGujarati-Regular.ttf", assets.NotoSansGujarati},
	{"NotoSansOriya-Regular.ttf", assets.NotoSansOriya},
	{"NotoSansTamil-Regular.ttf", assets.NotoSansTamil},
	{"NotoSansTelugu-Regular.ttf", assets.NotoSansTelugu},
	{"NotoSansKannada-Regular.ttf", assets.NotoSansKannada},
	{"NotoSansMalayalam-Regular.ttf", assets.NotoSansMalayalam},
	{"NotoSansSinhala-Regular.ttf", assets.NotoSansSinhala},
	{"NotoSansThai-Regular.ttf", assets.NotoSansThai},
}

// How the fallback fonts reach Fyne. A Fyne theme gives one font file per
// text style, and Fyne's painter (fyne.io/fyne/v2/internal/painter,
// font.go) looks a letter up in that font, then in Fyne's own Noto Sans
// and emoji font, then in a font for the computer's language, and last,
// letter by letter, in one fontscan.FontMap of the computer's fonts that
// it shares between all styles. The fallback fonts are added to that map
// under their own family names; fontscan's rules for sans-serif text
// (fontconfig's) put DejaVu Sans and Droid Sans Fallback ahead of most
// fonts, so they are used even where the computer has fonts of its own
// for those scripts, and no second CJK font is loaded. Fyne has no API to
// add a font to that map, so these four names of Fyne's reach it. They
// are checked against Fyne v2.7.1: when Fyne is upgraded, check that
// internal/painter/font.go still declares them with these types
// (TestThemeDrawsEveryScript fails if the fonts stop being found).

//go:linkname fyneFontMap fyne.io/fyne/v2/internal/painter.fm
var fyneFontMap *fontscan.FontMap

//go:linkname fyneFontScanLock fyne.io/fyne/v2/internal/painter.fontScanLock
var fyneFontScanLock sync.Mutex

//go:linkname fyneFontMapLoaded fyne.io/fyne/v2/internal/painter.loaded
var fyneFontMapLoaded bool

//go:linkname fyneLoadFontMap fyne.io/fyne/v2/internal/painter.loadMap
func fyneLoadFontMap()

// fallbackFontsReady adds the fallback fonts to Fyne's font map the first
// time it is called; later calls wait for that and return its error.
var fallbackFontsReady = sync.OnceValue(func() error {
	err := installFallbackFonts()
	if err != nil {
		fyne.LogError("Some letters may show as boxes", err)
	}
	return err
})

// installFallbackFonts adds the fallback fonts to the font map Fyne's
// painter looks letters up in, creating the map the way Fyne does if it
// has not yet; if the computer has no usable fonts (Fyne then keeps no
// map), it gives Fyne a map of the fallback fonts alone.
func installFallbackFonts() error {
	fyneFontScanLock.Lock()
	defer fyneFontScanLock.Unlock()
	if !fyneFontMapLoaded {
		fyneLoadFontMap()
	}
	if fyneFontMap == nil {
		fyneFontMap = fontscan.NewFontMap(quietFontLog{})
	}
	return addFallbackFonts(fyneFontMap)
}

// addFallbackFonts parses each fallback font once into fm.
func addFallbackFonts(fm *fontscan.FontMap) error {
	for _, f := range fallbackFonts {
		if err := fm.AddFont(bytes.NewReader(f.data), "needledesk:"+f.name, ""); err != nil {
			return fmt.Errorf("loading the font %s: %w", f.name, err)
		}
	}
	return nil
}

// quietFontLog drops fontscan's notes on letters no font has, as Fyne does.
type quietFontLog struct{}

func (quietFontLog) Printf(string, ...any) {}
