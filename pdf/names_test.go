package pdf

import (
	"cmp"
	"html"
	"image"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"needledesk/data"
)

// The names the sheet must print, in every script the clinic meets: every
// script of the demo clinic's names (data/demo/names.go: Latin with its
// accents, Vietnamese, Greek, Cyrillic, Chinese, Japanese), and the scripts
// that need shaping or run right to left.
var nameCases = []struct {
	file          string
	given, family string
	font          string // the font the name is set in, as pdffonts names it
}{
	{"latin-diaeresis", "Zoë", "O'Brien", "dejavusans"},
	{"irish", "Siobhán", "Ó Súilleabháin", "dejavusans"},
	{"polish", "Łukasz", "Wiśniewski", "dejavusans"},
	{"turkish", "Ğül", "Yılmaz", "dejavusans"},
	{"nordic", "Sigríður", "Ødegård", "dejavusans"},
	{"vietnamese", "Thị Lan", "Nguyễn", "dejavusans"},
	{"greek", "Αικατερίνη", "Παπαδοπούλου", "dejavusans"},
	{"cyrillic", "Анна", "Иванова", "dejavusans"},
	{"chinese", "芳", "王", "droidsansfallback"},
	{"japanese", "さくら", "佐藤", "droidsansfallback"},
	{"korean", "민지", "김", "nanumsquarer"},
	{"arabic", "محمد", "علي", "notosansarabic-regular"},
	{"arabic-vowelled", "مُحَمَّد", "الخَطِيب", "notosansarabic-regular"},
	{"persian", "نرگس", "محمدی\u200cزاده", "notosansarabic-regular"}, // with a zero-width non-joiner
	{"hebrew", "שרה", "כהן", "notosanshebrew-regular"},
	{"hebrew-pointed", "שָׂרָה", "לֵוִי", "notosanshebrew-regular"},
	{"devanagari", "प्रिया", "शर्मा", "notosansdevanagari-regular"},
	{"bengali", "সৌমিত্র", "চট্টোপাধ্যায়", "notosansbengali-regular"},
	{"gurmukhi", "ਹਰਪ੍ਰੀਤ", "ਸਿੰਘ", "notosansgurmukhi-regular"},
	{"gujarati", "પ્રિયંકા", "પટેલ", "notosansgujarati-regular"},
	{"oriya", "ସୁଭଶ୍ରୀ", "ପଟ୍ଟନାୟକ", "notosansoriya-regular"},
	{"tamil", "கொற்றவை", "முருகன்", "notosanstamil-regular"},
	{"telugu", "శ్రీనివాస్", "రెడ్డి", "notosanstelugu-regular"},
	{"kannada", "ಲಕ್ಷ್ಮಿ", "ಹೆಗ್ಡೆ", "notosanskannada-regular"},
	{"malayalam", "ലക്ഷ്മി", "നായർ", "notosansmalayalam-regular"},
	{"sinhala", "සඳුනි", "පෙරේරා", "notosanssinhala-regular"},
	{"thai", "สมชาย", "ใจดี", "notosansthai-regular"},
}

// TestNamesInEveryScript renders a sheet for each name and checks that
// pdftotext reads the name back as it was typed, that it is set in the
// font for its script and no other fallback, and that the name on the
// first page and in the running header of the second look as they did
// when a person last checked them (testdata/names/*.png; see
// checkRasterGolden).
//
// pdftotext prints a right-to-left run in logical order, between the
// embedding marks U+202B and U+202C, which pdfText drops.
func TestNamesInEveryScript(t *testing.T) {
	requireTools(t)
	for _, tc := range nameCases {
		t.Run(tc.file, func(t *testing.T) {
			in := sampleInput()
			in.Client.GivenName, in.Client.FamilyName = tc.given, tc.family
			plan := data.BuildAftercarePlan(in)
			b := render(t, plan)
			checkValid(t, b)
			savePages(t, "name-"+tc.file, b)
			name := norm.NFC.String(foldSpace(plan.ClientName))
			text := pdfText(t, b)
			if !strings.Contains(text, name) {
				t.Errorf("name %q not found in:\n%s", name, text)
			}
			if raw := pdfTextRaw(t, b); !strings.Contains(raw, "Aftercare plan for "+name) {
				t.Errorf("running header %q not found in:\n%s", "Aftercare plan for "+name, raw)
			}
			want := []string{"dejavusans", "dejavusans-bold"}
			if tc.font != "dejavusans" {
				want = append(want, tc.font)
			}
			slices.Sort(want)
			if got := fontNames(t, b); !slices.Equal(got, want) {
				t.Errorf("fonts %q, want %q", got, want)
			}
			if n := pageCount(t, b); n != 2 {
				t.Fatalf("%d pages, want 2 (the golden images show both)", n)
			}
			checkRasterGolden(t, "names/"+tc.file, nameRaster(t, b))
		})
	}
}

