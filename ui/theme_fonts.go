package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	_ "unsafe" // for go:linkname, below

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/font/opentype/tables"
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
// is looked for in these, each read in only when a letter first needs it
// (addFallbackFonts), once for every text style. Adding a font is one
// line here.
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
// under their own family names, unread (see addFallbackFonts); fontscan's
// rules for sans-serif text (fontconfig's) put DejaVu Sans and Droid Sans
// Fallback ahead of most fonts, so they are used even where the computer
// has fonts of its own for those scripts, and no second CJK font is
// loaded. Fyne has no API to
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

// fontFolder is the folder the fallback fonts are kept in as files: the
// computer's cache folder for NeedleDesk. Tests use a folder of their own.
var fontFolder = func() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "needledesk", "fonts"), nil
}

// installFallbackFonts adds the fallback fonts to the font map Fyne's
// painter looks letters up in, creating the map the way Fyne does if it
// has not yet; if the computer has no usable fonts (Fyne then keeps no
// map), it gives Fyne a map of the fallback fonts alone. Fyne's emoji
// font joins them (emojiFallback).
func installFallbackFonts() error {
	dir, err := fontFolder()
	if err != nil {
		fyne.LogError("No folder to keep the fallback fonts in; they are read in at once", err)
	}
	fyneFontScanLock.Lock()
	defer fyneFontScanLock.Unlock()
	if !fyneFontMapLoaded {
		fyneLoadFontMap()
	}
	if fyneFontMap == nil {
		fyneFontMap = fontscan.NewFontMap(quietFontLog{})
	}
	err = addFallbackFonts(fyneFontMap, dir, fallbackFonts)
	if emoji, ok := theme.DefaultEmojiFont().(*fyne.StaticResource); ok && emoji != nil && len(emoji.StaticContent) > len(blankFont) {
		if addFallbackFonts(fyneFontMap, dir, []fallbackFont{{emoji.StaticName, emoji.StaticContent}}) == nil {
			emoji.StaticContent = blankFont
		}
	}
	return err
}

// Fyne's emoji font (EmojiOne, 4 MB) is read in by Fyne's painter once
// for every text style, 4.6 MB of heap each time, even where no emoji is
// ever shown; NeedleDesk's windows use three styles. So it joins the
// fallback fonts instead, read in once when an emoji first needs it, and
// the painter's own copy becomes blankFont, a font with no letters, which
// costs it next to nothing. An emoji that DejaVu Sans also has is drawn
// from DejaVu Sans, in one colour, as the printed sheets draw it.

// blankFont is a valid font with no letters: one empty glyph, mapped from
// no character.
var blankFont = makeBlankFont()

func makeBlankFont() []byte {
	be := binary.BigEndian
	head := make([]byte, 54)
	be.PutUint32(head[0:], 0x00010000)  // version
	be.PutUint32(head[12:], 0x5F0F3CF5) // magic number
	be.PutUint16(head[18:], 1000)       // units per em
	be.PutUint16(head[46:], 8)          // smallest readable size
	be.PutUint16(head[48:], 2)          // font direction hint
	hhea := make([]byte, 36)
	be.PutUint32(hhea[0:], 0x00010000)
	be.PutUint16(hhea[4:], 800)                 // ascender
	be.PutUint16(hhea[6:], uint16(0x10000-200)) // descender, -200
	be.PutUint16(hhea[18:], 1)                  // caret slope rise
	be.PutUint16(hhea[34:], 1)                  // one horizontal metric
	hmtx := make([]byte, 4)                     // glyph 0: no advance
	maxp := make([]byte, 6)
	be.PutUint32(maxp[0:], 0x00005000)
	be.PutUint16(maxp[4:], 1) // one glyph
	// A Windows Unicode map in format 4 with only the closing segment.
	cmap := make([]byte, 12+24)
	be.PutUint16(cmap[2:], 1)  // one subtable
	be.PutUint16(cmap[4:], 3)  // Windows
	be.PutUint16(cmap[6:], 1)  // Unicode BMP
	be.PutUint32(cmap[8:], 12) // at offset 12
	sub := cmap[12:]
	be.PutUint16(sub[0:], 4)       // format
	be.PutUint16(sub[2:], 24)      // length
	be.PutUint16(sub[6:], 2)       // segment count × 2
	be.PutUint16(sub[8:], 2)       // search range
	be.PutUint16(sub[14:], 0xFFFF) // end code
	be.PutUint16(sub[18:], 0xFFFF) // start code
	be.PutUint16(sub[20:], 1)      // delta: U+FFFF to glyph 0, no glyph
	tablesByTag := []struct {
		tag  string
		data []byte
	}{{"cmap", cmap}, {"head", head}, {"hhea", hhea}, {"hmtx", hmtx}, {"maxp", maxp}}
	n := len(tablesByTag)
	out := make([]byte, 12+16*n)
	be.PutUint32(out[0:], 0x00010000)
	be.PutUint16(out[4:], uint16(n))
	be.PutUint16(out[6:], 64) // search range: 16 × 4, the largest power of two ≤ 5 tables
	be.PutUint16(out[8:], 2)
	be.PutUint16(out[10:], uint16(16*n-64))
	for i, t := range tablesByTag {
		rec := out[12+16*i:]
		copy(rec, t.tag)
		padded := append(slices.Clone(t.data), make([]byte, (4-len(t.data)%4)%4)...)
		var sum uint32
		for j := 0; j < len(padded); j += 4 {
			sum += be.Uint32(padded[j:])
		}
		be.PutUint32(rec[4:], sum)
		be.PutUint32(rec[8:], uint32(len(out)))
		be.PutUint32(rec[12:], uint32(len(t.data)))
		out = append(out, padded...)
	}
	return out
}

