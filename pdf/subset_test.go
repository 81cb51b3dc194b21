package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jung-kurt/gofpdf"

	"needledesk/assets"
)

// subsetSample covers accents built from composite glyphs (ễ, ǻ), Greek,
// Cyrillic, punctuation, and CJK for the fallback font.
const subsetSample = "Zoë O'Brien · Łukasz Wiśniewski · Ğül Yılmaz · Nguyễn Thị Lan · Ǻǻ Ṩ\n" +
	"Αικατερίνη Παπαδοπούλου · Анна Иванова · “fragrance-free” — 0.75 mm, 24/11/2026 ✓ €12\n"
const subsetSampleCJK = "王芳 佐藤 さくら 結衣 カタカナ、ひらがな。"

// TestSubsetDrawsLikeTheFullFont renders the same text once with the
// original font files and once with this package's subsets and compares the
// rasterised pages pixel for pixel.
func TestSubsetDrawsLikeTheFullFont(t *testing.T) {
	requireTools(t)
	lib, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	runesOf := func(s string) []rune {
		var rs []rune
		for _, r := range s {
			rs = append(rs, r)
		}
		slices.Sort(rs)
		return slices.Compact(rs)
	}
	full := func() [3][]byte {
		return [3][]byte{slices.Clone(assets.DejaVuSans), slices.Clone(assets.DejaVuSansBold), slices.Clone(assets.DroidSansFallback)}
	}()
	sub := [3][]byte{
		lib.regular.subset(runesOf(subsetSample)),
		lib.bold.subset(runesOf(subsetSample)),
		lib.cjk.subset(runesOf(subsetSampleCJK)),
	}
	for i, b := range sub {
		if len(b) > 64<<10 {
			t.Errorf("subset %d is %d bytes; expected a small font", i, len(b))
		}
	}
	page := func(fonts [3][]byte) []byte {
		pdf := gofpdf.New("P", "mm", "A4", "")
		pdf.SetCatalogSort(true)
		pdf.SetCreationDate(madeAt)
		pdf.SetModificationDate(madeAt)
		pdf.AddUTF8FontFromBytes("latin", "", fonts[0])
		pdf.AddUTF8FontFromBytes("latin", "B", fonts[1])
		pdf.AddUTF8FontFromBytes("cjk", "", fonts[2])
		pdf.AddPage()
		for _, size := range []float64{9, 14, 24} {
			pdf.SetFont("latin", "", size)
			pdf.MultiCell(190, size*0.5, subsetSample, "", "L", false)
			pdf.SetFont("latin", "B", size)
			pdf.MultiCell(190, size*0.5, subsetSample, "", "L", false)
			pdf.SetFont("cjk", "", size)
			pdf.MultiCell(190, size*0.5, subsetSampleCJK, "", "L", false)
		}
		var buf bytes.Buffer
		if err := pdf.Output(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	raster := func(name string, pdf []byte) []byte {
		dir := t.TempDir()
		path := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(path, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		run(t, "pdftoppm", "-png", "-r", "100", "-singlefile", path, filepath.Join(dir, name))
		png, err := os.ReadFile(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		return png
	}
	a, b := raster("full", page(full)), raster("subset", page(sub))
	if !bytes.Equal(a, b) {
		dir := artefactDir(t)
		os.WriteFile(filepath.Join(dir, "subset-full.png"), a, 0o644)
		os.WriteFile(filepath.Join(dir, "subset-ours.png"), b, 0o644)
		t.Errorf("text set in the subsets rasterises differently from the full fonts; see %s/subset-*.png", dir)
	}
	if text := foldSpace(run(t, "pdftotext", writeTemp(t, page(sub)), "-")); !bytes.Contains([]byte(text), []byte("Nguyễn Thị Lan")) {
		t.Errorf("subset text does not extract: %s", text)
	}
}

// TestSubsetFileIsSound: the tables made per document and the fixed ones
// compressed once add up to one zlib stream that inflates to the subset,
// and the subset's directory and checksums are right.
func TestSubsetFileIsSound(t *testing.T) {
	lib, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		font *ttfFont
		text string
	}{
		"regular": {lib.regular, subsetSample}, "bold": {lib.bold, subsetSample}, "cjk": {lib.cjk, subsetSampleCJK},
	} {
		var runes []rune
		for _, r := range tc.text {
			runes = append(runes, r)
		}
		slices.Sort(runes)
		runes = slices.Compact(runes)
		want := tc.font.subset(runes)
		zr, err := zlib.NewReader(bytes.NewReader(deflateFont(tc.font.subsetParts(runes))))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := io.ReadAll(zr) // checks the Adler-32 sum too
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: compressed subset inflates to %d bytes (%v), want the %d-byte subset", name, len(got), err, len(want))
		}
		if sum := checksum(want); sum != 0xB1B0AFBA {
			t.Errorf("%s: file checksum %#x, want 0xB1B0AFBA", name, sum)
		}
		tables, err := ttfTables(want)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := 0; i < len(tables); i++ {
			rec := want[12+16*i:]
			tag, sum := string(rec[:4]), binary.BigEndian.Uint32(rec[4:])
			tab := slices.Clone(tables[tag])
			if tag == "head" {
				binary.BigEndian.PutUint32(tab[8:], 0)
			}
			if checksum(tab) != sum {
				t.Errorf("%s: table %q checksum %#x, directory says %#x", name, tag, checksum(tab), sum)
			}
			if i > 0 && string(want[12+16*(i-1):][:4]) >= tag {
				t.Errorf("%s: directory not sorted at %q", name, tag)
			}
		}
		sub, err := parseTTF(want)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range runes {
			if !tc.font.hasGlyph(r) {
				continue // the line break
			}
			if !sub.hasGlyph(r) || sub.width(r) != tc.font.width(r) {
				t.Errorf("%s: subset has %q as glyph %d, width %d; font's width %d", name, r, sub.glyph[r], sub.width(r), tc.font.width(r))
			}
		}
	}
}
