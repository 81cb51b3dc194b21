package admin

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/uitest"
)

// openAudit shows the audit screen in the test window, as its tab does.
func openAudit(t *testing.T, e *storeEnv) *AuditScreen {
	t.Helper()
	s := NewAuditScreen(e.areaEnv)
	e.w.SetContent(s.Content)
	s.Shown()
	return s
}

func TestAuditScreenFiltersByPersonActionAndClient(t *testing.T) {
	e := newStoreEnv(t)
	desk := e.c.StaffByRole(t, data.RoleReceptionist)
	zoe := e.c.AddClient(t, "Zoë", "Adams")
	bo := e.c.AddClient(t, "Bo", "Berg")
	if _, err := e.st.OpenClientRecord(e.Ctx, desk.ID, zoe.ID); err != nil {
		t.Fatal(err)
	}
	s := openAudit(t, e)
	e.q.WaitFor(t, "the trail and the staff names", func() bool {
		return len(s.events) > 3 && len(s.person.Options) == 4
	})
	if got := s.events[0]; got.Action != data.ActionView || got.ActorID != desk.ID || got.ClientID != zoe.ID {
		t.Fatalf("newest event = %+v; want the receptionist opening Zoë's record", got)
	}
	if !uitest.Shows(e.w.Content(), "Opened · client Zoë Adams") || !uitest.Shows(e.w.Content(), desk.Name) {
		t.Error("the newest row should say who opened which client's record, by name")
	}

	s.person.SetSelected(desk.Name)
	e.q.WaitFor(t, "only the receptionist's events", func() bool { return len(s.events) == 1 })

	s.person.SetSelected(anyone)
	s.Action.SetSelected(actionWords(data.ActionCreate))
	e.q.WaitFor(t, "only creations", func() bool {
		for _, ev := range s.events {
			if ev.Action != data.ActionCreate {
				return false
			}
		}
		return len(s.events) >= 2
	})

	test.Type(s.client, "bo")
	e.q.WaitFor(t, "Bo offered as a client", func() bool { return len(s.clients) == 1 })
	for label := range s.clients {
		s.client.SetText(label) // as choosing it from the drop-down does
	}
	e.q.WaitFor(t, "only Bo's creation", func() bool {
		return len(s.events) == 1 && s.events[0].ClientID == bo.ID
	})

	test.Type(s.from, "31/02/2026")
	s.reload()
	if s.fromF.Message.Text == "" {
		t.Error("an impossible From date should get a message")
	}
}

func TestAuditScreenRefusedForReceptionists(t *testing.T) {
	e := newStoreEnv(t)
	e.Actor = e.c.StaffByRole(t, data.RoleReceptionist)
	s := openAudit(t, e)
	e.q.WaitFor(t, "the refusal", func() bool { return strings.HasPrefix(s.status.Text, "Could not read the audit trail") })
	if len(s.events) != 0 {
		t.Fatal("a receptionist should see no events")
	}
	evs, err := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{Action: data.ActionDenied, ActorID: e.Actor.ID, Entity: data.EntityAudit})
	if err != nil || len(evs) != 1 {
		t.Fatalf("the refused look should be in the trail once: %v, %v", evs, err)
	}
}

func TestAuditExportWritesCSVAndRecordsIt(t *testing.T) {
	e := newStoreEnv(t)
	e.c.AddClient(t, "Łukasz", "Nowak")
	s := openAudit(t, e)
	e.q.WaitFor(t, "the trail", func() bool { return len(s.events) > 0 })
	path := filepath.Join(t.TempDir(), "audit.csv")
	f, _ := s.filter(auditExportLimit)
	s.writeCSV(e.st, f, path, false)
	e.q.WaitFor(t, "the export to finish", func() bool {
		return uitest.Shows(e.w.Canvas().Overlays().Top(), "Audit trail exported")
	})
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.Contains(text, "event,time,staff_id,staff,action") || !strings.Contains(text, e.Actor.Name) {
		t.Fatalf("the CSV lacks its header or the owner's name:\n%s", text)
	}
	evs, err := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{Action: data.ActionExport, Entity: data.EntityAudit})
	if err != nil || len(evs) != 1 || !strings.Contains(evs[0].Detail, "audit.csv") {
		t.Fatalf("the export should be recorded once, naming the file: %+v, %v", evs, err)
	}
}

