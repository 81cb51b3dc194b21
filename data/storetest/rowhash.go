package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
)

// Every change the store makes to a client, a session or a staff member
// records the SHA-256 of the row as written in its audit event, and the
// store's check (`needledesk check`) hashes every current row again and
// compares it with its last recorded hash, so that a row changed with a
// database tool, behind the store's back, shows.

// Checker is a store whose database the suite can check as `needledesk
// check` does; the stores' TestContract give their stores it.
type Checker interface {
	// CheckProblems runs the check `needledesk check --db` runs on the
	// store's database and gives the problems it reports, in its words.
	CheckProblems(ctx context.Context) ([]string, error)
}

func (c contract) rowHashes(t *testing.T) {
	t.Run("RowHashesAreTheSameOnEveryStore", c.rowHashesAreTheSameOnEveryStore)
	t.Run("CheckFindsRowsChangedBehindTheStore", c.checkFindsRowsChangedBehindTheStore)
	t.Run("TheSampleClinicPassesCheck", c.theSampleClinicPassesCheck)
}

// checker is the env's store as Checker.
func (e *env) checker() Checker {
	e.t.Helper()
	ch, ok := e.st.(Checker)
	if !ok {
		e.t.Fatalf("the store %T cannot be checked (storetest.Checker)", e.st)
	}
	return ch
}

// problems runs the store's check.
func (e *env) problems() []string {
	e.t.Helper()
	got, err := e.checker().CheckProblems(e.ctx)
	if err != nil {
		e.t.Fatalf("checking the database: %v", err)
	}
	return got
}