// addFallbackFonts adds every fallback font to fm without reading it in:
// each is kept as a file in dir, and fm learns only which letters it has
// (its character map), its family and its weight. fm reads a font from its
// file the first time a letter needs it, once for every text style, so a
// script the clinic's records never show costs no memory; the CJK font
// alone takes 13 MB once read. A font that cannot be kept in dir (no
// folder, a full disk) is read into fm at once instead, so its letters
// show either way.
func addFallbackFonts(fm *fontscan.FontMap, dir string, fonts []fallbackFont) error {
	var errs []error
	var notKept error
	readIn := 0
	for _, f := range fonts {
		err := addFontFile(fm, f, dir)
		if err == nil {
			continue
		}
		if notKept == nil {
			notKept = err
		}
		readIn++
		if err := fm.AddFont(bytes.NewReader(f.data), "needledesk:"+f.name, ""); err != nil {
			errs = append(errs, fmt.Errorf("loading the font %s: %w", f.name, err))
		}
	}
	if notKept != nil {
		fyne.LogError(fmt.Sprintf("Read %d fallback font(s) in at once, using more memory", readIn), notKept)
	}
	return errors.Join(errs...)
}

// addFontFile keeps f as a file in dir and adds it to fm by that file,
// unread.
func addFontFile(fm *fontscan.FontMap, f fallbackFont, dir string) error {
	if dir == "" {
		return fmt.Errorf("keeping the font %s: no folder", f.name)
	}
	name, err := fontFileName(f)
	if err != nil {
		return err
	}
	fp, err := footprint(f, filepath.Join(dir, name))
	if err != nil {
		return err
	}
	if err := keepFontFile(dir, name, f.data); err != nil {
		return fmt.Errorf("keeping the font %s in %s: %w", f.name, dir, err)
	}
	fontscanAppendFootprints(fm, fp)
	return nil
}

// fontFileName is the name f is kept under: its own, with a fingerprint
// of its table directory, which holds every table's length and checksum,
// so that a NeedleDesk carrying another version of the font keeps that
// one beside it rather than using this one.
func fontFileName(f fallbackFont) (string, error) {
	d := f.data
	if len(d) < 12 || len(d) < 12+16*int(binary.BigEndian.Uint16(d[4:6])) {
		return "", fmt.Errorf("the font %s is too short to be a font", f.name)
	}
	sum := sha256.Sum256(d[:12+16*int(binary.BigEndian.Uint16(d[4:6]))])
	return strings.TrimSuffix(f.name, filepath.Ext(f.name)) + "-" + hex.EncodeToString(sum[:6]) + filepath.Ext(f.name), nil
}

// keepFontFile writes data to dir/name unless a file of its size is
// there already. It writes a temporary file and renames it, so a file
// under the name is always whole, even with two NeedleDesks starting.
func keepFontFile(dir, name string, data []byte) error {
	path := filepath.Join(dir, name)
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Size() == int64(len(data)) {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".writing-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}

// footprint is what fontscan knows of a font it has not read in: the
// letters of f's character map, its family and aspect, and the file to
// read it from, made the way fontscan's own AddFace makes it.
func footprint(f fallbackFont, file string) (fontscan.Footprint, error) {
	ld, err := ot.NewLoader(bytes.NewReader(f.data))
	if err != nil {
		return fontscan.Footprint{}, fmt.Errorf("reading the font %s: %w", f.name, err)
	}
	raw, _ := ld.RawTable(ot.MustNewTag("OS/2"))
	os2, _, _ := tables.ParseOs2(raw)
	raw, err = ld.RawTable(ot.MustNewTag("cmap"))
	if err != nil {
		return fontscan.Footprint{}, fmt.Errorf("reading the font %s: %w", f.name, err)
	}
	cm, _, err := tables.ParseCmap(raw)
	if err != nil {
		return fontscan.Footprint{}, fmt.Errorf("reading the font %s: %w", f.name, err)
	}
	cmap, _, err := font.ProcessCmap(cm, os2.FontPage())
	if err != nil {
		return fontscan.Footprint{}, fmt.Errorf("reading the font %s: %w", f.name, err)
	}
	desc, _ := font.Describe(ld, nil)
	return fontscanFootprint(&font.Font{Cmap: cmap}, fontscan.Location{File: file}, desc), nil
}

// Two names of fontscan's (go-text/typesetting v0.2.1, fontscan/
// footprint.go and fontmap.go) add a font to a map by its file without
// reading it in, as its index of the computer's fonts does: fontscan has
// no exported way to (AddFont and AddFace parse the whole font). The
// footprint is made from the font's character map alone, as AddFace makes
// it; when go-text/typesetting is upgraded, check that both still exist
// with these types (TestFallbackFontsWaitForALetter fails if the fonts are
// no longer found, or are read in at once).

//go:linkname fontscanFootprint github.com/go-text/typesetting/fontscan.newFootprintFromFont
func fontscanFootprint(f *font.Font, location fontscan.Location, md font.Description) fontscan.Footprint

//go:linkname fontscanAppendFootprints github.com/go-text/typesetting/fontscan.(*FontMap).appendFootprints
func fontscanAppendFootprints(fm *fontscan.FontMap, footprints ...fontscan.Footprint)

// quietFontLog drops fontscan's notes on letters no font has, as Fyne does.
type quietFontLog struct{}

func (quietFontLog) Printf(string, ...any) {}
