package booksetup

import (
	"testing"

	"needledesk/data"
)

// Every zone offered is one the clinic's settings accept.
func TestEveryZoneOfferedLoads(t *testing.T) {
	if len(zoneNames) < 300 {
		t.Fatalf("only %d zones offered", len(zoneNames))
	}
	for _, n := range zoneNames {
		st := data.DefaultSettings()
		st.TimeZone = n
		if ps := data.FieldProblems(st.Validate()); len(ps) > 0 {
			for _, p := range ps {
				if p.Field == "time_zone" {
					t.Errorf("%s: %s", n, p.Message)
				}
			}
		}
	}
}
