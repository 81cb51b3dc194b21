package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// Sample data for the tests: a clinic, a client and a session on fixed dates.

var (
	treatedAt = time.Date(2026, time.November, 24, 14, 30, 0, 0, time.UTC)
	madeAt    = time.Date(2026, time.November, 24, 15, 5, 0, 0, time.UTC)
)

func sampleSettings() data.Settings {
	s := data.DefaultSettings()
	s.ClinicName = "Stillwater Skin Clinic"
	s.Address = "14 Harbour Lane\nBristol BS1 4QA"
	s.Phone = "0117 496 0321"
	s.Email = "hello@stillwaterskin.example"
	s.Website = "stillwaterskin.example"
	s.Logo = sampleLogo()
	return s
}

func sampleProducts() []data.Recommendation {
	return []data.Recommendation{
		{ProductID: 1, StartDay: 1, Product: data.Product{ID: 1, Name: "Aqua Veil Hyaluronic Serum", Brand: "Lumen Labs",
			Category: data.CategoryHydrating, HowToUse: "Two or three drops on clean, damp skin morning and evening, before your moisturiser.",
			KeyIngredients: []string{"hyaluronic acid"}}},
		{ProductID: 2, StartDay: 3, Product: data.Product{ID: 2, Name: "Daily Mineral Shield SPF 50", Brand: "Coastline",
			Category: data.CategorySunscreen, HowToUse: "Apply generously as the last step every morning and reapply every two hours outdoors.",
			KeyIngredients: []string{"zinc oxide"}}},
		{ProductID: 3, StartDay: 7, Product: data.Product{ID: 3, Name: "Renew Peptide Night Cream", Brand: "Lumen Labs",
			Category: data.CategoryPeptide, HowToUse: "A pea-sized amount over the face and neck in the evening.",
			KeyIngredients: []string{"palmitoyl tripeptide", "Vitamin E (tocopherol)"}}},
		{ProductID: 4, StartDay: 7, Product: data.Product{ID: 4, Name: "Bright C 15% Serum", Brand: "Solis",
			Category: data.CategoryVitaminC, HowToUse: "Four drops in the morning under sunscreen. Start every other day for the first week.",
			KeyIngredients: []string{"ascorbic acid"}}},
	}
}

func sampleInput() data.AftercareInput {
	st := sampleSettings()
	return data.AftercareInput{
		Session: data.Session{
			ID: 7, ClientID: 3, StartedAt: treatedAt,
			Areas: []data.AreaTreatment{
				{Area: data.AreaCheeks, DepthMM: 0.75}, {Area: data.AreaForehead, DepthMM: 0.5},
				{Area: data.AreaUnderEye, DepthMM: 0.25},
			},
			NextDue:         data.DefaultNextDue(treatedAt, st),
			Recommendations: sampleProducts(),
			TechnicianName:  "Amira Haddad",
		},
		Client:   data.Client{ID: 3, GivenName: "Zoë", FamilyName: "O'Brien", Allergies: "vitamin E"},
		Settings: st,
		PersonalNotes: "Your skin took the treatment really well today. The cheeks were a little more " +
			"reactive than last time, so keep to the gentle routine for the full week.\n\nBring your " +
			"sunscreen next time so we can check it together.",
		MadeAt:   madeAt,
		Location: time.UTC,
	}
}

func samplePlan() data.AftercarePlan { return data.BuildAftercarePlan(sampleInput()) }

// sampleLogo is a small teal mark with a transparent background, built in
// code so the tests need no binary fixtures.
func sampleLogo() []byte {
	const n = 96
	img := image.NewNRGBA(image.Rect(0, 0, 2*n, n))
	for y := 0; y < n; y++ {
		for x := 0; x < 2*n; x++ {
			dx, dy := float64(x-n/2), float64(y-n/2)
			d := math.Hypot(dx, dy)
			switch {
			case d < n/2-2 && d > n/2-12:
				img.Set(x, y, color.NRGBA{33, 115, 112, 255})
			case d <= n/2-12 && math.Abs(dx) < 6:
				img.Set(x, y, color.NRGBA{120, 190, 184, 255})
			case x > n+4 && y > n/3 && y < 2*n/3 && (x/8)%2 == 0:
				img.Set(x, y, color.NRGBA{33, 115, 112, 200})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Tools from poppler-utils and qpdf read the sheets back.

func requireTools(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdffonts", "pdftoppm", "pdfinfo", "qpdf"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found (Debian packages poppler-utils and qpdf): run make test-deps", tool)
		}
	}
}

func render(t testing.TB, plan data.AftercarePlan) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderAftercare(&buf, plan); err != nil {
		t.Fatalf("RenderAftercare: %v", err)
	}
	return buf.Bytes()
}

func writeTemp(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// pdfText is the sheet's text as pdftotext -layout reads it, with every run
// of white space (including line ends) folded to one space and the
// embedding marks dropped.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", writeTemp(t, pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return foldSpace(embeddings.Replace(string(out)))
}

