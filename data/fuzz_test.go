package data

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The fuzz targets check that validators never panic and that whatever they
// accept really has the shape they promise. Seeds live in testdata/fuzz and
// in f.Add calls; `go test` runs them all, `go test -fuzz=FuzzX` explores.

func FuzzClientName(f *testing.F) {
	for _, s := range []string{"Zoë", "Łukasz", "O'Brien", "José-María", "王芳", "", " ", "a\x00b", "\xff", "Robert'); DROP TABLE clients;--"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		c := validClient()
		c.GivenName = name
		err := c.Validate(today)
		if err != nil {
			mustNameField(t, err, "given_name")
			return
		}
		if !utf8.ValidString(name) || strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > maxNameLen {
			t.Fatalf("accepted %q", name)
		}
		for _, r := range name {
			if unicode.IsControl(r) || unicode.IsDigit(r) {
				t.Fatalf("accepted %q with %q", name, r)
			}
		}
	})
}

func FuzzCheckPhone(f *testing.F) {
	for _, s := range []string{"+44 20 7946 0958", "(555) 010-9999", "+", "12345", "+1 800 FLOWERS", "++44", "0044 20 7946 0958"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckPhone(s) != "" || s == "" {
			return
		}
		if n := len(PhoneDigits(s)); n < 6 || n > 15 {
			t.Fatalf("accepted %q with %d digits", s, n)
		}
		if strings.LastIndex(s, "+") > 0 {
			t.Fatalf("accepted %q with + inside", s)
		}
	})
}

func FuzzCheckEmail(f *testing.F) {
	for _, s := range []string{"zoe@example.com", "a@b", "@example.com", "zoe@@example.com", "\"a b\"@example.com", "zoë@exämple.de", "a@b..c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckEmail(s) != "" || s == "" {
			return
		}
		at := strings.LastIndexByte(s, '@')
		if at < 1 || !strings.Contains(s[at:], ".") || strings.ContainsAny(s, " \t\r\n") || !utf8.ValidString(s) {
			t.Fatalf("accepted %q", s)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-22", "2024-02-29", "2023-02-29", "22/11/2026", "", "0000-00-00", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("%q: error %v is not ErrInvalid", s, err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("%q read back as %q", s, d)
		}
	})
}

func FuzzSessionDepth(f *testing.F) {
	for _, v := range []float64{0.1, 0.25, 3.0, 3.0001, 0.0999, -1, 0} {
		f.Add(v, "cheeks")
	}
	f.Fuzz(func(t *testing.T, depth float64, area string) {
		s := validSession()
		s.Areas = []AreaTreatment{{Area(area), depth}}
		err := s.Validate()
		if err == nil && (depth < MinDepthMM || depth > MaxDepthMM || !knownArea(Area(area))) {
			t.Fatalf("accepted %v mm on %q", depth, area)
		}
		if err != nil {
			mustNameField(t, err, "")
		}
		_ = s.DepthWarnings(DefaultSettings())
	})
}

func FuzzFreeText(f *testing.F) {
	for _, s := range []string{"ok", "line\nbreak", "tab\there", "\x1b[31m", "\u2028", strings.Repeat("x", 20001)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Product{Name: "Serum", Category: CategoryPeptide, HowToUse: s, KeyIngredients: []string{"Peptide"}}
		if err := p.Validate(); err == nil && !utf8.ValidString(s) {
			t.Fatalf("accepted invalid UTF-8 %q", s)
		}
		st := Staff{Name: s, Role: RoleOwner}
		if err := st.Validate(); err == nil && strings.TrimSpace(s) == "" {
			t.Fatal("accepted a blank staff name")
		}
		set := DefaultSettings()
		set.ClinicName, set.Website = "Lumen", s
		_ = set.Validate()
	})
}

func mustNameField(t *testing.T, err error, field string) {
	t.Helper()
	ps := FieldProblems(err)
	if len(ps) == 0 {
		t.Fatalf("error %v is not a validation error", err)
	}
	for _, p := range ps {
		if p.Field == "" || p.Message == "" {
			t.Fatalf("problem without field or message: %+v", p)
		}
		if field != "" && p.Field == field {
			return
		}
	}
	if field != "" {
		t.Fatalf("no problem names %s: %v", field, err)
	}
}
