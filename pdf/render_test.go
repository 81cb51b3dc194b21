package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"needledesk/data"
)

var update = flag.Bool("update", false, "rewrite the golden SHA-256 files in testdata")

func TestSheetContents(t *testing.T) {
	requireTools(t)
	plan := samplePlan()
	b := render(t, plan)
	checkValid(t, b)
	savePages(t, "sample-a4", b)
	if n := pageCount(t, b); n != 2 {
		t.Errorf("sample sheet has %d pages, want 2", n)
	}
	if len(b) > 300<<10 {
		t.Errorf("sample sheet is %d bytes; fonts are not being subset?", len(b))
	}
	text := pdfText(t, b)
	want := []string{
		plan.ClientName, "Stillwater Skin Clinic", "0117 496 0321", "hello@stillwaterskin.example",
		"Tue 24/11/2026", "at 14:30", "Cheeks, Forehead, Under-eye", "Amira Haddad",
		plan.FormatDate(plan.NextDue), "call us on 0117 496 0321 to book it.", "UNTIL THE END OF",
		"Page 1 of 2", "Page 2 of 2", "Sheet made 24/11/2026, 15:05",
	}
	for _, w := range plan.Windows {
		want = append(want, w.Title, plan.FormatRange(w))
	}
	for _, a := range plan.Avoid {
		want = append(want, a.What, plan.FormatDay(a.Until))
	}
	if len(plan.AllergyWarnings) == 0 {
		t.Fatal("sample plan has no allergy warning; the test data changed")
	}
	want = append(want, plan.AllergyWarnings...)
	for _, w := range want {
		if !strings.Contains(text, foldSpace(w)) {
			t.Errorf("sheet lacks %q", w)
		}
	}
	// The two columns of the last block are read in reading order.
	mustContain(t, pdfTextRaw(t, b), plan.WhenToCall...)
	// Each product is printed with its own start date beside it.
	products := text[strings.Index(text, "Your product plan"):]
	for _, p := range plan.Products {
		text := products
		i := strings.Index(text, p.Name)
		if i < 0 {
			t.Errorf("sheet lacks product %q", p.Name)
			continue
		}
		near := text[max(0, i-60):i]
		if !strings.Contains(near, "Start on "+plan.FormatDay(p.StartOn)) {
			t.Errorf("product %q: start date %q not beside it: %q", p.Name, plan.FormatDay(p.StartOn), near)
		}
	}
	if t.Failed() {
		t.Logf("text:\n%s", text)
	}
}

// TestSheetPrintsNoNeedleDepths: the sheet names the areas treated and
// prints no needle depth (the chart keeps them); a session charted with
// other depths gives the same sheet, byte for byte.
func TestSheetPrintsNoNeedleDepths(t *testing.T) {
	requireTools(t)
	in := sampleInput()
	b := render(t, data.BuildAftercarePlan(in))
	for _, text := range []string{pdfText(t, b), pdfTextRaw(t, b)} {
		if m := regexp.MustCompile(`\d\s*mm\b|\bmm\b`).FindAllString(text, -1); m != nil {
			t.Errorf("the sheet prints %q", m)
		}
	}
	mustContain(t, pdfText(t, b), "AREAS TREATED", "Cheeks, Forehead, Under-eye")
	for i := range in.Session.Areas {
		in.Session.Areas[i].DepthMM += 0.25
	}
	if other := render(t, data.BuildAftercarePlan(in)); !bytes.Equal(b, other) {
		t.Error("the sheet changes with the needle depths")
	}
}