// pdfTextRaw is pdftotext in reading order (columns one after the other).
func pdfTextRaw(t testing.TB, pdf []byte) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", writeTemp(t, pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return foldSpace(embeddings.Replace(string(out)))
}

var spaces = regexp.MustCompile(`\s+`)

func foldSpace(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// embeddings are the marks pdftotext puts around a right-to-left run
// (U+202B before, U+202C after; U+202A for a left-to-right one), which it
// prints in logical order.
var embeddings = strings.NewReplacer("\u202a", "", "\u202b", "", "\u202c", "")

// checkValid runs qpdf --check and pdffonts and fails unless the file is
// sound and every font is embedded.
func checkValid(t testing.TB, pdf []byte) {
	t.Helper()
	path := writeTemp(t, pdf)
	out := run(t, "qpdf", "--check", path)
	if !strings.Contains(out, "No syntax or stream encoding errors found") {
		t.Errorf("qpdf --check:\n%s", out)
	}
	fonts := run(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(fonts), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no fonts:\n%s", fonts)
	}
	for _, l := range lines[2:] {
		// name type encoding emb sub uni object ID: emb is the fourth
		// column from the end.
		f := strings.Fields(l)
		if len(f) < 6 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %q\n%s", l, fonts)
		}
	}
}

func pageCount(t testing.TB, pdf []byte) int {
	t.Helper()
	out := run(t, "pdfinfo", writeTemp(t, pdf))
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: no page count:\n%s", out)
	}
	n := 0
	for _, c := range m[1] {
		n = n*10 + int(c-'0')
	}
	return n
}

// artefactDir is where rendered pages go for a person to look at:
// $NEEDLEDESK_ARTEFACTS, or testdata/artefacts (git-ignored).
func artefactDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("NEEDLEDESK_ARTEFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artefacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// savePages writes the PDF and one PNG per page (80 dpi) named after name.
func savePages(t testing.TB, name string, pdf []byte) {
	t.Helper()
	dir := artefactDir(t)
	path := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(dir, name+"-*.png"))
	for _, o := range old {
		os.Remove(o)
	}
	run(t, "pdftoppm", "-png", "-r", "80", path, filepath.Join(dir, name))
}

// raster renders the part of page that starts x, y mm from its top left
// corner and is w by h mm, in grey at 100 dpi, with pdftoppm.
func raster(t testing.TB, pdf []byte, page int, x, y, w, h float64) *image.Gray {
	t.Helper()
	const dpi = 100
	px := func(mm float64) string { return strconv.Itoa(int(math.Round(mm / 25.4 * dpi))) }
	path := writeTemp(t, pdf)
	out := filepath.Join(filepath.Dir(path), "raster")
	p := strconv.Itoa(page)
	run(t, "pdftoppm", "-png", "-gray", "-singlefile", "-r", strconv.Itoa(dpi), "-f", p, "-l", p,
		"-x", px(x), "-y", px(y), "-W", px(w), "-H", px(h), path, out)
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		g = image.NewGray(img.Bounds())
		draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	}
	return g
}

// checkRasterGolden compares img with testdata/name.png: they must be the
// same size and differ in at most 2 pixels by more than an eighth of the
// grey scale (room for a rasteriser's rounding, not for a missing dot: a
// Hebrew point is a dozen pixels).
// On a difference the image and a map of the differing pixels go to the
// artefacts folder. Run go test -update to accept new images, after
// looking at them: the goldens are for people to check too.
func checkRasterGolden(t *testing.T, name string, img *image.Gray) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pdf -run %s -update to create it, then look at it)", err, t.Name())
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	dir := artefactDir(t)
	base := filepath.Join(dir, strings.ReplaceAll(name, "/", "-"))
	if want.Bounds().Size() != img.Bounds().Size() {
		os.WriteFile(base+"-got.png", buf.Bytes(), 0o644)
		t.Fatalf("%s: rendered %v, golden %v; the new image is in %s", name, img.Bounds().Size(), want.Bounds().Size(), dir)
	}
	diff := image.NewGray(img.Bounds())
	bad := 0
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			a := int(img.GrayAt(x, y).Y)
			r, _, _, _ := want.At(want.Bounds().Min.X+x, want.Bounds().Min.Y+y).RGBA()
			d := a - int(r>>8)
			if d < 0 {
				d = -d
			}
			diff.SetGray(x, y, color.Gray{Y: uint8(255 - d)})
			if d > 32 {
				bad++
			}
		}
	}
	if bad > 2 {
		os.WriteFile(base+"-got.png", buf.Bytes(), 0o644)
		var d bytes.Buffer
		png.Encode(&d, diff)
		os.WriteFile(base+"-diff.png", d.Bytes(), 0o644)
		t.Errorf("%s: %d pixels differ from the golden; the new image and the difference are in %s. "+
			"If the new one is right, run go test ./pdf -run %s -update", name, bad, dir, t.Name())
	}
}
