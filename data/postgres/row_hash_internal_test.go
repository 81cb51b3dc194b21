package postgres

import (
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/postgres/pgtest"
)

// TestAChangeAnOlderBuildRecordedIsNotCalledTampering: until this
// version the server recorded no row hashes, and a workstation still
// running an older build may change a client whose creation (here, or
// in the file it was moved from) recorded one. Check leaves that client
// uncompared rather than say it was changed outside NeedleDesk; once this
// version writes it again, it is compared again.
func TestAChangeAnOlderBuildRecordedIsNotCalledTampering(t *testing.T) {
	ctx := t.Context()
	url := pgtest.NewDatabase(t)
	st, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := data.Client{GivenName: "Ada", FamilyName: "Older", DateOfBirth: data.NewDate(1988, 4, 2), Phone: "+44 1273 555 020"}
	if err := st.CreateClient(ctx, data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	err = st.write(ctx, func(tx pgx.Tx, now time.Time) error { // as an older build saves a change
		if _, err := tx.Exec(ctx, `UPDATE client SET allergies = 'plasters', version = version + 1 WHERE id = $1`, c.ID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: data.SystemActor, action: data.ActionUpdate,
			entity: data.EntityClient, entityID: c.ID, clientID: c.ID})
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Check(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 0 || rep.Rows.Unrecorded != 1 || rep.Rows.Checked != 0 {
		t.Errorf("after an older build's change: %+v; want the client left uncompared and no problem", rep)
	}
	if c, err = st.Client(ctx, data.SystemActor, c.ID); err != nil {
		t.Fatal(err)
	}
	c.Notes = "saved again by this version"
	if err := st.UpdateClient(ctx, data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	if _, err := st.pool.Exec(ctx, `UPDATE client SET allergies = 'none' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	rep, err = Check(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "client 1 does not match its last change") {
		t.Errorf("a change behind this version's back: %q; want it named", rep.Problems)
	}
}
