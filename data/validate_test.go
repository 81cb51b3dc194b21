package data

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var today = NewDate(2026, time.November, 22)

func validClient() Client {
	return Client{
		GivenName:   "Zoë",
		FamilyName:  "O'Brien",
		DateOfBirth: NewDate(1990, time.March, 14),
		Phone:       "+44 20 7946 0958",
		Email:       "zoe@example.com",
	}
}

func TestClientValidateAcceptsNamesAsTyped(t *testing.T) {
	names := [][2]string{{"Zoë", "Smith"}, {"Łukasz", "Wiśniewski"}, {"Seán", "O'Brien"},
		{"José-María", "García"}, {"芳", "王"}, {"Thị Lan", "Nguyễn"}, {"प्रिया", "शर्मा"}, {"Anne", "O’Neill"}}
	for _, n := range names {
		c := validClient()
		c.GivenName, c.FamilyName = n[0], n[1]
		if err := c.Validate(today); err != nil {
			t.Errorf("%s %s refused: %v", n[0], n[1], err)
		}
	}
}

func TestClientValidateNamesEachProblem(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Client)
		field string
		want  string
	}{
		{"missing given name", func(c *Client) { c.GivenName = "  " }, "given_name", "required"},
		{"digits in name", func(c *Client) { c.FamilyName = "Smith2" }, "family_name", "only letters"},
		{"markup in name", func(c *Client) { c.GivenName = "<b>Ann</b>" }, "given_name", "only letters"},
		{"control char", func(c *Client) { c.GivenName = "An\x00n" }, "given_name", "control"},
		{"invalid utf-8", func(c *Client) { c.FamilyName = "Sm\xffith" }, "family_name", "not valid text"},
		{"long name", func(c *Client) { c.GivenName = strings.Repeat("a", 101) }, "given_name", "too long"},
		{"birth in future", func(c *Client) { c.DateOfBirth = today.AddDays(1) }, "date_of_birth", "future"},
		{"too old", func(c *Client) { c.DateOfBirth = NewDate(1900, 1, 1) }, "date_of_birth", "older than 120"},
		{"no birth date", func(c *Client) { c.DateOfBirth = Date{} }, "date_of_birth", "required"},
		{"impossible date", func(c *Client) { c.DateOfBirth = NewDate(2023, 2, 29) }, "date_of_birth", "real calendar date"},
		{"bad email", func(c *Client) { c.Email = "zoe@" }, "email", "not an e-mail"},
		{"email with name", func(c *Client) { c.Email = "Zoe <zoe@example.com>" }, "email", "not an e-mail"},
		{"phone letters", func(c *Client) { c.Phone = "call me" }, "phone", "digits"},
		{"phone short", func(c *Client) { c.Phone = "+44 12" }, "phone", "6 to 15"},
		{"no contact", func(c *Client) { c.Phone, c.Email = "", "" }, "phone", "reach the client"},
		{"reminders without e-mail", func(c *Client) { c.Email, c.EmailReminders = "", true }, "email_reminders", "e-mail address"},
		{"skin type", func(c *Client) { c.SkinType = 7 }, "skin_type", "I to VI"},
		{"unknown concern", func(c *Client) { c.Concerns = []Concern{"warts"} }, "concerns", "not a known"},
		{"consent without version", func(c *Client) { c.Consent.SignedOn = today }, "consent_form_version", "which version"},
		{"notes control", func(c *Client) { c.Notes = "ok\x1b[31m" }, "notes", "control"},
		{"isotretinoin future", func(c *Client) {
			c.Contra.Isotretinoin, c.Contra.IsotretinoinStopped = true, today.AddDays(3)
		}, "isotretinoin_stopped", "future"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := validClient()
			tc.edit(&c)
			err := c.Validate(today)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want a validation error", err)
			}
			var ve *ValidationError
			errors.As(err, &ve)
			if msg := ve.For(tc.field); !strings.Contains(msg, tc.want) {
				t.Fatalf("%s: got %q, want it to mention %q (all: %v)", tc.field, msg, tc.want, err)
			}
		})
	}
}

