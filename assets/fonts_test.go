package assets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// fontFiles are the embedded fonts by file name.
var fontFiles = map[string][]byte{
	"DejaVuSans.ttf":                 DejaVuSans,
	"DejaVuSans-Bold.ttf":            DejaVuSansBold,
	"DroidSansFallbackFull.ttf":      DroidSansFallback,
	"NanumSquareR.ttf":               NanumSquare,
	"NotoSansArabic-Regular.ttf":     NotoSansArabic,
	"NotoSansHebrew-Regular.ttf":     NotoSansHebrew,
	"NotoSansDevanagari-Regular.ttf": NotoSansDevanagari,
	"NotoSansBengali-Regular.ttf":    NotoSansBengali,
	"NotoSansGurmukhi-Regular.ttf":   NotoSansGurmukhi,
	"NotoSansGujarati-Regular.ttf":   NotoSansGujarati,
	"NotoSansOriya-Regular.ttf":      NotoSansOriya,
	"NotoSansTamil-Regular.ttf":      NotoSansTamil,
	"NotoSansTelugu-Regular.ttf":     NotoSansTelugu,
	"NotoSansKannada-Regular.ttf":    NotoSansKannada,
	"NotoSansMalayalam-Regular.ttf":  NotoSansMalayalam,
	"NotoSansSinhala-Regular.ttf":    NotoSansSinhala,
	"NotoSansThai-Regular.ttf":       NotoSansThai,
}

// TestFontsAreListed: every font in fonts/ is embedded, is TrueType (the
// pdf package and gofpdf take no other kind), has a licence file beside it
// and is listed in README.md with the SHA-256 of the file as copied.
func TestFontsAreListed(t *testing.T) {
	files, err := filepath.Glob("fonts/*.ttf")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(fontFiles) {
		t.Errorf("fonts/ holds %d fonts, %d are embedded", len(files), len(fontFiles))
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range fontFiles {
		if !bytes.HasPrefix(data, []byte{0, 1, 0, 0}) {
			t.Errorf("%s is not a TrueType font", name)
		}
		sum := sha256.Sum256(data)
		if !regexp.MustCompile(hex.EncodeToString(sum[:]) + `  ` + regexp.QuoteMeta(name)).Match(readme) {
			t.Errorf("README.md does not list %s with its SHA-256", name)
		}
	}
	for _, lic := range []string{"LICENSE-DejaVu.txt", "LICENSE-DroidSansFallback.txt", "LICENSE-Noto.txt", "LICENSE-Nanum.txt"} {
		if b, err := os.ReadFile(filepath.Join("fonts", lic)); err != nil || len(b) < 1000 {
			t.Errorf("licence %s: %v (%d bytes)", lic, err, len(b))
		}
	}
}
