package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// actors are the kinds of people the store must tell apart.
var actors = []string{"receptionist", "technician", "owner", "inactive", "unknown"}

// storeAction is one thing the store can be asked to do, and the roles
// that may do it.
type storeAction struct {
	name    string
	allowed []string
	do      func(e *env, cl clinic, actor int64) error
}

var (
	clinical  = []string{"technician", "owner"}
	ownerOnly = []string{"owner"}
)

func storeActions() []storeAction {
	return []storeAction{
		{"add a client", everyone, func(e *env, _ clinic, a int64) error {
			c := validClient(named("New", "Client"))
			return e.st.CreateClient(e.ctx, a, &c)
		}},
		{"add a client with allergies", clinical, func(e *env, _ clinic, a int64) error {
			c := validClient(named("New", "Client"), func(c *data.Client) { c.Allergies = "Latex" })
			return e.st.CreateClient(e.ctx, a, &c)
		}},
		{"change a client's phone, consent and notes", everyone, func(e *env, cl clinic, a int64) error {
			c := cl.client
			c.Phone, c.Notes = "+44 7700 900999", "Prefers afternoons."
			c.Consent = data.Consent{SignedOn: today, FormVersion: "2026-1"}
			return e.st.UpdateClient(e.ctx, a, &c)
		}},
		{"change a client's allergies", clinical, func(e *env, cl clinic, a int64) error {
			c := cl.client
			c.Allergies = "Lidocaine, latex"
			return e.st.UpdateClient(e.ctx, a, &c)
		}},
		{"answer a screening question", clinical, func(e *env, cl clinic, a int64) error {
			c := cl.client
			c.Contra.PregnantOrNursing = true
			return e.st.UpdateClient(e.ctx, a, &c)
		}},
		{"archive a client", ownerOnly, func(e *env, cl clinic, a int64) error {
			return e.st.ArchiveClient(e.ctx, a, cl.client.ID)
		}},
		{"read a client", everyone, func(e *env, cl clinic, a int64) error {
			_, err := e.st.Client(e.ctx, a, cl.client.ID)
			return err
		}},
		{"open a client record", everyone, func(e *env, cl clinic, a int64) error {
			_, err := e.st.OpenClientRecord(e.ctx, a, cl.client.ID)
			return err
		}},
		{"import clients", everyone, func(e *env, _ clinic, a int64) error {
			return e.st.ImportClients(e.ctx, a, []data.Client{validClient(named("Ann", "One")), validClient(named("Bo", "Two"))})
		}},
		{"chart a session", clinical, func(e *env, cl clinic, a int64) error {
			s := Session(cl.client.ID, cl.staff["technician"], today)
			return e.st.CreateSession(e.ctx, a, &s)
		}},
		{"change a session", clinical, func(e *env, cl clinic, a int64) error {
			s := cl.session
			s.Reaction = "Mild redness, settled in an hour"
			return e.st.UpdateSession(e.ctx, a, &s)
		}},
		{"import sessions", clinical, func(e *env, cl clinic, a int64) error {
			return e.st.ImportSessions(e.ctx, a, []data.Session{Session(cl.client.ID, cl.staff["technician"], today.AddDays(-30))})
		}},
		{"read a session", everyone, func(e *env, cl clinic, a int64) error {
			_, err := e.st.Session(e.ctx, a, cl.session.ID)
			return err
		}},
		{"list a client's sessions", everyone, func(e *env, cl clinic, a int64) error {
			_, err := e.st.ClientSessions(e.ctx, a, cl.client.ID)
			return err
		}},
		{"decide not to treat a client", clinical, func(e *env, cl clinic, a int64) error {
			return e.st.RecordDoNotTreat(e.ctx, a, data.DoNotTreat{ClientID: cl.client.ID, Reason: "Cold sore in the area"})
		}},
		{"read a session's earlier versions", clinical, func(e *env, cl clinic, a int64) error {
			_, err := e.st.SessionAmendments(e.ctx, a, cl.session.ID)
			return err
		}},
		{"add a product", clinical, func(e *env, _ clinic, a int64) error {
			p := validProduct("Shield SPF 50", data.CategorySunscreen)
			return e.st.CreateProduct(e.ctx, a, &p)
		}},
		{"retire a product", clinical, func(e *env, cl clinic, a int64) error {
			p := cl.product
			p.Active = false
			return e.st.UpdateProduct(e.ctx, a, &p)
		}},
		{"add a staff member", ownerOnly, func(e *env, _ clinic, a int64) error {
			s := data.Staff{Name: "Tomás Herrera", Role: data.RoleTechnician, Active: true}
			return e.st.CreateStaff(e.ctx, a, &s)
		}},
		{"switch a staff member off", ownerOnly, func(e *env, cl clinic, a int64) error {
			s := data.Staff{ID: cl.staff["receptionist"], Name: "Sam O'Neill", Role: data.RoleReceptionist, Version: 1}
			return e.st.UpdateStaff(e.ctx, a, &s)
		}},
		{"reset someone else's password", ownerOnly, func(e *env, cl clinic, a int64) error {
			return e.st.SetPassword(e.ctx, a, cl.staff["colleague"], "a new password")
		}},
		{"change the settings", ownerOnly, func(e *env, _ clinic, a int64) error {
			s, err := e.st.Settings(e.ctx, data.SystemActor)
			if err != nil {
				return err
			}
			s.ClinicName = "Lumen Skin Studio"
			return e.st.SaveSettings(e.ctx, a, &s)
		}},
		{"read the audit trail", ownerOnly, func(e *env, _ clinic, a int64) error {
			_, err := e.st.AuditEvents(e.ctx, a, data.AuditFilter{})
			return err
		}},
		{"keep a new aftercare sheet", everyone, func(e *env, cl clinic, a int64) error {
			sh := data.Sheet{SessionID: cl.session.ID, PDF: fakePDF("new")}
			return e.st.KeepSheet(e.ctx, a, &sh)
		}},
		{"hand a kept sheet over again", everyone, func(e *env, cl clinic, a int64) error {
			_, err := e.st.ReprintSheet(e.ctx, a, cl.sheet.ID)
			return err
		}},
		// A kept sheet's bytes are health data: the README's table lets
		// everyone who makes and prints sheets read them, receptionists
		// too, and no one else (an unknown actor, a switched-off account).
		// The typed record methods write only their own kind of row, for
		// those whose role allows what they record: nobody can write an
		// audit row of another kind through the store.
		{"record an export of the clinic", ownerOnly, func(e *env, _ clinic, a int64) error {
			return e.st.RecordExport(e.ctx, a, data.EntityDatabase, 0, "12 clients and 40 sessions into /tmp")
		}},
		{"record an export of the audit trail", ownerOnly, func(e *env, _ clinic, a int64) error {
			return e.st.RecordExport(e.ctx, a, data.EntityAudit, 0, "10 events to audit.csv")
		}},
		{"read a kept sheet's bytes", everyone, func(e *env, cl clinic, a int64) error {
			sh, err := e.st.Sheet(e.ctx, a, cl.sheet.ID)
			return keptBytes(sh, cl, err)
		}},
		{"read a session's latest kept sheet", everyone, func(e *env, cl clinic, a int64) error {
			sh, err := e.st.LatestSheet(e.ctx, a, cl.session.ID)
			return keptBytes(sh, cl, err)
		}},
		{"search for clients", everyone, func(e *env, cl clinic, a int64) error {
			found, err := e.st.FindClients(e.ctx, a, data.ClientFilter{Text: cl.client.GivenName})
			if err != nil && len(found) != 0 {
				return fmt.Errorf("a refused search still listed %d clients: %w", len(found), err)
			}
			return err
		}},
		{"list a client's kept sheets", everyone, func(e *env, cl clinic, a int64) error {
			_, err := e.st.ClientSheets(e.ctx, a, cl.client.ID)
			return err
		}},
		{"read what a sheet is made from", everyone, func(e *env, cl clinic, a int64) error {
			_, err := e.st.SheetInput(e.ctx, a, cl.session.ID)
			return err
		}},
		// Reads of the catalogue, the staff and the settings take the
		// acting person too: each method's comment in data/store.go says
		// why it allows whom.
		{"read the catalogue", everyone, func(e *env, _ clinic, a int64) error {
			ps, err := e.st.Products(e.ctx, a, true)
			return noneWhenRefused(len(ps), err)
		}},
		{"read a product", everyone, func(e *env, cl clinic, a int64) error {
			_, err := e.st.Product(e.ctx, a, cl.product.ID)
			return err
		}},
		{"read the staff accounts", clinical, func(e *env, _ clinic, a int64) error {
			list, err := e.st.StaffList(e.ctx, a, true)
			return noneWhenRefused(len(list), err)
		}},
		{"read a staff member's account", ownerOnly, func(e *env, cl clinic, a int64) error {
			_, err := e.st.StaffMember(e.ctx, a, cl.staff["colleague"])
			return err
		}},
		{"read the settings", everyone, func(e *env, _ clinic, a int64) error {
			st, err := e.st.Settings(e.ctx, a)
			if err != nil && st.DateFormat != "" {
				return fmt.Errorf("a refused read still gave the settings: %w", err)
			}
			return err
		}},
		{"export", ownerOnly, func(e *env, _ clinic, a int64) error { return e.st.Authorize(e.ctx, a, data.PermExport) }},
		{"make a backup", ownerOnly, func(e *env, _ clinic, a int64) error { return e.st.Authorize(e.ctx, a, data.PermBackup) }},
		{"restore a backup", ownerOnly, func(e *env, _ clinic, a int64) error { return e.st.Authorize(e.ctx, a, data.PermRestore) }},
	}
}

