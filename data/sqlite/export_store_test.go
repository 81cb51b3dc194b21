package sqlite_test

import (
	"os"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/transfer"
)

// keep keeps a sheet for a session with the given bytes.
func (e *env) keep(actor, sessionID int64, pdf string) data.Sheet {
	e.t.Helper()
	sh := data.Sheet{SessionID: sessionID, PDF: []byte(pdf)}
	if err := e.st.KeepSheet(e.ctx, actor, &sh); err != nil {
		e.t.Fatalf("KeepSheet: %v", err)
	}
	return sh
}

func TestClientRecordRefusesADamagedSheet(t *testing.T) {
	e := newEnv(t)
	tech := e.technician()
	c := e.client()
	s := e.session(validSession(c.ID, tech.ID, today))
	e.keep(tech.ID, s.ID, "%PDF handed over")
	db := rawDB(t, e.path)
	for _, q := range []string{`DROP TRIGGER sheet_no_update`, `UPDATE sheet SET pdf = CAST('%PDF changed' AS BLOB)`} {
		if _, err := db.ExecContext(e.ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.st.ClientRecord(e.ctx, c.ID)
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("a sheet changed behind the store's back: %v; want an error saying it is damaged", err)
	}
	out := t.TempDir()
	if _, err := (transfer.Exporter{Source: e.st}).ExportClient(e.ctx, e.owner().ID, c.ID, out); err == nil {
		t.Fatal("exported a damaged sheet")
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("a refused export left %v", left)
	}

}
