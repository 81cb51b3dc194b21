package pdf

import (
	"strings"
	"testing"

	"needledesk/data"
)

// The names the sheet must print, in every script the clinic meets.
var nameCases = []struct {
	file          string
	given, family string
	needFallback  bool
}{
	{"latin-diaeresis", "Zoë", "O'Brien", false},
	{"polish", "Łukasz", "Wiśniewski", false},
	{"turkish", "Ğül", "Yılmaz", false},
	{"vietnamese", "Thị Lan", "Nguyễn", false},
	{"greek", "Αικατερίνη", "Παπαδοπούλου", false},
	{"cyrillic", "Анна", "Иванова", false},
	{"chinese", "芳", "王", true},
	{"japanese", "さくら", "佐藤", true},
}

func TestNamesInEveryScript(t *testing.T) {
	requireTools(t)
	for _, tc := range nameCases {
		t.Run(tc.file, func(t *testing.T) {
			in := sampleInput()
			in.Client.GivenName, in.Client.FamilyName = tc.given, tc.family
			plan := data.BuildAftercarePlan(in)
			b := render(t, plan)
			checkValid(t, b)
			text := pdfText(t, b)
			if !strings.Contains(text, foldSpace(plan.ClientName)) {
				t.Errorf("name %q not found in:\n%s", plan.ClientName, text)
			}
			fonts := run(t, "pdffonts", writeTemp(t, b))
			if got := strings.Contains(strings.ToLower(fonts), "droidsansfallback"); got != tc.needFallback {
				t.Errorf("fallback font used = %v, want %v:\n%s", got, tc.needFallback, fonts)
			}
			savePages(t, "name-"+tc.file, b)
		})
	}
}
