package sqlite_test

import (
	"strings"
	"testing"

	"needledesk/data"
)

// Text kept before direction controls were refused, or written into the
// file by other means, reads without the controls that would reorder it
// on screen, on the sheet and in exports.
func TestStoredDirectionControlsAreNeutralisedWhenRead(t *testing.T) {
	e := newEnv(t)
	cl := e.clinic()
	if _, err := e.st.WriterForTest().ExecContext(e.ctx,
		"UPDATE client SET given_name = ?, notes = ?, allergies = ? WHERE id = ?",
		"Ann\u202eeL", "none \u202enillicinep", "latex\u2066, nickel", cl.client.ID); err != nil {
		t.Fatal(err)
	}
	c, err := e.st.Client(e.ctx, cl.staff["owner"], cl.client.ID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.st.FindClients(e.ctx, cl.staff["owner"], data.ClientFilter{Text: cl.client.FamilyName})
	if err != nil || len(list) == 0 {
		t.Fatalf("searching: %v, %d found", err, len(list))
	}
	for what, s := range map[string]string{"given name": c.GivenName, "notes": c.Notes, "allergies": c.Allergies,
		"listed name": list[0].GivenName, "listed notes": list[0].Notes} {
		if strings.ContainsAny(s, "\u202e\u2066") {
			t.Errorf("the %s reads %q, with its direction control", what, s)
		}
	}
	if c.GivenName != "AnneL" || c.Allergies != "latex, nickel" {
		t.Errorf("read %q and %q; want the text without its controls", c.GivenName, c.Allergies)
	}
}
