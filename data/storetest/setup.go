package storetest

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
)

// glowSetUp is a first start's answers.

func glowSetUp(sample data.SampleFiller) data.ClinicSetup {
	return data.ClinicSetup{ClinicName: " Glow & Co Clinic ", OwnerName: " Ana Souza ", Password: "glow-and-co-2026", Sample: sample}
}

// nothingSetUp checks that the clinic holds nothing of a set-up: no
// owner (nor any staff), no clients, no products, no rooms, treatment
// menu or appointments, no clinic name, and an audit trail as a new
// clinic has it. It reads through a second handle, as another
// workstation would.
func (e *env) nothingSetUp(trailBefore int) {
	e.t.Helper()
	st := e.again()
	ctx := e.ctx
	t := e.t
	if need, err := st.NeedsOwner(ctx); err != nil || !need {
		t.Errorf("the clinic has an owner who can sign in (%v)", err)
	}
	if staff, err := st.StaffList(ctx, data.SystemActor, true); err != nil || len(staff) != 0 {
		t.Errorf("staff %+v, %v; want none", staff, err)
	}
	if cs, err := st.FindClients(ctx, data.SystemActor, data.ClientFilter{State: data.AnyState}); err != nil || len(cs) != 0 {
		t.Errorf("%d clients, %v; want none", len(cs), err)
	}
	if ps, err := st.Products(ctx, data.SystemActor, true); err != nil || len(ps) != 0 {
		t.Errorf("%d products, %v; want none", len(ps), err)
	}
	for _, table := range []string{"room", "treatment_type", "appointment"} {
		if n := e.count(table); n != 0 {
			t.Errorf("%d %s rows; want none", n, table)
		}
	}
	if s, err := st.Settings(ctx, data.SystemActor); err != nil || s.ClinicName != "" {
		t.Errorf("the clinic is named %q (%v)", s.ClinicName, err)
	}
	if n := e.count("audit_event"); n != trailBefore {
		t.Errorf("%d audit rows; want the %d from before the set-up", n, trailBefore)
	}
}

