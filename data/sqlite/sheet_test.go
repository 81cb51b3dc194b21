package sqlite_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

func fakePDF(text string) []byte {
	return []byte("%PDF-1.4\n" + text + "\n\x00\xff\xfe binary part\n%%EOF\n")
}

func TestKeepSheetVersionsAndReads(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	tech := e.technician()
	s := e.session(validSession(c.ID, tech.ID, today))

	first := data.Sheet{SessionID: s.ID, PDF: fakePDF("first")}
	if err := e.st.KeepSheet(e.ctx, tech.ID, &first); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(tech.ID, data.ActionCreate, "sheet", first.ID)
	e.clock.Advance(time.Hour)
	second := data.Sheet{SessionID: s.ID, PDF: fakePDF("second")}
	if err := e.st.KeepSheet(e.ctx, tech.ID, &second); err != nil {
		t.Fatal(err)
	}
	if first.Version != 1 || second.Version != 2 || second.MadeBy != tech.ID ||
		!second.MadeAt.Equal(testNow.Add(time.Hour)) || second.SHA256 != data.SumPDF(second.PDF) {
		t.Errorf("kept sheets: %+v, %+v", first, second)
	}

	got, err := e.st.Sheet(e.ctx, data.SystemActor, first.ID)
	if err != nil || !reflect.DeepEqual(got, first) {
		t.Errorf("Sheet = %+v, %v; want %+v", got, err, first)
	}
	latest, err := e.st.LatestSheet(e.ctx, data.SystemActor, s.ID)
	if err != nil || latest.ID != second.ID || !bytes.Equal(latest.PDF, second.PDF) {
		t.Errorf("LatestSheet = %+v, %v; want the second", latest, err)
	}
	list, err := e.st.ClientSheets(e.ctx, data.SystemActor, c.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("ClientSheets = %+v, %v", list, err)
	}
	if list[0].ID != second.ID || list[0].Size != len(second.PDF) || list[0].MadeByName != tech.Name ||
		list[0].Version != 2 || list[1].ID != first.ID {
		t.Errorf("ClientSheets = %+v", list)
	}
}

func TestKeepSheetRefusals(t *testing.T) {
	e := newEnv(t)
	before := e.counts("sheet", "audit_event")
	missing := data.Sheet{SessionID: 77, PDF: fakePDF("x")}
	e.refused(e.st.KeepSheet(e.ctx, data.SystemActor, &missing), "session", before)
	empty := data.Sheet{SessionID: 77}
	e.refused(e.st.KeepSheet(e.ctx, data.SystemActor, &empty), "pdf", before)
}

func TestSheetLookupsNotFound(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	s := e.session(validSession(c.ID, e.technician().ID, today))
	if _, err := e.st.LatestSheet(e.ctx, data.SystemActor, s.ID); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("LatestSheet of a session without sheets: %v", err)
	}
	if _, err := e.st.Sheet(e.ctx, data.SystemActor, 5); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("Sheet(5): %v", err)
	}
	if _, err := e.st.ClientSheets(e.ctx, data.SystemActor, c.ID+1); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("ClientSheets of a missing client: %v", err)
	}
	if list, err := e.st.ClientSheets(e.ctx, data.SystemActor, c.ID); err != nil || len(list) != 0 {
		t.Errorf("ClientSheets with none kept: %v, %v", list, err)
	}
}

func TestKeptSheetsCannotChange(t *testing.T) {
	e := newEnv(t)
	s := e.session(validSession(e.client().ID, e.technician().ID, today))
	sh := data.Sheet{SessionID: s.ID, PDF: fakePDF("kept")}
	if err := e.st.KeepSheet(e.ctx, data.SystemActor, &sh); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE sheet SET pdf = x'00'`, `DELETE FROM sheet`} {
		if _, err := e.st.WriterForTest().ExecContext(e.ctx, q); err == nil || !strings.Contains(err.Error(), "cannot be") {
			t.Errorf("%s: %v; want the trigger's refusal", q, err)
		}
	}
}

func TestDamagedSheetIsAnError(t *testing.T) {
	e := newEnv(t)
	s := e.session(validSession(e.client().ID, e.technician().ID, today))
	sh := data.Sheet{SessionID: s.ID, PDF: fakePDF("kept")}
	if err := e.st.KeepSheet(e.ctx, data.SystemActor, &sh); err != nil {
		t.Fatal(err)
	}
	// Damage from outside the store, past the trigger, as a disk fault would.
	db := e.st.WriterForTest()
	for _, q := range []string{`DROP TRIGGER sheet_no_update`, `UPDATE sheet SET pdf = x'255044462d'`} {
		if _, err := db.ExecContext(e.ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.st.Sheet(e.ctx, data.SystemActor, sh.ID); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("reading a damaged sheet: %v", err)
	}
}
