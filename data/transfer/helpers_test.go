package transfer

import (
	"slices"
	"testing"
	"time"

	"needledesk/data"
)

// The records and checks these tests share with data's own tests (copies
// of the helpers in data/validate_test.go and data/fuzz_test.go).

var today = data.NewDate(2026, time.November, 22)

func validClient() data.Client {
	return data.Client{
		GivenName:   "Zoë",
		FamilyName:  "O'Brien",
		DateOfBirth: data.NewDate(1990, time.March, 14),
		Phone:       "+44 20 7946 0958",
		Email:       "zoe@example.com",
	}
}

func validSession() data.Session {
	return data.Session{
		ClientID: 1, TechnicianID: 2,
		StartedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
		Areas:     []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.75}, {Area: data.AreaUnderEye, DepthMM: 0.25}},
		Passes:    3,
		NextDue:   data.NewDate(2026, 12, 18),
	}
}

func knownArea(a data.Area) bool { return slices.Contains(data.Areas, a) }

func mustNameField(t *testing.T, err error, field string) {
	t.Helper()
	ps := data.FieldProblems(err)
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
