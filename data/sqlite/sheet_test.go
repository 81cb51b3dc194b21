package sqlite_test

import (
	"strings"
	"testing"

	"needledesk/data"
)

func fakePDF(text string) []byte {
	return []byte("%PDF-1.4\n" + text + "\n\x00\xff\xfe binary part\n%%EOF\n")
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
