package ui

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/fontscan"

	"needledesk/assets"
)

// scriptSamples are names in every script the clinic's records hold and
// the aftercare sheet prints.
var scriptSamples = []struct{ script, text string }{
	{"Latin", "Zoë Ødegård, Łukasz Wiśniewski, Ğül Yılmaz"},
	{"Greek", "Αικατερίνη Παπαδοπούλου"},
	{"Cyrillic", "Наталья Кузнецова"},
	{"Vietnamese", "Nguyễn Thị Lan, Trần Đức Thắng"},
	{"Chinese", "王秀英, 陈静, 刘伟"},
	{"Japanese", "結衣 佐藤, さくら 鈴木, ユウト 高橋"},
	{"Arabic", "فاطمة الزهراء"},
	{"Hebrew", "נועה כהן"},
	{"Korean", "김민준, 이서연"},
	{"Devanagari", "प्रिया शर्मा"},
	{"Bengali", "অর্পিতা দাস"},
	{"Tamil", "கார்த்திக் செல்வம்"},
	{"Thai", "สมชาย ใจดี"},
}

// newThemedApp is a test app in the clinic's theme.
func newThemedApp(t *testing.T) fyne.App {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newClinicTheme())
	return a
}

// TestThemeRendersEveryScript draws a label per script, and two bold ones,
// in the clinic's theme through Fyne's software renderer and compares the
// window with testdata/theme_scripts.png. Every letter comes from Fyne's
// Noto Sans or a fallback font, which fontscan prefers to the computer's
// own fonts for sans-serif text, so the image should not change with them.
func TestThemeRendersEveryScript(t *testing.T) {
	newThemedApp(t)
	rows := container.NewVBox()
	for _, s := range scriptSamples {
		rows.Add(widget.NewLabel(s.script + ": " + s.text))
	}
	for _, text := range []string{"Bold: Zoë Ødegård, Ελένη, Анна, 結衣 佐藤, فاطمة", "Bold: Nguyễn, 王秀英, נועה כהן"} {
		rows.Add(widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	w := test.NewTempWindow(t, rows)
	w.Resize(fyne.NewSize(480, rows.MinSize().Height+2*theme.Padding()))
	test.AssertImageMatches(t, "theme_scripts.png", w.Canvas().Capture())
}

// TestThemeDrawsEveryScript draws each letter of the samples alone, in
// regular and bold text, and fails if Fyne draws it as its missing-glyph
// mark (it draws U+FFFD in place of a letter no font has) or draws
// nothing.
func TestThemeDrawsEveryScript(t *testing.T) {
	newThemedApp(t)
	for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
		missing := ink(t, "\U0010FFFD", style) // a letter no font has
		if missing == nil {
			t.Fatal("the missing-glyph mark draws nothing")
		}
		for _, s := range scriptSamples {
			var boxes []string
			for _, r := range s.text {
				// A vowel sign or other mark alone has no place to sit
				// (the golden image shows them on their letters).
				if unicode.IsSpace(r) || unicode.Is(unicode.Mn, r) {
					continue
				}
				got := ink(t, string(r), style)
				if got == nil || sameImage(got, missing) {
					boxes = append(boxes, fmt.Sprintf("%c (%U)", r, r))
				}
			}
			if len(boxes) > 0 {
				t.Errorf("%s, bold %v: drawn as missing: %v", s.script, style.Bold, boxes)
			}
		}
	}
}

// ink draws text alone in the current theme and returns the smallest
// image around what was drawn, or nil if nothing was.
func ink(t *testing.T, text string, style fyne.TextStyle) image.Image {
	t.Helper()
	txt := canvas.NewText(text, color.Black)
	txt.TextSize, txt.TextStyle = 24, style
	txt.Move(fyne.NewPos(8, 8))
	txt.Resize(txt.MinSize())
	w := test.NewTempWindow(t, container.NewWithoutLayout(txt))
	w.Resize(fyne.NewSize(80, 60))
	img := w.Canvas().Capture()
	b := img.Bounds()
	bg := img.At(b.Min.X, b.Min.Y)
	box := image.Rectangle{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.At(x, y) != bg {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if box.Empty() {
		return nil
	}
	out := image.NewRGBA(box.Sub(box.Min))
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			out.Set(x-box.Min.X, y-box.Min.Y, img.At(x, y))
		}
	}
	return out
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	return bytes.Equal(a.(*image.RGBA).Pix, b.(*image.RGBA).Pix)
}

// TestMain keeps the fallback fonts the tests write (fontFolder) in a
// folder of their own, not in the computer's cache folder, and stops the
// throwaway PostgreSQL server the connect screen's tests started.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "needledesk-fonts-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fontFolder = func() (string, error) { return dir, nil }
	code := m.Run()
	stopTestServer()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// TestFallbackFontsWaitForALetter: adding the fallback fonts to a font
// map reads none of them in (it cost 23 MB of heap when they were parsed
// at start); the first Chinese letter looked up reads the CJK font in
// from the file kept for it, and that face has the letter.
func TestFallbackFontsWaitForALetter(t *testing.T) {
	dir := t.TempDir()
	before := heapInUse()
	fm := fontscan.NewFontMap(quietFontLog{})
	if err := addFallbackFonts(fm, dir, fallbackFonts); err != nil {
		t.Fatal(err)
	}
	added := heapInUse()
	t.Logf("adding the %d fallback fonts takes %.1f MB of Go heap", len(fallbackFonts), mb(added-before))
	if added-before > 3<<20 {
		t.Errorf("adding the fallback fonts took %.1f MB of heap: they were read in before any letter needed them", mb(added-before))
	}
	for _, f := range fallbackFonts {
		name, err := fontFileName(f)
		if err != nil {
			t.Fatal(err)
		}
		kept, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(kept, f.data) {
			t.Errorf("%s is not kept whole in %s (%v)", f.name, dir, err)
		}
	}

	fm.SetQuery(fontscan.Query{Families: []string{fontscan.SansSerif}})
	face := fm.ResolveFace('結')
	read := heapInUse()
	if face == nil {
		t.Fatal("no face for 結")
	}
	if _, ok := face.NominalGlyph('結'); !ok {
		t.Fatalf("the face found for 結 (%s) has no glyph for it", fm.FontLocation(face.Font).File)
	}
	if got := fm.FontLocation(face.Font).File; filepath.Dir(got) != dir {
		t.Errorf("結 came from %q, not from a font kept in %s", got, dir)
	}
	t.Logf("the first Chinese letter reads the CJK font in: %.1f MB", mb(read-added))
	if read-added < 5<<20 {
		t.Errorf("the CJK font took only %.1f MB when its first letter was looked up: was it read in before?", mb(read-added))
	}
	runtime.KeepAlive(fm)
}

// TestFallbackFontsKeptOnce: a later start finds the font files in place
// and leaves them; a file that is not whole (here cut short) is written
// again.
func TestFallbackFontsKeptOnce(t *testing.T) {
	dir := t.TempDir()
	if err := addFallbackFonts(fontscan.NewFontMap(quietFontLog{}), dir, fallbackFonts); err != nil {
		t.Fatal(err)
	}
	thai, err := fontFileName(fallbackFonts[len(fallbackFonts)-1])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(filepath.Join(dir, thai), 100); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		if err := os.Chtimes(f, old, old); err != nil {
			t.Fatal(err)
		}
	}

	fm := fontscan.NewFontMap(quietFontLog{})
	if err := addFallbackFonts(fm, dir, fallbackFonts); err != nil {
		t.Fatal(err)
	}
	again, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(again) != len(fallbackFonts) {
		t.Errorf("the folder holds %d files after a second start, want the %d fonts: %v", len(again), len(fallbackFonts), again)
	}
	for _, f := range again {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		rewritten := st.ModTime().After(old.Add(time.Minute))
		if rewritten != (filepath.Base(f) == thai) {
			t.Errorf("%s rewritten: %v; only the font cut short should be", filepath.Base(f), rewritten)
		}
	}
	fm.SetQuery(fontscan.Query{Families: []string{fontscan.SansSerif}})
	if face := fm.ResolveFace('ส'); face == nil || fm.FontLocation(face.Font).File != filepath.Join(dir, thai) {
		t.Errorf("ส is not drawn from the Thai font written again")
	}
}

