package data

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// More fuzz targets: every parser and validator in data (the export
// writers' are in data/transfer). Their seeds are in
// testdata/fuzz/<FuzzName>.

// FuzzSettings tries the settings a clinic could save. Accepted settings
// format dates with a known layout and keep depth ranges within the
// needle's limits.
func FuzzSettings(f *testing.F) {
	f.Fuzz(func(t *testing.T, name, dateFormat, paper string, followUp int, lo, hi float64) {
		s := DefaultSettings()
		s.ClinicName, s.DateFormat, s.PaperSize, s.FollowUpDays = name, dateFormat, PaperSize(paper), followUp
		s.DepthRanges[AreaCheeks] = DepthRange{lo, hi}
		if err := s.Validate(); err != nil {
			mustNameField(t, err, "")
			return
		}
		if !knownDateFormat(dateFormat) || followUp < 7 || followUp > 365 || !(lo >= MinDepthMM && hi <= MaxDepthMM && lo <= hi) {
			t.Fatalf("accepted %q, %d days, %v to %v mm", dateFormat, followUp, lo, hi)
		}
		if got := s.FormatDate(today); got == "" || !utf8.ValidString(got) {
			t.Fatalf("FormatDate gave %q", got)
		}
	})
}

var knownPlaceholder = func() *regexp.Regexp {
	var names []string
	for k := range Placeholders {
		names = append(names, k)
	}
	return regexp.MustCompile(`\{(` + strings.Join(names, "|") + `)\}`)
}()

// FuzzAftercareTemplate: an owner's template text is either refused, with
// its field named, or fills into a plan with every placeholder replaced.
func FuzzAftercareTemplate(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string, window int) {
		s := DefaultSettings()
		s.ClinicName, s.Phone = "Lumen", "+44 20 7946 0958"
		w := Windows[uint(window)%uint(len(Windows))]
		s.Aftercare.Templates[w] = text
		if err := s.Aftercare.Validate(); err != nil {
			mustNameField(t, err, "template_"+string(w))
			return
		}
		plan := BuildAftercarePlan(AftercareInput{Session: validSession(), Client: validClient(), Settings: s,
			MadeAt: time.Date(2026, time.November, 22, 15, 4, 5, 0, time.UTC), Location: time.UTC})
		for _, pw := range plan.Windows {
			for _, para := range pw.Paragraphs {
				if m := knownPlaceholder.FindString(para); m != "" {
					t.Fatalf("%s left %s unfilled in %q", pw.Window, m, para)
				}
				if strings.TrimSpace(para) == "" || strings.Contains(para, "\n") {
					t.Fatalf("%s has a blank or broken paragraph %q", pw.Window, para)
				}
			}
		}
	})
}

// FuzzCheckPassword: an accepted password has 8 to 128 characters of
// valid text, not all spaces.
func FuzzCheckPassword(f *testing.F) {
	f.Fuzz(func(t *testing.T, pw string) {
		if CheckPassword(pw) != "" {
			return
		}
		n := utf8.RuneCountInString(pw)
		if !utf8.ValidString(pw) || n < MinPasswordLen || n > MaxPasswordLen || strings.TrimSpace(pw) == "" {
			t.Fatalf("accepted %q", pw)
		}
	})
}

// FuzzParsePHC reads stored password hashes. A damaged or planted hash
// must never make sign-in allocate gigabytes or run for hours, so what is
// accepted has bounded costs, and it reads back the same once written out
// again.
func FuzzParsePHC(f *testing.F) {
	f.Fuzz(func(t *testing.T, phc string) {
		p, salt, key, err := parsePHC(phc)
		if err != nil {
			return
		}
		if p.Time < 1 || p.Time > maxArgonTime || p.Threads < 1 || p.MemoryKiB < 8*uint32(p.Threads) ||
			p.MemoryKiB > maxArgonMemoryKiB || len(salt) < 8 || len(key) < 16 || len(key) > 128 {
			t.Fatalf("accepted %q with %+v, salt %d, key %d", phc, p, len(salt), len(key))
		}
		again := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.MemoryKiB, p.Time, p.Threads,
			base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
		p2, salt2, key2, err := parsePHC(again)
		if err != nil || p2 != p || !bytes.Equal(salt, salt2) || !bytes.Equal(key, key2) {
			t.Fatalf("%q read back as %+v (%v)", again, p2, err)
		}
	})
}

// FuzzPasswordRoundTrip hashes accepted passwords with cheap settings (the
// real ones take 19 MiB and tens of milliseconds each) and checks that
// exactly the same password verifies.
func FuzzPasswordRoundTrip(f *testing.F) {
	cheap := PasswordParams{MemoryKiB: 8, Time: 1, Threads: 1, SaltLen: 8, KeyLen: 16}
	f.Fuzz(func(t *testing.T, pw, other string) {
		h, err := hashPasswordWith(pw, cheap)
		if err != nil {
			if CheckPassword(pw) == "" {
				t.Fatalf("%q: %v", pw, err)
			}
			return
		}
		if ok, rehash, err := VerifyPassword(pw, h); !ok || !rehash || err != nil {
			t.Fatalf("%q does not verify against its own hash: %v %v %v", pw, ok, rehash, err)
		}
		if ok, _, _ := VerifyPassword(other, h); ok != (other == pw) {
			t.Fatalf("%q verified against the hash of %q", other, pw)
		}
	})
}

// FuzzFoldForSearch: folding keeps text valid, is stable when repeated
// (the stored names and the query are folded by the same function, once
// each), and lowers plain ASCII as strings.ToLower does.
func FuzzFoldForSearch(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		folded := FoldForSearch(s)
		if !utf8.ValidString(folded) {
			t.Fatalf("%q folded to invalid text %q", s, folded)
		}
		if again := FoldForSearch(folded); again != folded {
			t.Fatalf("%q folds to %q, then to %q", s, folded, again)
		}
		ascii := true
		for i := 0; i < len(s); i++ {
			ascii = ascii && s[i] < utf8.RuneSelf
		}
		if ascii && folded != strings.ToLower(s) {
			t.Fatalf("ASCII %q folded to %q", s, folded)
		}
	})
}

// FuzzAllergyClashes reads the free-text allergy field against a product's
// ingredients. It never panics and reports only real whole-word matches.
func FuzzAllergyClashes(f *testing.F) {
	f.Fuzz(func(t *testing.T, allergies, ingredient string) {
		c := validClient()
		c.Allergies = allergies
		recs := []Recommendation{{ProductID: 1, Product: Product{ID: 1, Name: "Serum", KeyIngredients: []string{ingredient}}}}
		for _, cl := range AllergyClashes(c, recs) {
			fa, fi := FoldForSearch(cl.Allergy), FoldForSearch(cl.Ingredient)
			if !strings.Contains(fi, fa) && !strings.Contains(fa, fi) {
				t.Fatalf("clash %+v without a match", cl)
			}
		}
	})
}

// FuzzSignInDelay: the wait never goes negative, never passes 15 minutes,
// and never shrinks as failures grow.
func FuzzSignInDelay(f *testing.F) {
	f.Fuzz(func(t *testing.T, failures int) {
		d := SignInDelay(failures)
		if d < 0 || d > maxSignInDelay {
			t.Fatalf("%d failures: wait %v", failures, d)
		}
		if failures < math.MaxInt && SignInDelay(failures+1) < d {
			t.Fatalf("the wait shrank after %d failures", failures)
		}
	})
}