func (ct contract) setUpClinicNamesItAndMakesItsOwner(t *testing.T) {
	e := ct.env(t)
	owner, err := e.st.SetUpClinic(e.ctx, glowSetUp(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if owner.ID == 0 || owner.Name != "Ana Souza" || owner.Role != data.RoleOwner || !owner.Active || !owner.HasPassword {
		t.Fatalf("owner %+v", owner)
	}
	st, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil || st.ClinicName != "Glow & Co Clinic" {
		t.Fatalf("clinic name %q, %v", st.ClinicName, err)
	}
	if got, err := e.st.SignIn(e.ctx, owner.ID, "glow-and-co-2026"); err != nil || got.ID != owner.ID {
		t.Fatalf("the owner cannot sign in: %+v, %v", got, err)
	}
	if staff, _ := e.st.StaffList(e.ctx, data.SystemActor, true); len(staff) != 1 {
		t.Fatalf("staff %+v; want the owner alone", staff)
	}
	evs, err := e.st.AuditEvents(e.ctx, owner.ID, data.AuditFilter{Entity: data.EntitySettings, Action: data.ActionUpdate})
	if err != nil || len(evs) != 1 || evs[0].ActorID != owner.ID {
		t.Fatalf("the clinic's name should be recorded as the owner's: %+v, %v", evs, err)
	}

	// Once there is an owner, a second set-up is refused and changes nothing.
	trail := e.count("audit_event")
	again := data.ClinicSetup{ClinicName: "Someone Else's", OwnerName: "Someone Else", Password: "i am the owner now"}
	if _, err := e.st.SetUpClinic(e.ctx, again, nil); !errors.Is(err, data.ErrConflict) {
		t.Fatalf("a second set-up: %v; want ErrConflict", err)
	}
	if st, _ := e.st.Settings(e.ctx, data.SystemActor); st.ClinicName != "Glow & Co Clinic" || e.count("audit_event") != trail {
		t.Fatalf("a refused set-up changed the clinic (%q) or the trail", st.ClinicName)
	}
}

func (ct contract) setUpClinicRefusesWhatIsNotValid(t *testing.T) {
	e := ct.env(t)
	trail := e.count("audit_event")
	_, err := e.st.SetUpClinic(e.ctx, data.ClinicSetup{OwnerName: "Ana 123", Password: "short"}, nil)
	var fields []string
	for _, p := range data.FieldProblems(err) {
		fields = append(fields, p.Field)
	}
	if strings.Join(fields, " ") != "clinic_name name password" {
		t.Errorf("problems %v (%v); want clinic_name, name and password", fields, err)
	}
	e.nothingSetUp(trail)
}

func (ct contract) setUpClinicWithTheSampleClinic(t *testing.T) {
	e := ct.env(t)
	var last [2]int
	calls := 0
	progress := func(done, total int) { calls++; last = [2]int{done, total} }
	owner, err := e.st.SetUpClinic(e.ctx, glowSetUp(demo.Sample(func() time.Time { return TestNow })), progress)
	if err != nil {
		t.Fatal(err)
	}
	if calls < 2 || last != [2]int{demo.SampleClients, demo.SampleClients} {
		t.Errorf("progress heard %d times, last %v; want it to move to %d of %d", calls, last, demo.SampleClients, demo.SampleClients)
	}
	cs, err := e.st.FindClients(e.ctx, owner.ID, data.ClientFilter{State: data.AnyState, Limit: 1000})
	if err != nil || len(cs) != demo.SampleClients {
		t.Fatalf("%d clients, %v; want the sample's %d", len(cs), err, demo.SampleClients)
	}
	staff, _ := e.st.StaffList(e.ctx, data.SystemActor, true)
	roles := map[data.Role]int{}
	for _, s := range staff {
		roles[s.Role]++
		if s.Role == data.RoleOwner && s.ID != owner.ID {
			t.Errorf("the sample added an owner: %+v", s)
		}
	}
	if roles[data.RoleTechnician] == 0 || roles[data.RoleReceptionist] == 0 {
		t.Errorf("staff by role %v; want the sample's technicians and receptionists", roles)
	}
	if ps, _ := e.st.Products(e.ctx, data.SystemActor, false); len(ps) == 0 {
		t.Error("the sample clinic has no catalogue")
	}
	if st, _ := e.st.Settings(e.ctx, data.SystemActor); st.ClinicName != "Glow & Co Clinic" {
		t.Errorf("the sample renamed the clinic %q", st.ClinicName)
	}
	if n := e.count("session"); n == 0 {
		t.Error("the sample clients have no sessions")
	}
	// (data/sqlite checks its file after this set-up too:
	// TestSetUpClinicWithTheSampleClinicPassesCheck.)
	if rep, err := e.st.(ChainVerifier).VerifyAuditChain(e.ctx); err != nil || !rep.OK() {
		t.Fatalf("the audit trail after the set-up: %+v, %v", rep, err)
	}
}

func (ct contract) setUpClinicCancelledMidwayLeavesNothing(t *testing.T) {
	e := ct.env(t)
	trail := e.count("audit_event")
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	var heard atomic.Int32
	progress := func(done, total int) {
		if heard.Add(1) == 2 { // two batches of clients written
			cancel()
		}
	}
	_, err := e.st.SetUpClinic(ctx, glowSetUp(demo.Sample(func() time.Time { return TestNow })), progress)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled set-up: %v; want context.Canceled", err)
	}
	if heard.Load() < 2 {
		t.Fatalf("the sample stopped before it was cancelled (%d reports)", heard.Load())
	}
	e.nothingSetUp(trail)
}

func (ct contract) setUpClinicSampleFailingLeavesNothing(t *testing.T) {
	e := ct.env(t)
	trail := e.count("audit_event")
	failing := func(ctx context.Context, st data.SampleStore, progress func(done, total int)) error {
		staff, err := st.StaffList(ctx, data.SystemActor, false)
		if err != nil || len(staff) != 1 || staff[0].Name != "Ana Souza" {
			return errors.New("the set-up's own owner is not seen inside it")
		}
		if s, err := st.Settings(ctx, data.SystemActor); err != nil || s.ClinicName != "Glow & Co Clinic" {
			return errors.New("the set-up's own clinic name is not seen inside it")
		}
		c := data.Client{GivenName: "Zoë", FamilyName: "Adams", DateOfBirth: data.NewDate(1990, 3, 14), Phone: "+44 20 7946 0958"}
		if err := st.ImportClients(ctx, staff[0].ID, []data.Client{c}); err != nil {
			return err
		}
		return st.ImportClients(ctx, 999, []data.Client{c})
	}
	_, err := e.st.SetUpClinic(e.ctx, glowSetUp(failing), nil)
	if !errors.Is(err, data.ErrForbidden) {
		t.Fatalf("a failing sample: %v; want the refusal", err)
	}
	e.nothingSetUp(trail)
}
