package postgres_test

import (
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
)

// TestDamagedSheetIsAnError: a kept sheet whose bytes were changed on the
// server behind the store (past its trigger, as a disk fault or a
// database tool could) is an error when read, handed over again or
// exported, never a silently different document. (data/sqlite has the
// same tests for its file: TestDamagedSheetIsAnError,
// TestClientRecordRefusesADamagedSheet.)
func TestDamagedSheetIsAnError(t *testing.T) {
	ctx := t.Context()
	url := pgtest.NewDatabase(t)
	st, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tech := data.Staff{Name: "Priya Raman", Role: data.RoleTechnician, Active: true}
	if err := st.CreateStaff(ctx, data.SystemActor, &tech); err != nil {
		t.Fatal(err)
	}
	c := data.Client{GivenName: "Zoë", FamilyName: "Adams", DateOfBirth: data.NewDate(1990, 3, 14), Phone: "+44 20 7946 0958"}
	if err := st.CreateClient(ctx, data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	s := data.Session{ClientID: c.ID, TechnicianID: tech.ID, StartedAt: time.Now().Add(-time.Hour),
		Areas: []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.5}}}
	if err := st.CreateSession(ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	sh := data.Sheet{SessionID: s.ID, PDF: []byte("%PDF-1.4 handed over \x00\xff")}
	if err := st.KeepSheet(ctx, tech.ID, &sh); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE sheet SET pdf = '\x255044462d'::bytea`); err == nil || !strings.Contains(err.Error(), "cannot be changed") {
		t.Fatalf("changing a kept sheet through the trigger: %v; want its refusal", err)
	}
	for _, q := range []string{`ALTER TABLE sheet DISABLE TRIGGER sheet_no_change`, `UPDATE sheet SET pdf = '\x255044462d'::bytea`} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Sheet(ctx, tech.ID, sh.ID); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("reading a damaged sheet: %v", err)
	}
	if _, err := st.ReprintSheet(ctx, tech.ID, sh.ID); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("handing a damaged sheet over again: %v", err)
	}
	if _, err := st.ClientRecord(ctx, c.ID); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("exporting a damaged sheet: %v", err)
	}
}