// TestFallbackFontsWithoutAFolder: when the fonts cannot be kept as files
// (here the folder would have to be made inside a file), they are read in
// at once, as before, and their letters are still found.
func TestFallbackFontsWithoutAFolder(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(notADir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(notADir, "fonts"), ""} {
		fm := fontscan.NewFontMap(quietFontLog{})
		if err := addFallbackFonts(fm, dir, fallbackFonts); err != nil {
			t.Fatal(err)
		}
		fm.SetQuery(fontscan.Query{Families: []string{fontscan.SansSerif}})
		for _, r := range "結김ส" {
			face := fm.ResolveFace(r)
			if face == nil {
				t.Fatalf("folder %q: no face for %c", dir, r)
			}
			if _, ok := face.NominalGlyph(r); !ok {
				t.Errorf("folder %q: the face found for %c has no glyph for it", dir, r)
			}
		}
	}
}

// TestFallbackFontsLoadOnce checks that a fallback font is read in once,
// whatever the number of text styles showing its letters, and logs what
// it costs (go test -v -run TestFallbackFontsLoadOnce).
func TestFallbackFontsLoadOnce(t *testing.T) {
	newThemedApp(t)
	// Monospaced text is left out: Fyne looks its missing letters up among
	// the computer's monospaced fonts first (NeedleDesk shows none).
	styles := []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true}}
	draw := func(text string) {
		for _, s := range styles {
			ink(t, text, s)
		}
	}
	draw("Anna Smith") // Fyne loads its own fonts for each style
	const others = "結衣 佐藤 王秀英 فاطمة נועה"
	latin := heapInUse()
	ink(t, others, styles[0]) // reads in the fonts these letters need, unless an earlier test did
	first := heapInUse()
	for _, s := range styles[1:] {
		ink(t, others, s)
	}
	scripts := heapInUse()
	t.Logf("drawing Chinese, Japanese, Arabic and Hebrew adds %.1f MB in the first style, then %.1f MB in %d more",
		mb(first-latin), mb(scripts-first), len(styles)-1)
	// Parsing the CJK font again would cost far more than this.
	cjk, err := font.ParseTTF(bytes.NewReader(assets.DroidSansFallback))
	if err != nil {
		t.Fatal(err)
	}
	once := heapInUse() - scripts
	runtime.KeepAlive(cjk)
	t.Logf("one more parse of the CJK font would take %.1f MB", mb(once))
	if scripts-first > once/2 {
		t.Errorf("drawing other scripts in %d more styles took %.1f MB: a fallback font is read in more than once", len(styles)-1, mb(scripts-first))
	}
}