// TestNoOrphans checks the flow: no page ends with an item that should be
// kept with the next one (a heading, a window title, the top of a box).
func TestNoOrphans(t *testing.T) {
	lib, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	plans := map[string]data.AftercarePlan{"sample": samplePlan(), "long notes": longNotesPlan()}
	for _, paper := range []data.PaperSize{data.PaperA4, data.PaperLetter} {
		for name, plan := range plans {
			plan.PaperSize = paper
			s := newSheet(plan, lib, 210, 297)
			if paper == data.PaperLetter {
				s = newSheet(plan, lib, 215.9, 279.4)
			}
			s.build()
			pages := paginate(s.items, s.frame())
			for i, pg := range pages[:len(pages)-1] {
				if last := pg[len(pg)-1].it; last.keep {
					t.Errorf("%s, %s: page %d ends with an item kept with the next", name, paper, i+1)
				}
				for _, pl := range pg {
					if pl.y+pl.it.h > s.frame().bottom+1e-6 {
						t.Errorf("%s, %s: page %d: item runs into the footer", name, paper, i+1)
					}
				}
			}
		}
	}
}

func longNotesPlan() data.AftercarePlan {
	in := sampleInput()
	var b strings.Builder
	sentences := []string{
		"Your skin responded evenly across the cheeks and forehead today.",
		"Around the mouth it was a little more sensitive, so we kept the depth shallow there.",
		"If the redness lasts longer than usual, send us a photo and we will look at it together.",
		"Drink plenty of water this week and try to sleep on your back for the first two nights.",
		"We will look at the acne scarring on the left cheek again at your next visit.",
	}
	for i := 0; b.Len() < 2000; i++ {
		if i > 0 && i%6 == 0 {
			b.WriteString("\n\n")
		} else if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(sentences[i%len(sentences)])
	}
	in.PersonalNotes = b.String() + " The end of the note."
	return data.BuildAftercarePlan(in)
}

func TestLongNotesFlowOntoTheNextPage(t *testing.T) {
	requireTools(t)
	plan := longNotesPlan()
	if n := len([]rune(plan.PersonalNotes)); n < 2000 {
		t.Fatalf("note is %d characters", n)
	}
	b := render(t, plan)
	checkValid(t, b)
	savePages(t, "long-notes", b)
	text := pdfText(t, b)
	for _, w := range []string{"Notes from your technician", "The end of the note.", plan.FormatDate(plan.NextDue)} {
		if !strings.Contains(text, w) {
			t.Errorf("sheet lacks %q", w)
		}
	}
	if n := pageCount(t, b); n < 2 || n > 3 {
		t.Errorf("long notes: %d pages", n)
	}
}