// rowHashClinic makes every kind of write that records a row hash, on
// fixed times, and returns the client, the session and the staff member
// it wrote. Nothing in it is random, so its rows are the same on every
// store and on every run.
func (e *env) rowHashClinic() (data.Client, data.Session, data.Staff) {
	e.t.Helper()
	tech := e.technician()
	gel := e.product("Calm Gel", data.CategoryProtectiveGel)
	spf := e.product("Daily Shield SPF 50", data.CategorySunscreen)
	c := e.client(func(c *data.Client) {
		c.SkinType, c.Concerns, c.Allergies = 3, []data.Concern{data.ConcernAcneScars, data.ConcernPores}, "latex"
		c.Contra.KeloidTendency, c.Address, c.Notes = true, "12 Quay Street\nBrighton", "prefers mornings"
	})
	ses := e.session(e.fullSession(c.ID, tech.ID, today, gel, spf))
	imported := []data.Client{validClient(named("Ada", "One")), validClient(named("Bo", "Two"))}
	if err := e.st.ImportClients(e.ctx, data.SystemActor, imported); err != nil {
		e.t.Fatal(err)
	}
	more := []data.Session{Session(imported[0].ID, tech.ID, today.AddDays(-30)), Session(imported[1].ID, tech.ID, today.AddDays(-2))}
	if err := e.st.ImportSessions(e.ctx, tech.ID, more); err != nil {
		e.t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	c.Medications, c.Contra.MetalAllergy = "none", true
	if err := e.st.UpdateClient(e.ctx, data.SystemActor, &c); err != nil {
		e.t.Fatal(err)
	}
	tech.Name = "Priya Raman-Shah"
	if err := e.st.UpdateStaff(e.ctx, data.SystemActor, &tech); err != nil {
		e.t.Fatal(err)
	}
	ses.Notes += " Asked about a course."
	if err := e.st.UpdateSession(e.ctx, tech.ID, &ses); err != nil { // on its day: an update
		e.t.Fatal(err)
	}
	e.clock.Advance(72 * time.Hour)
	ses.Areas = append(ses.Areas, data.AreaTreatment{Area: data.AreaNose, DepthMM: 0.3})
	ses.Areas[0].DepthMM = 1
	if err := e.st.UpdateSession(e.ctx, tech.ID, &ses); err != nil { // days later: an amendment
		e.t.Fatal(err)
	}
	if err := e.st.ArchiveClient(e.ctx, data.SystemActor, imported[1].ID); err != nil {
		e.t.Fatal(err)
	}
	return c, ses, tech
}

// wantRowHashes are the row hashes data/sqlite recorded for
// rowHashClinic's writes before PostgreSQL recorded any (its encoding
// since migration 10): each store must record them byte for byte, so
// that a clinic's recorded hashes verify on either, and after a move.
var wantRowHashes = []string{
	"staff 1 create 479f0c145f7d335450e75b9e1b59f8634b02d05c3bf5b8d24c9623c14a3f371c",
	"client 1 create 275baed97c35358f9dc8e25311db68311155f73edde3241ad28af705c86fccec",
	"session 1 create 0389f70822764857ea81545cae2da4565c3544e33415f07d09a1960da32658da",
	"client 2 create 323fa1a78e86fac4aad70ec40205a7df60c8b4f7661a45d67aeb3fb44b75240a",
	"client 3 create 22ddcf720d525bc1d0a32b8566bc6972e0ca2020f0928330fbe3094637ea783c",
	"session 2 create 8426bb9d15142b8ed8749a63597447a324626f5851d6c152ca40b82ac0993fef",
	"session 3 create c9482fb5bd286d3da075fe87c34363ab0693f9cb63e18acdb3655abad456f62a",
	"client 1 update 52d9a52e0d968591602dd6011eeb587a76bc037813a09f23aae60afdd4ac10a4",
	"staff 1 update 2e4c3ee6fc00a4b45c2b9417dff88c13542fafa0ac5ffd187a8335622ab977ff",
	"session 1 update d42b223c2de34f3b91b5769df0e8f4058c36a1df98061140a69c21ab419224cf",
	"session 1 amend cf607c107c1f09272e103e6848401ccaadd7f12bb14082adbc2544d9f1b7830b",
	"client 3 archive c732e6757010b6ddffbb908055be6de3e6dc0bc7dd0567efeba49ad7b1181c3a",
}

func (ct contract) rowHashesAreTheSameOnEveryStore(t *testing.T) {
	e := ct.env(t)
	e.rowHashClinic()
	got, err := e.raw.QueryText(e.ctx, `SELECT entity || ' ' || entity_id || ' ' || action || ' ' || row_hash
		FROM audit_event WHERE row_hash <> '' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(wantRowHashes, "\n") {
		t.Errorf("the row hashes recorded:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantRowHashes, "\n"))
	}
	if p := e.problems(); len(p) != 0 {
		t.Errorf("check on the clinic as the store wrote it: %q; want nothing", p)
	}
}

func (ct contract) checkFindsRowsChangedBehindTheStore(t *testing.T) {
	e := ct.env(t)
	c, ses, tech := e.rowHashClinic()
	owner := e.owner()
	if err := e.st.SetPassword(e.ctx, owner.ID, owner.ID, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.SignIn(e.ctx, owner.ID, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.Client(e.ctx, owner.ID, c.ID); err != nil { // a view: an event with no row hash
		t.Fatal(err)
	}
	if p := e.problems(); len(p) != 0 {
		t.Fatalf("check on the clinic as the store wrote it: %q; want nothing", p)
	}
	for _, edit := range []string{
		fmt.Sprintf(`UPDATE client SET allergies = 'none known' WHERE id = %d`, c.ID),
		fmt.Sprintf(`UPDATE session_area SET depth_mm = 2.5 WHERE session_id = %d AND area = '%s'`, ses.ID, data.AreaNose),
		fmt.Sprintf(`UPDATE staff SET role = 'owner' WHERE id = %d`, tech.ID),
	} {
		if err := e.raw.ExecRaw(e.ctx, edit); err != nil {
			t.Fatalf("%s: %v", edit, err)
		}
	}
	got := e.problems()
	for _, want := range []string{
		fmt.Sprintf("records: client %d does not match its last change recorded in the audit trail", c.ID),
		fmt.Sprintf("records: session %d does not match its last change recorded in the audit trail", ses.ID),
		fmt.Sprintf("records: staff %d does not match its last change recorded in the audit trail", tech.ID),
	} {
		if !containsPrefix(got, want) {
			t.Errorf("check does not say %q:\n%s", want, strings.Join(got, "\n"))
		}
	}
	if len(got) != 3 {
		t.Errorf("check found %d problems; want the three rows changed:\n%s", len(got), strings.Join(got, "\n"))
	}
}

func containsPrefix(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// theSampleClinicPassesCheck: the clinic a first start with the sample
// leaves (its owner with a password, staff, clients and sessions written
// inside the set-up's transaction) records every row's hash as written,
// and a change behind the store's back shows.
func (ct contract) theSampleClinicPassesCheck(t *testing.T) {
	e := ct.env(t)
	if _, err := e.st.SetUpClinic(e.ctx, glowSetUp(demo.Sample(func() time.Time { return TestNow })), nil); err != nil {
		t.Fatal(err)
	}
	if p := e.problems(); len(p) != 0 {
		t.Fatalf("check after the set-up: %q; want nothing", p)
	}
	if err := e.raw.ExecRaw(e.ctx, `UPDATE client SET medical_notes = 'changed' WHERE id = 5`); err != nil {
		t.Fatal(err)
	}
	if p := e.problems(); len(p) != 1 || !strings.HasPrefix(p[0], "records: client 5 does not match its last change") {
		t.Errorf("check after a client was changed behind the store's back: %q", p)
	}
}
