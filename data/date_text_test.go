package data

import "testing"

func TestFormatDatesIn(t *testing.T) {
	uk := Settings{DateFormat: "02/01/2006"}
	us := Settings{DateFormat: "01/02/2006"}
	for _, c := range []struct {
		st       Settings
		in, want string
	}{
		{uk, "Isotretinoin stopped 2026-01-05, less than 6 months ago", "Isotretinoin stopped 05/01/2026, less than 6 months ago"},
		{us, "Isotretinoin stopped 2026-01-05, less than 6 months ago", "Isotretinoin stopped 01/05/2026, less than 6 months ago"},
		{Settings{DateFormat: "2 Jan 2006"}, "Recent actives or procedure on 2026-11-10: Glycolic peel", "Recent actives or procedure on 10 Nov 2026: Glycolic peel"},
		{uk, "from 2026-02-01 to 2026-03-01.", "from 01/02/2026 to 01/03/2026."},
		{uk, "(2026-02-01)", "(01/02/2026)"},
		{uk, "needledesk-2026-11-29T093000Z.db", "needledesk-2026-11-29T093000Z.db"},
		{uk, "/backups/2026-11-29/x", "/backups/2026-11-29/x"},
		{uk, "12026-11-290", "12026-11-290"},
		{uk, "on 2026-02-30 and 2026-02-28", "on 2026-02-30 and 28/02/2026"},
		{uk, "no dates here", "no dates here"},
		{uk, "", ""},
		{uk, "Pregnant or breastfeeding", "Pregnant or breastfeeding"},
	} {
		if got := c.st.FormatDatesIn(c.in); got != c.want {
			t.Errorf("%s: FormatDatesIn(%q) = %q; want %q", c.st.DateFormat, c.in, got, c.want)
		}
	}
}

func FuzzFormatDatesIn(f *testing.F) {
	f.Add("Isotretinoin stopped 2026-01-05, less than 6 months ago")
	f.Add("2026-02-30 2026-02-28x 2026-02-28")
	f.Fuzz(func(t *testing.T, s string) {
		iso := Settings{DateFormat: "2006-01-02"}
		if got := iso.FormatDatesIn(s); got != s {
			t.Errorf("the ISO format changed %q to %q", s, got)
		}
		_ = Settings{DateFormat: "2 Jan 2006"}.FormatDatesIn(s)
	})
}