func TestAwkwardInput(t *testing.T) {
	requireTools(t)
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	truncated := sampleLogo()
	truncated = truncated[:len(truncated)/2]
	cases := []struct {
		name   string
		change func(in *data.AftercareInput)
		check  func(t *testing.T, plan data.AftercarePlan, text string)
	}{
		{"no-products", func(in *data.AftercareInput) { in.Session.Recommendations = nil },
			func(t *testing.T, _ data.AftercarePlan, text string) {
				mustContain(t, text, "No products were recommended at this visit.")
			}},
		{"long-name", func(in *data.AftercareInput) {
			in.Client.GivenName = "Maximiliana Josephine Alexandra"
			in.Client.FamilyName = "Featherstonehaugh-Worthington"
		}, nil},
		{"long-unbroken-name", func(in *data.AftercareInput) {
			in.Client.GivenName = strings.Repeat("Wolfeschlegelsteinhausen", 2) + "bergerdorff"
		}, nil},
		{"no-logo", func(in *data.AftercareInput) { in.Settings.Logo = nil }, nil},
		{"corrupt-logo", func(in *data.AftercareInput) { in.Settings.Logo = junk }, nil},
		{"truncated-logo", func(in *data.AftercareInput) { in.Settings.Logo = truncated }, nil},
		{"png-magic-junk-logo", func(in *data.AftercareInput) {
			in.Settings.Logo = append([]byte("\x89PNG\r\n\x1a\n"), junk...)
		}, nil},
		{"jpeg-logo", func(in *data.AftercareInput) { in.Settings.Logo = jpegLogo(t, false) }, nil},
		{"cmyk-jpeg-logo", func(in *data.AftercareInput) { in.Settings.Logo = jpegLogo(t, true) }, nil},
		{"16-bit-png-logo", func(in *data.AftercareInput) { in.Settings.Logo = deepPNG(t) }, nil},
		{"letter", func(in *data.AftercareInput) { in.Settings.PaperSize = data.PaperLetter }, nil},
		{"unknown-paper", func(in *data.AftercareInput) { in.Settings.PaperSize = "A3" }, nil},
		{"us-dates", func(in *data.AftercareInput) { in.Settings.DateFormat = "01/02/2006" },
			func(t *testing.T, plan data.AftercarePlan, text string) {
				mustContain(t, text, "11/24/2026", "until the end of Fri Nov 27")
			}},
		{"no-clinic-details", func(in *data.AftercareInput) {
			in.Settings.ClinicName, in.Settings.Address, in.Settings.Phone = "", "", ""
			in.Settings.Email, in.Settings.Website, in.Settings.Logo = "", "", nil
		}, func(t *testing.T, _ data.AftercarePlan, text string) {
			mustContain(t, text, "Call the clinic if you notice:")
			if strings.Contains(text, "Call us on") {
				t.Error("the sheet asks to call a number the clinic has not given")
			}
		}},
		{"long-clinic-details", func(in *data.AftercareInput) {
			in.Settings.ClinicName = "The Harbourside Centre for Skin Health and Collagen Induction Therapy"
			in.Settings.Address = "Unit 4, The Old Sail Loft, 112-118 Harbourside Walk, Spike Island, Bristol BS1 5TY, United Kingdom"
			in.Settings.Website = "https://www.harbourside-skin-health-and-collagen-induction.example/aftercare"
			in.Settings.Email = "appointments.and.aftercare@harbourside-skin-health.example"
		}, nil},
		{"no-next-session", func(in *data.AftercareInput) { in.Session.NextDue = data.Date{} },
			func(t *testing.T, _ data.AftercarePlan, text string) {
				mustContain(t, text, "to be agreed with you", "due around the date we agree with you")
			}},
		{"next-appointment-booked", func(in *data.AftercareInput) {
			loc := in.Location
			if loc == nil {
				loc = time.Local
			}
			in.NextVisit, in.NextVisitWith = time.Date(2026, 12, 21, 14, 30, 0, 0, loc), "Priya Raman"
		}, func(t *testing.T, plan data.AftercarePlan, text string) {
			mustContain(t, text, "Mon 21/12/2026", "booked for 14:30 with Priya Raman",
				"Your next session is booked for Mon 21 Dec at 14:30 with Priya Raman", "If you need to move it")
			for _, contradiction := range []string{"to book it", "due around", "call us to book", plan.FormatDate(plan.NextDue)} {
				if strings.Contains(text, contradiction) {
					t.Errorf("with a visit booked the sheet still says %q", contradiction)
				}
			}
		}},
		{"odd-characters", func(in *data.AftercareInput) {
			in.Client.GivenName = "Zo\u0065\u0308 \u200bTab\tLine\nBreak 😀 \x01"
			in.PersonalNotes = "Emoji 🙂 and a bell \a and Arabic مرحبا and Hangul 김민지."
		}, nil},
		{"many-products", func(in *data.AftercareInput) {
			recs := in.Session.Recommendations
			for i := 0; i < 3; i++ {
				in.Session.Recommendations = append(in.Session.Recommendations, recs...)
			}
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := sampleInput()
			tc.change(&in)
			plan := data.BuildAftercarePlan(in)
			b := render(t, plan)
			checkValid(t, b)
			savePages(t, "awkward-"+tc.name, b)
			text := pdfText(t, b)
			name := foldSpace(cleanLine(plan.ClientName))
			if !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(name, " ", "")) {
				t.Errorf("name %q not found in:\n%s", name, text)
			}
			if tc.check != nil {
				// Reading order, so that the side-by-side columns of the
				// last block do not interleave.
				tc.check(t, plan, pdfTextRaw(t, b))
			}
		})
	}
}