func TestNotesKeepLineBreaksAndLength(t *testing.T) {
	c := validClient()
	c.Notes = strings.Repeat("line one\r\n\ttwo; DROP TABLE clients;--\n", 250)
	if err := c.Validate(today); err != nil {
		t.Fatal(err)
	}
}

func validSession() Session {
	return Session{
		ClientID: 1, TechnicianID: 2,
		StartedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
		Areas:     []AreaTreatment{{AreaCheeks, 0.75}, {AreaUnderEye, 0.25}},
		Passes:    3,
		NextDue:   NewDate(2026, 12, 18),
	}
}

func TestSessionValidate(t *testing.T) {
	if err := validSession().Validate(); err != nil {
		t.Fatalf("valid session refused: %v", err)
	}
	cases := []struct {
		edit  func(*Session)
		field string
		want  string
	}{
		{func(s *Session) { s.Areas = nil }, "areas", "at least one"},
		{func(s *Session) { s.Areas[0].DepthMM = 3.5 }, "depth_cheeks", "between 0.1 and 3.0"},
		{func(s *Session) { s.Areas[1].DepthMM = 0.05 }, "depth_under_eye", "between 0.1 and 3.0"},
		{func(s *Session) { s.Areas[1].Area = AreaCheeks }, "areas", "twice"},
		{func(s *Session) { s.ClientID = 0 }, "client", "choose the client"},
		{func(s *Session) { s.NextDue = NewDate(2026, 11, 20) }, "next_due", "after the treatment day"},
		{func(s *Session) { s.Warnings = []string{"Pregnant"} }, "override_reason", "why"},
		{func(s *Session) { s.NumbingMinutes = 20 }, "numbing_agent", "which numbing"},
		{func(s *Session) { s.Passes = 40 }, "passes", "between 0 and 20"},
		{func(s *Session) {
			s.Recommendations = []Recommendation{{ProductID: 1, StartDay: 7}, {ProductID: 1, StartDay: 3}}
		}, "recommendations", "twice"},
	}
	for _, tc := range cases {
		s := validSession()
		tc.edit(&s)
		var ve *ValidationError
		if err := s.Validate(); !errors.As(err, &ve) || !strings.Contains(ve.For(tc.field), tc.want) {
			t.Errorf("%s: got %v, want a message containing %q", tc.field, err, tc.want)
		}
	}
}

func TestDepthWarningsOutsideAreaRange(t *testing.T) {
	s := validSession()
	s.Areas = []AreaTreatment{{AreaUnderEye, 0.5}, {AreaCheeks, 1.0}}
	w := s.DepthWarnings(DefaultSettings())
	if len(w) != 1 || w[0].Field != "depth_under_eye" || !strings.Contains(w[0].Message, "0.2 to 0.3") {
		t.Fatalf("got %+v, want one under-eye warning naming the range", w)
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("an out-of-range depth must warn, not block: %v", err)
	}
}

func TestContraindicationWarnings(t *testing.T) {
	c := validClient()
	if w := ContraindicationWarnings(c, today, DefaultSettings()); len(w) != 0 {
		t.Fatalf("no answers ticked, got %v", w)
	}
	c.Contra.Isotretinoin = true
	c.Contra.IsotretinoinStopped = today.AddMonths(-2)
	if w := ContraindicationWarnings(c, today, DefaultSettings()); len(w) != 1 || !strings.Contains(w[0], "Isotretinoin") {
		t.Fatalf("stopped 2 months ago: got %v", w)
	}
	c.Contra.IsotretinoinStopped = today.AddMonths(-7)
	if w := ContraindicationWarnings(c, today, DefaultSettings()); len(w) != 0 {
		t.Fatalf("stopped 7 months ago: got %v", w)
	}
	c.Contra.PregnantOrNursing, c.Contra.KeloidTendency = true, true
	if w := ContraindicationWarnings(c, today, DefaultSettings()); len(w) != 2 {
		t.Fatalf("two answers ticked, got %v", w)
	}
}