// noneWhenRefused checks that a refused list read gave nothing.
func noneWhenRefused(n int, err error) error {
	if err != nil && n != 0 {
		return fmt.Errorf("a refused read still listed %d rows: %w", n, err)
	}
	return err
}

// keptBytes checks that a read of the clinic's kept sheet gave its bytes
// when it was allowed, and none when it was refused.
func keptBytes(sh data.Sheet, cl clinic, err error) error {
	if err != nil {
		if len(sh.PDF) != 0 {
			return fmt.Errorf("a refused read still gave %d bytes of the sheet: %w", len(sh.PDF), err)
		}
		return err
	}
	if string(sh.PDF) != string(cl.sheet.PDF) {
		return fmt.Errorf("read %d bytes, not the kept sheet's %d", len(sh.PDF), len(cl.sheet.PDF))
	}
	return nil
}

// everyActionWithEveryRole tries each store action as each kind of
// actor on a fresh clinic. Allowed actions work and write no refusal; the
// rest return a permission error in plain words and leave every table as
// it was, but for one ActionDenied row under the actor's ID.
func (ct contract) everyActionWithEveryRole(t *testing.T) {
	for _, act := range storeActions() {
		for _, who := range actors {
			t.Run(act.name+"/"+who, func(t *testing.T) {
				e := ct.env(t)
				cl := e.clinic()
				actor := cl.staff[who]
				before := e.snapshot()
				err := act.do(e, cl, actor)
				if slices.Contains(act.allowed, who) {
					if err != nil {
						t.Fatalf("%s may %s, but: %v", who, act.name, err)
					}
					if n := e.deniedRows(before); n != 0 {
						t.Errorf("an allowed action wrote %d refusals", n)
					}
					return
				}
				e.wantRefused(err, actor, before)
			})
		}
	}
}