// TestAuditExportWithoutItsRecordKeepsNoFile: when the trail cannot take
// the export's row (a trigger stands in for the disk refusing it), the
// owner is told and no file is left that the trail does not know of.
func TestAuditExportWithoutItsRecordKeepsNoFile(t *testing.T) {
	e := newStoreEnv(t)
	db, err := sql.Open("sqlite", e.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(e.Ctx, `CREATE TRIGGER test_no_export BEFORE INSERT ON audit_event
		WHEN NEW.action = 'export' BEGIN SELECT RAISE(ABORT, 'no room for the row'); END`); err != nil {
		t.Fatal(err)
	}
	s := openAudit(t, e)
	e.q.WaitFor(t, "the trail", func() bool { return len(s.events) > 0 })
	dir := t.TempDir()
	f, _ := s.filter(auditExportLimit)
	s.writeCSV(e.st, f, filepath.Join(dir, "audit.csv"), false)
	e.q.WaitFor(t, "the export to fail", func() bool {
		return uitest.Shows(e.w.Canvas().Overlays().Top(), "Could not export the audit trail")
	})
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the folder holds %v; want no file without its row in the trail", entries)
	}
}

// TestAuditRowsNameClientsStaffAndProducts: rows name the client an event
// concerns, the staff member or product it is about and who did it, not
// "client #22"; the CSV export carries the same names.
func TestAuditRowsNameClientsStaffAndProducts(t *testing.T) {
	e := newStoreEnv(t)
	tech := e.c.StaffByRole(t, data.RoleTechnician)
	yui := e.c.AddClient(t, "結衣", "佐藤")
	e.c.AddSession(t, yui, data.NewDate(2026, 11, 20))
	gel := e.c.AddProduct(t, "Calm Barrier Recovery Gel", data.CategoryMoisturiser, 0)
	if err := e.st.SetPassword(e.Ctx, e.Actor.ID, tech.ID, "a new password for her"); err != nil {
		t.Fatal(err)
	}
	s := openAudit(t, e)
	e.q.WaitFor(t, "the trail", func() bool { return len(s.events) >= 4 })

	rows := strings.Join(auditRowTexts(s), "\n")
	for _, want := range []string{
		"Created · client 佐藤結衣",
		"Created · session #",
		"for 佐藤結衣",
		"Created · product " + gel.Name,
		"Password set · staff member " + tech.Name,
	} {
		if !strings.Contains(rows, want) {
			t.Errorf("the rows do not show %q:\n%s", want, rows)
		}
	}
	if strings.Contains(rows, "client #") || strings.Contains(rows, "staff member #") || strings.Contains(rows, "product #") {
		t.Errorf("a row names a record by number where its name is known:\n%s", rows)
	}

	path := filepath.Join(t.TempDir(), "audit.csv")
	f, _ := s.filter(auditExportLimit)
	s.writeCSV(e.st, f, path, false)
	e.q.WaitFor(t, "the export to finish", func() bool {
		return uitest.Shows(e.w.Canvas().Overlays().Top(), "Audit trail exported")
	})
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"佐藤結衣", gel.Name, tech.Name, e.Actor.Name} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the CSV lacks %q:\n%s", want, b)
		}
	}
}

// auditRowTexts renders every row of the audit list as "who: what".
func auditRowTexts(s *AuditScreen) []string {
	var out []string
	row := newAuditRow().(*auditRow)
	for i := range s.events {
		s.updateRow(i, row)
		out = append(out, row.who.Text+": "+row.what.Text)
	}
	return out
}

// TestAuditDetailDatesUseTheClinicFormat: a date kept in an event's note
// (as YYYY-MM-DD) reads in the clinic's date format, while a backup's file
// name keeps its own.
func TestAuditDetailDatesUseTheClinicFormat(t *testing.T) {
	e := newStoreEnv(t)
	e.Settings.DateFormat = "01/02/2006"
	for _, detail := range []string{"the client stopped on 2026-01-05", "needledesk-2026-11-29T093000Z.db"} {
		if err := e.st.RecordExport(e.Ctx, e.Actor.ID, data.EntityDatabase, 0, detail); err != nil {
			t.Fatal(err)
		}
	}
	s := openAudit(t, e)
	e.q.WaitFor(t, "the trail", func() bool { return len(s.events) >= 2 })
	rows := strings.Join(auditRowTexts(s), "\n")
	if !strings.Contains(rows, "the client stopped on 01/05/2026") || !strings.Contains(rows, "needledesk-2026-11-29T093000Z.db") {
		t.Errorf("the rows read:\n%s\nwant the note's date as 01/05/2026 and the file name as it is", rows)
	}
}

// TestAuditWordsADecisionNotToTreat: the row the session form's Do not
// treat writes (see clients' session safety tests) reads as a decision.
func TestAuditWordsADecisionNotToTreat(t *testing.T) {
	ev := data.AuditEvent{Action: data.ActionDoNotTreat, Entity: data.EntityClient, EntityID: 7, ClientID: 7,
		ClientName: "Zoë Adams", ActorID: 2, Detail: "Client still on isotretinoin"}
	if got := auditWhat(ev); !strings.HasPrefix(got, "Decided not to treat") {
		t.Errorf("the Audit screen words the decision as %q", got)
	}
}