func TestProductStaffSettingsValidate(t *testing.T) {
	if err := (Product{Name: "Serum", Category: CategoryVitaminC, DefaultStartDay: 7}).Validate(); err != nil {
		t.Fatal(err)
	}
	var ve *ValidationError
	if err := (Product{Name: "", Category: "soap", DefaultStartDay: -1}).Validate(); !errors.As(err, &ve) ||
		ve.For("name") == "" || ve.For("category") == "" || ve.For("default_start_day") == "" {
		t.Fatalf("got %v, want name, category and start day problems", err)
	}
	if err := (Staff{Name: "Priya Raman", Role: RoleTechnician}).Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (Staff{Name: "Priya", Role: "boss"}).Validate(); !errors.As(err, &ve) || ve.For("role") == "" {
		t.Fatalf("got %v, want a role problem", err)
	}
	s := DefaultSettings()
	if err := s.Validate(); !errors.As(err, &ve) || ve.For("clinic_name") == "" {
		t.Fatalf("got %v, want the clinic name required", err)
	}
	s.ClinicName = "Lumen"
	s.DepthRanges[AreaCheeks] = DepthRange{1.0, 0.5}
	if err := s.Validate(); !errors.As(err, &ve) || ve.For("depth_range_cheeks") == "" {
		t.Fatalf("got %v, want a depth range problem", err)
	}
}

func TestFoldForSearch(t *testing.T) {
	for in, want := range map[string]string{"Zoë": "zoe", "Łukasz": "lukasz", "GROß": "gross", "José-María": "jose-maria", "王芳": "王芳", "Ødegård": "odegard"} {
		if got := FoldForSearch(in); got != want {
			t.Errorf("FoldForSearch(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	d := NewDate(2024, 2, 28)
	if got := d.AddDays(1).String(); got != "2024-02-29" {
		t.Fatal(got)
	}
	if got := NewDate(2025, 8, 31).AddMonths(6).String(); got != "2026-03-03" {
		t.Fatal(got)
	}
	if YearsBetween(NewDate(2000, 11, 23), today) != 25 || YearsBetween(NewDate(2000, 11, 22), today) != 26 {
		t.Fatal("YearsBetween counts birthdays wrongly")
	}
	if _, err := ParseDate("2023-02-29"); !errors.Is(err, ErrInvalid) {
		t.Fatal("2023-02-29 accepted")
	}
}

func TestFullNameOrder(t *testing.T) {
	for _, c := range []struct{ given, family, want string }{
		{"Zoë", "O'Brien", "Zoë O'Brien"}, {"芳", "王", "王芳"}, {"さくら", "佐藤", "佐藤さくら"}, {"Anna", "", "Anna"}, {"Wei", "王", "Wei 王"},
	} {
		if got := (Client{GivenName: c.given, FamilyName: c.family}).FullName(); got != c.want {
			t.Errorf("%q %q: got %q, want %q", c.given, c.family, got, c.want)
		}
	}
}

func TestNamesWithZWNJAndBidiControls(t *testing.T) {
	validClient := func(edit func(*Client)) Client {
		c := Client{GivenName: "Zoë", FamilyName: "O'Brien", DateOfBirth: NewDate(1990, 3, 14), Phone: "+44 20 7946 0958"}
		edit(&c)
		return c
	}
	ok := validClient(func(c *Client) { c.GivenName, c.FamilyName = "مهر\u200cانگیز", "نیک\u200cپور" })
	if err := ok.Validate(today); err != nil {
		t.Errorf("a Persian name with U+200C: %v", err)
	}
	for name, edit := range map[string]func(*Client){
		"given name override": func(c *Client) { c.GivenName = "Ann\u202eeL" },
		"family name mark":    func(c *Client) { c.FamilyName = "Lee\u200f" },
		"ZWNJ at the start":   func(c *Client) { c.GivenName = "\u200cAnn" },
		"notes override":      func(c *Client) { c.Notes = "none \u202enillicinep" },
		"allergies isolate":   func(c *Client) { c.Allergies = "latex \u2067x" },
	} {
		c := validClient(edit)
		if err := c.Validate(today); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	arabic := validClient(func(c *Client) { c.Notes = "حساسية\u200f (latex)" }) // a right-to-left mark only says how one spot reads
	if err := arabic.Validate(today); err != nil {
		t.Errorf("notes with a right-to-left mark: %v", err)
	}
}