// wantRefused checks err is a permission error a person can read, and that
// the refusal changed nothing but the audit trail, by one row.
func (e *env) wantRefused(err error, actor int64, before map[string][]string) {
	e.t.Helper()
	if !errors.Is(err, data.ErrForbidden) {
		e.t.Fatalf("error = %v; want data.ErrForbidden", err)
	}
	var fe *data.ForbiddenError
	if msg := data.UserMessage(err); !errors.As(err, &fe) || !strings.Contains(msg, fe.Message) || strings.Contains(msg, "Something went wrong") {
		e.t.Errorf("the message for a refusal reads %q", msg)
	}
	after := e.snapshot()
	for table, rows := range before {
		if table == "audit_event" || table == "audit_head" {
			continue // the trail itself: one denied row, checked below
		}
		if !slices.Equal(rows, after[table]) {
			e.t.Errorf("a refused action changed %s:\nbefore %q\nafter  %q", table, rows, after[table])
		}
	}
	if got, want := len(after["audit_event"]), len(before["audit_event"])+1; got != want {
		e.t.Fatalf("the audit trail has %d rows after a refusal; want %d", got, want)
	}
	last := e.lastAudit()
	if last.Action != data.ActionDenied || last.ActorID != actor || !last.At.Equal(e.clock.Now()) {
		e.t.Errorf("the refusal was recorded as %+v; want a denied row by %d", last, actor)
	}
}