// heapInUse is the Go heap's live bytes.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// TestFallbackFontsCoverEveryScript checks, whatever fonts the computer
// running the test has, that every letter of the samples is in Fyne's
// own font or in one of the fonts NeedleDesk carries.
func TestFallbackFontsCoverEveryScript(t *testing.T) {
	var faces []*font.Font
	for _, data := range [][]byte{theme.DefaultTextFont().Content()} {
		f, err := font.ParseTTF(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		faces = append(faces, f.Font)
	}
	for _, ff := range fallbackFonts {
		f, err := font.ParseTTF(bytes.NewReader(ff.data))
		if err != nil {
			t.Fatalf("%s: %v", ff.name, err)
		}
		faces = append(faces, f.Font)
	}
	for _, s := range scriptSamples {
		for _, r := range s.text {
			if unicode.IsSpace(r) || unicode.IsPunct(r) {
				continue
			}
			covered := false
			for _, f := range faces {
				if _, ok := f.NominalGlyph(r); ok {
					covered = true
					break
				}
			}
			if !covered {
				t.Errorf("%s: no font NeedleDesk carries has %c (%U)", s.script, r, r)
			}
		}
	}
}

// TestEmojiFontReadInOnce: Fyne's painter no longer reads its 4 MB emoji
// font in for each text style (it is given blankFont, with no letters),
// and an emoji DejaVu Sans lacks still draws, from the emoji font among
// the fallback fonts, in regular and bold text.
func TestEmojiFontReadInOnce(t *testing.T) {
	newThemedApp(t)
	if err := fallbackFontsReady(); err != nil {
		t.Fatal(err)
	}
	perStyle, err := font.ParseTTF(bytes.NewReader(theme.DefaultEmojiFont().Content()))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := perStyle.NominalGlyph('🌈'); ok {
		t.Errorf("Fyne's painter still reads the whole emoji font (%d KB) in for every text style", len(theme.DefaultEmojiFont().Content())/1024)
	}
	for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
		missing := ink(t, "\U0010FFFD", style)
		for _, e := range []string{"🌈", "🌱"} {
			if got := ink(t, e, style); got == nil || sameImage(got, missing) {
				t.Errorf("bold %v: %s is drawn as missing", style.Bold, e)
			}
		}
	}
}

// TestBlankFontHasNoLetters: the font Fyne's painter gets in place of its
// emoji font reads as a font and has a glyph for no character (U+FFFF, no
// character, is left out: the map's closing segment has to name it).
func TestBlankFontHasNoLetters(t *testing.T) {
	f, err := font.ParseTTF(bytes.NewReader(blankFont))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range "a Ω結🌈\uFFFD\u0000" {
		if g, ok := f.NominalGlyph(r); ok {
			t.Errorf("the blank font has glyph %d for %U", g, r)
		}
	}
	if len(blankFont) > 512 {
		t.Errorf("the blank font is %d bytes", len(blankFont))
	}
}
