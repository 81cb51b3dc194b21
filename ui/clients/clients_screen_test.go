package clients

import (
	"strings"
	"testing"
)

func TestCountText(t *testing.T) {
	for _, c := range []struct {
		n         int
		searching bool
		want      string
	}{
		{0, false, "No clients yet"},
		{0, true, "No clients match"},
		{1, true, "1 client shown"},
		{42, false, "42 clients shown"},
	} {
		if got := countText(c.n, c.searching); got != c.want {
			t.Errorf("countText(%d, %v) = %q, want %q", c.n, c.searching, got, c.want)
		}
	}
	if got := countText(clientPageSize, false); !strings.HasPrefix(got, "First ") {
		t.Errorf("a full page says %q; it should say only the first clients are shown", got)
	}
}

func TestInitials(t *testing.T) {
	for name, want := range map[string]string{
		"Zoë Adams":          "ZA",
		"Łukasz Nowak":       "ŁN",
		"José María Álvarez": "JÁ",
		"Cher":               "C",
		"":                   "?",
		"  ":                 "?",
	} {
		if got := initials(name); got != want {
			t.Errorf("initials(%q) = %q, want %q", name, got, want)
		}
	}
}