func TestPaperSize(t *testing.T) {
	requireTools(t)
	for _, tc := range []struct {
		paper data.PaperSize
		want  string
	}{{data.PaperA4, "595.28 x 841.89 pts (A4)"}, {data.PaperLetter, "612 x 792 pts (letter)"}, {"Tabloid", "(A4)"}} {
		in := sampleInput()
		in.Settings.PaperSize = tc.paper
		b := render(t, data.BuildAftercarePlan(in))
		info := run(t, "pdfinfo", writeTemp(t, b))
		if !strings.Contains(info, tc.want) {
			t.Errorf("%s: pdfinfo says\n%s\nwant page size %q", tc.paper, info, tc.want)
		}
		if tc.paper == data.PaperLetter {
			savePages(t, "sample-letter", b)
			if n := pageCount(t, b); n > 2 {
				t.Errorf("letter: %d pages", n)
			}
		}
	}
}

func TestLogoIsLeftOutWhenUnreadable(t *testing.T) {
	for name, logo := range map[string][]byte{
		"nil": nil, "empty": {}, "text": []byte("not an image"),
		"gif":           []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
		"truncated png": sampleLogo()[:100],
	} {
		if _, ok := prepareLogo(logo); ok {
			t.Errorf("%s: accepted as a logo", name)
		}
	}
	for name, logo := range map[string][]byte{"png": sampleLogo(), "jpeg": jpegLogo(t, false), "16-bit png": deepPNG(t)} {
		img, ok := prepareLogo(logo)
		if !ok || img.w == 0 || !plainOrJPEG(img) {
			t.Errorf("%s: not accepted as a plain logo (%v, %+v)", name, ok, img.kind)
		}
	}
}

func plainOrJPEG(img logoImage) bool { return img.kind == "JPG" || plainPNG(img.data) }

func mustContain(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, foldSpace(w)) {
			t.Errorf("sheet lacks %q", w)
		}
	}
}