// fontNames are the PostScript names of the fonts pdffonts lists, without
// their subset tags, in lower case and in order, each once.
func fontNames(t testing.TB, pdf []byte) []string {
	t.Helper()
	out := strings.ToLower(run(t, "pdffonts", writeTemp(t, pdf)))
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^[a-z]{6}\+(\S+)`).FindAllStringSubmatch(out, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// nameRaster is the client's name as a person sees it: the title on the
// first page ("YOUR AFTERCARE PLAN" and the name) above the running header
// of the second ("Aftercare plan for" and the name), rendered by pdftoppm
// in grey at 100 dpi.
func nameRaster(t testing.TB, pdf []byte) *image.Gray {
	t.Helper()
	title := raster(t, pdf, 1, 15, 33, 180, 17)
	header := raster(t, pdf, 2, 15, 5, 180, 9)
	out := image.NewGray(image.Rect(0, 0, title.Bounds().Dx(), title.Bounds().Dy()+header.Bounds().Dy()))
	copy(out.Pix, title.Pix)
	copy(out.Pix[len(title.Pix):], header.Pix)
	return out
}

// TestRightToLeftNamesInOrder checks where the words of the running
// header "Aftercare plan for <name>" are drawn, as pdftotext -bbox finds
// them: the English words first, left to right, then the name with its
// first word rightmost, each word's letters from right to left.
func TestRightToLeftNamesInOrder(t *testing.T) {
	requireTools(t)
	for _, tc := range []struct{ given, family string }{
		{"محمد", "علي"}, {"שרה", "כהן"}, {"فاطمة", "الزهراء"},
	} {
		in := sampleInput()
		in.Client.GivenName, in.Client.FamilyName = tc.given, tc.family
		b := render(t, data.BuildAftercarePlan(in))
		words := bboxWords(t, b, 2)
		var header []string
		for _, w := range words {
			if w.yMin < 15*72/25.4 && w.xMin < 120*72/25.4 { // the running header's left part
				header = append(header, w.text)
			}
		}
		// Letters as laid out left to right: each word reversed.
		want := []string{"Aftercare", "plan", "for", reverse(tc.family), reverse(tc.given)}
		if !slices.Equal(header, want) {
			t.Errorf("%s %s: header words left to right %q, want %q", tc.given, tc.family, header, want)
		}
	}
}

type bboxWord struct {
	xMin, yMin float64
	text       string
}

// bboxWords are the words pdftotext -bbox finds on page, in order of
// their left edge.
func bboxWords(t testing.TB, pdf []byte, page int) []bboxWord {
	t.Helper()
	p := strconv.Itoa(page)
	out := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", "-f", p, "-l", p, writeTemp(t, pdf), "-")
	var words []bboxWord
	re := regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)"[^>]*>([^<]*)</word>`)
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		x, _ := strconv.ParseFloat(m[1], 64)
		y, _ := strconv.ParseFloat(m[2], 64)
		words = append(words, bboxWord{x, y, html.UnescapeString(m[3])})
	}
	slices.SortStableFunc(words, func(a, b bboxWord) int { return cmp.Compare(a.xMin, b.xMin) })
	return words
}

func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}