// deniedRows counts refusals written since the snapshot.
func (e *env) deniedRows(before map[string][]string) int {
	e.t.Helper()
	denied, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{Action: data.ActionDenied, Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	var n int
	for _, ev := range denied {
		if ev.ID > int64(len(before["audit_event"])) {
			n++
		}
	}
	return n
}

// snapshot reads every row of every table, as text, in a fixed order, so
// that two snapshots are equal exactly when nothing changed.
func (e *env) snapshot() map[string][]string {
	e.t.Helper()
	out, err := e.raw.Snapshot(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// summariesForReceptionists: a receptionist reads sessions without
// their clinical details, and the sheet they print is made from what it
// prints (TestSheetInputHoldsOnlyWhatTheSheetPrints); a technician reads
// everything.
func (ct contract) summariesForReceptionists(t *testing.T) {
	e := ct.env(t)
	cl := e.clinic()
	full, err := e.st.Session(e.ctx, cl.staff["technician"], cl.session.ID)
	if err != nil || full.SummaryOnly || full.Notes == "" || full.Areas[0].DepthMM == 0 || len(full.Withheld) != 0 {
		t.Fatalf("a technician reads %+v, %v; want the whole session", full, err)
	}
	desk := cl.staff["receptionist"]
	one, err := e.st.Session(e.ctx, desk, cl.session.ID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.st.ClientSessions(e.ctx, desk, cl.client.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("ClientSessions: %v, %v", list, err)
	}
	for _, s := range []data.Session{one, list[0]} {
		if !s.SummaryOnly || s.Notes != "" || s.Device != "" || s.NeedleLot != "" || s.Reaction != "" ||
			s.Warnings != nil || s.OverrideReason != "" || s.NumbingAgent != "" || s.Areas[0].DepthMM != 0 {
			t.Errorf("a receptionist reads clinical details: %+v", s)
		}
		if !s.Hidden(data.DetailReaction) || !s.Hidden(data.DetailWarnings) || !s.Hidden(data.DetailDepths) {
			t.Errorf("a receptionist's summary does not say what it withheld: %v", s.Withheld)
		}
		if !s.StartedAt.Equal(full.StartedAt) || s.NextDue != full.NextDue || s.TechnicianName != full.TechnicianName ||
			s.Areas[0].Area != full.Areas[0].Area || s.AftercareNotes != full.AftercareNotes || len(s.Recommendations) != 1 {
			t.Errorf("the summary lacks what the front desk needs: %+v", s)
		}
	}
	in, err := e.st.SheetInput(e.ctx, desk, cl.session.ID)
	if err != nil || in.Session.Areas[0] != full.Areas[0].Area || len(in.Session.Recommendations) != 1 ||
		in.Session.AftercareNotes != full.AftercareNotes || in.Client.GivenName != cl.client.GivenName {
		t.Errorf("SheetInput for a receptionist: %+v, %v; want what the sheet prints", in, err)
	}
	one.Notes = "typed into a summary"
	if err := e.st.UpdateSession(e.ctx, cl.staff["owner"], &one); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("saving a summary: %v; want ErrInvalid", err)
	}
}

// receptionistKeepsClinicalFieldsAsTheyAre: the client form sends the
// whole client back; a receptionist's save passes when the clinical fields
// mean what is stored, however they are ordered or spaced.
func (ct contract) receptionistKeepsClinicalFieldsAsTheyAre(t *testing.T) {
	e := ct.env(t)
	cl := e.clinic()
	c := cl.client
	c.Concerns = []data.Concern{data.ConcernPores, data.ConcernAcneScars}
	c.Allergies = "Lidocaine"
	tech := cl.staff["technician"]
	if err := e.st.UpdateClient(e.ctx, tech, &c); err != nil {
		t.Fatal(err)
	}
	c.Concerns = []data.Concern{data.ConcernAcneScars, data.ConcernPores}
	c.Allergies = "  Lidocaine "
	c.Phone = "+44 7700 900111"
	if err := e.st.UpdateClient(e.ctx, cl.staff["receptionist"], &c); err != nil {
		t.Fatalf("a receptionist changing the phone only: %v", err)
	}
	c.Contra.RecentActives, c.Contra.RecentActivesWhat = true, "Retinol"
	err := e.st.UpdateClient(e.ctx, cl.staff["receptionist"], &c)
	if !errors.Is(err, data.ErrForbidden) || !strings.Contains(data.UserMessage(err), "clinical details") {
		t.Errorf("a receptionist answering a screening question: %v", err)
	}
}

// viewsAndReprintsAreRecorded: opening a record and handing a kept
// sheet over again are audit events; plain reads are not.
func (ct contract) viewsAndReprintsAreRecorded(t *testing.T) {
	e := ct.env(t)
	cl := e.clinic()
	desk := cl.staff["receptionist"]
	e.clock.Advance(time.Minute)
	if _, err := e.st.OpenClientRecord(e.ctx, desk, cl.client.ID); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(desk, data.ActionView, data.EntityClient, cl.client.ID)
	audits := e.count("audit_event")
	if _, err := e.st.Client(e.ctx, desk, cl.client.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.Session(e.ctx, desk, cl.session.ID); err != nil {
		t.Fatal(err)
	}
	if n := e.count("audit_event"); n != audits {
		t.Errorf("plain reads wrote %d audit rows", n-audits)
	}
	sh, err := e.st.ReprintSheet(e.ctx, desk, cl.sheet.ID)
	if err != nil || sh.ID != cl.sheet.ID || sh.SHA256 != cl.sheet.SHA256 {
		t.Fatalf("ReprintSheet = %+v, %v", sh, err)
	}
	e.wantAudit(desk, data.ActionReprint, data.EntitySheet, cl.sheet.ID)
	if _, err := e.st.OpenClientRecord(e.ctx, desk, cl.client.ID+50); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("opening a missing record: %v", err)
	}
	if _, err := e.st.ReprintSheet(e.ctx, desk, cl.sheet.ID+50); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("reprinting a missing sheet: %v", err)
	}
}

// roleChangesCountAtOnce: the store reads the actor's role in the
// transaction of each change, so switching someone off stops them at once.
func (ct contract) roleChangesCountAtOnce(t *testing.T) {
	e := ct.env(t)
	cl := e.clinic()
	tech := data.Staff{ID: cl.staff["technician"], Name: "Priya Raman", Role: data.RoleTechnician, Active: true, Version: 1}
	p := validProduct("Shield SPF 50", data.CategorySunscreen)
	if err := e.st.CreateProduct(e.ctx, tech.ID, &p); err != nil {
		t.Fatal(err)
	}
	tech.Role = data.RoleReceptionist
	if err := e.st.UpdateStaff(e.ctx, cl.staff["owner"], &tech); err != nil {
		t.Fatal(err)
	}
	if err := e.st.UpdateProduct(e.ctx, tech.ID, &p); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("after becoming a receptionist: %v; want ErrForbidden", err)
	}
	tech.Role, tech.Active = data.RoleTechnician, false
	if err := e.st.UpdateStaff(e.ctx, cl.staff["owner"], &tech); err != nil {
		t.Fatal(err)
	}
	_, err := e.st.Client(e.ctx, tech.ID, cl.client.ID)
	if !errors.Is(err, data.ErrForbidden) || !strings.Contains(err.Error(), "switched off") {
		t.Errorf("reading as a switched-off technician: %v", err)
	}
}

// No store method takes a whole audit event from its caller: each kind of
// row is written by the method that checks the role for it, so nobody can
// write a row of another kind (test helpers named ...ForTest aside).
func (ct contract) noStoreMethodWritesAnyAuditEvent(t *testing.T) {
	event := reflect.TypeOf(data.AuditEvent{})
	st := reflect.TypeOf(ct.store(t))
	for i := range st.NumMethod() {
		m := st.Method(i)
		if strings.HasSuffix(m.Name, "ForTest") {
			continue
		}
		for j := range m.Type.NumIn() {
			if in := m.Type.In(j); in == event || in == reflect.PointerTo(event) {
				t.Errorf("Store.%s takes a data.AuditEvent: any caller could write any kind of row", m.Name)
			}
		}
	}
}

// An export recorded by an owner is an export row, whatever the detail.
func (ct contract) recordExportWritesAnExportRow(t *testing.T) {
	e := ct.env(t)
	cl := e.clinic()
	if err := e.st.RecordExport(e.ctx, cl.staff["owner"], data.EntityAudit, 0, "10 events to audit.csv"); err != nil {
		t.Fatal(err)
	}
	last := e.lastAudit()
	if last.Action != data.ActionExport || last.Entity != data.EntityAudit || last.ActorID != cl.staff["owner"] {
		t.Errorf("recorded %+v; want the owner's export of the audit trail", last)
	}
}

// theSignInScreenLearnsOnlyWhatItNeeds: before anyone signs in, the
// screen reads the names and IDs of the staff whose accounts are on, and
// the clinic's name, idle-lock minutes and date format: no roles, no
// switched-off accounts, nothing else of the settings.
func (ct contract) theSignInScreenLearnsOnlyWhatItNeeds(t *testing.T) {
	e := ct.env(t)
	cl := e.clinic()
	s, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	s.ClinicName, s.IdleLockMinutes, s.DateFormat, s.Phone = "Lumen Skin Studio", 12, "2006-01-02", "+44 1273 555 018"
	if err := e.st.SaveSettings(e.ctx, data.SystemActor, &s); err != nil {
		t.Fatal(err)
	}
	audits := e.count("audit_event")
	names, err := e.st.SignInList(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []data.StaffName{{ID: cl.staff["colleague"], Name: "Chloé Martin"}, {ID: cl.staff["owner"], Name: "Maya Lindqvist"},
		{ID: cl.staff["technician"], Name: "Priya Raman"}, {ID: cl.staff["receptionist"], Name: "Sam O'Neill"}}
	if !slices.Equal(names, want) {
		t.Errorf("the sign-in list is %v; want %v (Olga Former's account is off)", names, want)
	}
	front, err := e.st.SignInSettings(e.ctx)
	if want := (data.SignInSettings{ClinicName: "Lumen Skin Studio", IdleLockMinutes: 12, DateFormat: "2006-01-02"}); err != nil || front != want {
		t.Errorf("the sign-in settings are %+v, %v; want %+v", front, err, want)
	}
	if n := e.count("audit_event"); n != audits {
		t.Errorf("reading for the sign-in screen wrote %d audit rows", n-audits)
	}
}