func jpegLogo(t testing.TB, cmyk bool) []byte {
	var img image.Image
	if cmyk {
		c := image.NewCMYK(image.Rect(0, 0, 120, 60))
		for i := range c.Pix {
			c.Pix[i] = byte(i * 7)
		}
		img = c
	} else {
		c := image.NewRGBA(image.Rect(0, 0, 120, 60))
		for y := 0; y < 60; y++ {
			for x := 0; x < 120; x++ {
				c.Set(x, y, color.RGBA{33, uint8(100 + x/2), 112, 255})
			}
		}
		img = c
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deepPNG is a 16-bit-per-channel PNG, which gofpdf cannot embed as is.
func deepPNG(t testing.TB) []byte {
	img := image.NewNRGBA64(image.Rect(0, 0, 80, 40))
	for y := 0; y < 40; y++ {
		for x := 0; x < 80; x++ {
			img.Set(x, y, color.NRGBA64{0x2100, uint16(x * 800), 0x7000, 0xFFFF})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriterErrorIsReturned(t *testing.T) {
	err := RenderAftercare(failingWriter{}, samplePlan())
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("RenderAftercare to a failing writer: %v, want an error wrapping %v", err, errDiskFull)
	}
}

func TestZeroPlanDoesNotPanic(t *testing.T) {
	requireTools(t)
	var buf bytes.Buffer
	if err := RenderAftercare(&buf, data.AftercarePlan{}); err != nil {
		t.Fatalf("zero plan: %v", err)
	}
	checkValid(t, buf.Bytes())
}

func TestDeterministic(t *testing.T) {
	plan := samplePlan()
	a, b := render(t, plan), render(t, plan)
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same plan differ")
	}
	for name, plan := range map[string]data.AftercarePlan{
		"sample": plan, "chinese": cjkPlan(), "arabic": arabicPlan(), "devanagari": devanagariPlan(),
	} {
		checkGolden(t, "aftercare-"+name, render(t, plan))
	}
}

func cjkPlan() data.AftercarePlan {
	in := sampleInput()
	in.Client.GivenName, in.Client.FamilyName = "芳", "王"
	return data.BuildAftercarePlan(in)
}

// arabicPlan has a right-to-left name, also in the notes after English.
func arabicPlan() data.AftercarePlan {
	in := sampleInput()
	in.Client.GivenName, in.Client.FamilyName = "محمد", "علي"
	in.PersonalNotes = "See you soon, محمد. Keep to the gentle routine for the full week."
	return data.BuildAftercarePlan(in)
}

func devanagariPlan() data.AftercarePlan {
	in := sampleInput()
	in.Client.GivenName, in.Client.FamilyName = "प्रिया", "शर्मा"
	return data.BuildAftercarePlan(in)
}

// checkGolden compares the SHA-256 of pdf with testdata/name.sha256; run
// go test -update to accept a new rendering after looking at it.
func checkGolden(t *testing.T, name string, pdf []byte) {
	t.Helper()
	sum := sha256.Sum256(pdf)
	got := hex.EncodeToString(sum[:])
	path := filepath.Join("testdata", name+".sha256")
	if *update {
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pdf -run TestDeterministic -update to create it)", err)
	}
	if strings.TrimSpace(string(want)) != got {
		dir := artefactDir(t)
		os.WriteFile(filepath.Join(dir, name+"-changed.pdf"), pdf, 0o644)
		t.Errorf("%s: rendering changed (SHA-256 %s, golden %s); the new PDF is in %s. "+
			"If it is right, run go test ./pdf -run TestDeterministic -update", name, got, strings.TrimSpace(string(want)), dir)
	}
}

// TestConcurrentRenders renders different sheets at once (the fonts and
// the logo cache are shared) and checks each matches a render made alone.
// Run with -race.
func TestConcurrentRenders(t *testing.T) {
	plans := []data.AftercarePlan{samplePlan(), cjkPlan(), longNotesPlan(), arabicPlan(), devanagariPlan()}
	want := make([][]byte, len(plans))
	for i, p := range plans {
		want[i] = render(t, p)
	}
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			i := g % len(plans)
			var buf bytes.Buffer
			if err := RenderAftercare(&buf, plans[i]); err != nil {
				t.Error(err)
				return
			}
			if !bytes.Equal(buf.Bytes(), want[i]) {
				t.Errorf("plan %d rendered concurrently differs", i)
			}
		}()
	}
	wg.Wait()
}

// TestFontsAreSubset: a Latin sheet embeds only DejaVu, a CJK or Arabic
// sheet adds its fallback, and all stay small.
func TestFontsAreSubset(t *testing.T) {
	requireTools(t)
	for name, tc := range map[string]struct {
		plan     data.AftercarePlan
		fallback string
	}{"latin": {samplePlan(), ""}, "chinese": {cjkPlan(), "droidsansfallback"}, "arabic": {arabicPlan(), "notosansarabic"}} {
		b := render(t, tc.plan)
		fonts := strings.ToLower(run(t, "pdffonts", writeTemp(t, b)))
		for _, f := range []string{"droidsansfallback", "notosansarabic"} {
			if got := strings.Contains(fonts, f); got != (f == tc.fallback) {
				t.Errorf("%s: %s embedded = %v:\n%s", name, f, got, fonts)
			}
		}
		// Regular and bold DejaVu Sans, and the fallback if needed, each
		// a subset ("ABCDEF+" before its name).
		if n := len(regexp.MustCompile(`(?m)^[a-z]{6}\+\S+ +truetype +custom +yes +yes `).FindAllString(fonts, -1)); n != 2+btoi(tc.fallback != "") {
			t.Errorf("%s: %d embedded subset fonts:\n%s", name, n, fonts)
		}
		if len(b) > 300<<10 {
			t.Errorf("%s: %d bytes", name, len(b))
		}
		t.Logf("%s sheet: %d bytes", name, len(b))
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
