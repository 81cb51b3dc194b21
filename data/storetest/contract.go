package storetest

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

func zoe() data.Client {
	return data.Client{GivenName: "Zoë", FamilyName: "Adams", DateOfBirth: data.NewDate(1990, time.March, 14),
		Phone: "+44 20 7946 0958", Email: "zoe@example.com", SkinType: 2, Concerns: []data.Concern{data.ConcernAcneScars},
		Allergies: "latex", Notes: "prefers mornings", EmailReminders: true,
		Contra: data.Contraindications{KeloidTendency: true}}
}

func staff(t *testing.T, st data.Store, name string, role data.Role) data.Staff {
	t.Helper()
	s := data.Staff{Name: name, Role: role, Active: true}
	if err := st.CreateStaff(t.Context(), data.SystemActor, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func (c contract) clientsRoundTrip(t *testing.T) {
	st := c.store(t)
	in := zoe()
	if err := st.CreateClient(t.Context(), data.SystemActor, &in); err != nil {
		t.Fatal(err)
	}
	if in.ID == 0 || in.Version != 1 || in.CreatedAt.IsZero() {
		t.Fatalf("created client: ID %d, version %d, created %v", in.ID, in.Version, in.CreatedAt)
	}
	got, err := st.Client(t.Context(), data.SystemActor, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("read back\n%+v\nsaved\n%+v", got, in)
	}
	got.Phone = "020 7946 0000"
	if err := st.UpdateClient(t.Context(), data.SystemActor, &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 {
		t.Errorf("version after a save: %d; want 2", got.Version)
	}
	again, err := st.Client(t.Context(), data.SystemActor, in.ID)
	if err != nil || again.Phone != "020 7946 0000" || again.Version != 2 {
		t.Errorf("after the save: %+v, %v", again, err)
	}
	if _, err := st.Client(t.Context(), data.SystemActor, in.ID+100); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("a client that does not exist: %v; want ErrNotFound", err)
	}
	bad := data.Client{FamilyName: "Nobody"}
	if err := st.CreateClient(t.Context(), data.SystemActor, &bad); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a client without a given name or birth date: %v; want ErrInvalid", err)
	}
}

func (c contract) archive(t *testing.T) {
	st := c.store(t)
	z := zoe()
	if err := st.CreateClient(t.Context(), data.SystemActor, &z); err != nil {
		t.Fatal(err)
	}
	for range 2 { // archiving twice is no error
		if err := st.ArchiveClient(t.Context(), data.SystemActor, z.ID); err != nil {
			t.Fatal(err)
		}
	}
	cur, _ := st.FindClients(t.Context(), data.SystemActor, data.ClientFilter{})
	arch, _ := st.FindClients(t.Context(), data.SystemActor, data.ClientFilter{State: data.ArchivedOnly})
	if len(cur) != 0 || len(arch) != 1 || !arch[0].Archived {
		t.Errorf("current %v, archived %v; want none and Zoë", cur, arch)
	}
	if err := st.ArchiveClient(t.Context(), data.SystemActor, z.ID+9); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("archiving a client that does not exist: %v", err)
	}
	events, err := st.AuditEvents(t.Context(), data.SystemActor, data.AuditFilter{ClientID: z.ID, Action: data.ActionArchive})
	if err != nil || len(events) != 1 {
		t.Errorf("archive events: %d, %v; want one", len(events), err)
	}
}

func (c contract) conflictFromTwoHandles(t *testing.T) {
	st := c.store(t)
	other := c.again(t, st, nil)
	t.Cleanup(func() { _ = other.Close() })
	anna := staff(t, st, "Anna", data.RoleReceptionist)
	z := zoe()
	if err := st.CreateClient(t.Context(), data.SystemActor, &z); err != nil {
		t.Fatal(err)
	}
	here, err := st.Client(t.Context(), anna.ID, z.ID)
	if err != nil {
		t.Fatal(err)
	}
	there, err := other.Client(t.Context(), anna.ID, z.ID)
	if err != nil {
		t.Fatal(err)
	}
	there.Phone = "0161 496 0000"
	if err := other.UpdateClient(t.Context(), anna.ID, &there); err != nil {
		t.Fatal(err)
	}
	here.Email = "zoe@elsewhere.example"
	err = st.UpdateClient(t.Context(), data.SystemActor, &here)
	var conflict *data.ConflictError
	if !errors.As(err, &conflict) || !errors.Is(err, data.ErrConflict) {
		t.Fatalf("saving over a change from the other workstation: %v; want a *ConflictError", err)
	}
	if conflict.By != "Anna" || conflict.At.IsZero() {
		t.Errorf("the conflict names %q at %v; want Anna and a time", conflict.By, conflict.At)
	}
	now, _ := st.Client(t.Context(), data.SystemActor, z.ID)
	if now.Phone != "0161 496 0000" || now.Email != "zoe@example.com" || now.Version != 2 {
		t.Errorf("after the refused save: phone %q, e-mail %q, version %d", now.Phone, now.Email, now.Version)
	}
	// Reloaded, the save goes through.
	now.Email = "zoe@elsewhere.example"
	if err := st.UpdateClient(t.Context(), data.SystemActor, &now); err != nil || now.Version != 3 {
		t.Errorf("saving after reloading: version %d, %v", now.Version, err)
	}
}

func (c contract) receptionistClinical(t *testing.T) {
	st := c.store(t)
	anna := staff(t, st, "Anna", data.RoleReceptionist)
	z := zoe()
	if err := st.CreateClient(t.Context(), data.SystemActor, &z); err != nil {
		t.Fatal(err)
	}
	z.Allergies = "none"
	if err := st.UpdateClient(t.Context(), anna.ID, &z); !errors.Is(err, data.ErrForbidden) {
		t.Fatalf("a receptionist changing allergies: %v; want ErrForbidden", err)
	}
	got, _ := st.Client(t.Context(), data.SystemActor, z.ID)
	if got.Allergies != "latex" || got.Version != 1 {
		t.Errorf("the refused change was saved: %q, version %d", got.Allergies, got.Version)
	}
	denied, err := st.AuditEvents(t.Context(), data.SystemActor, data.AuditFilter{Action: data.ActionDenied, ActorID: anna.ID})
	if err != nil || len(denied) != 1 || denied[0].ClientID != z.ID || denied[0].Detail == "" {
		t.Errorf("denied rows: %+v, %v; want one about Zoë with words", denied, err)
	}
	// Contact details are hers to change.
	got.Phone = "0113 496 0000"
	if err := st.UpdateClient(t.Context(), anna.ID, &got); err != nil {
		t.Errorf("a receptionist changing the phone number: %v", err)
	}
	if _, err := st.AuditEvents(t.Context(), anna.ID, data.AuditFilter{}); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("a receptionist reading the audit trail: %v; want ErrForbidden", err)
	}
}

func (c contract) unknownActor(t *testing.T) {
	st := c.store(t)
	z := zoe()
	if err := st.CreateClient(t.Context(), 4242, &z); !errors.Is(err, data.ErrForbidden) {
		t.Fatalf("an unknown actor adding a client: %v", err)
	}
	found, _ := st.FindClients(t.Context(), data.SystemActor, data.ClientFilter{State: data.AnyState})
	if len(found) != 0 {
		t.Errorf("the refused client was saved: %v", found)
	}
	denied, _ := st.AuditEvents(t.Context(), data.SystemActor, data.AuditFilter{Action: data.ActionDenied})
	if len(denied) != 1 || denied[0].ActorID != 4242 || denied[0].Entity != data.EntityClient {
		t.Errorf("denied rows: %+v; want one by 4242 against clients", denied)
	}
}

func (c contract) auditChainVerifies(t *testing.T) {
	st := c.store(t)
	v, ok := st.(ChainVerifier)
	if !ok {
		t.Fatal("the store cannot verify its audit trail")
	}
	other := c.again(t, st, nil)
	t.Cleanup(func() { _ = other.Close() })
	for i, s := range []data.Store{st, other, st, other} {
		z := zoe()
		z.GivenName = strings.Repeat("Zoë", i+1)
		if err := s.CreateClient(t.Context(), data.SystemActor, &z); err != nil {
			t.Fatal(err)
		}
		if _, err := s.OpenClientRecord(t.Context(), data.SystemActor, z.ID); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := v.VerifyAuditChain(t.Context())
	if err != nil || !rep.OK() {
		t.Fatalf("the chain: %+v, %v", rep, err)
	}
	all, err := st.AuditEvents(t.Context(), data.SystemActor, data.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(all)) != rep.Events || len(all) < 9 {
		t.Errorf("the chain holds %d events, the trail lists %d", rep.Events, len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID >= all[i-1].ID {
			t.Fatalf("the trail is not newest first: %d then %d", all[i-1].ID, all[i].ID)
		}
	}
}

func (c contract) search(t *testing.T) {
	st := c.store(t)
	people := []data.Client{
		{GivenName: "Zoë", FamilyName: "Adams", Phone: "+44 20 7946 0958", Email: "zoe@example.com"},
		{GivenName: "Émile", FamilyName: "de Vries", Phone: "0161 496 0123"},
		{GivenName: "Chloé", FamilyName: "Ó Briain", Email: "chloe.obriain@example.ie"},
		{GivenName: "Zoe", FamilyName: "Zimmer", Email: "zz@example.org"},
		{GivenName: "Anna", FamilyName: "Smith-Jones", Email: "anna@example.org"},
		{GivenName: "王", FamilyName: "小明", Email: "w@example.org"},
	}
	for i := range people {
		people[i].DateOfBirth = data.NewDate(1980+i, time.May, 1)
		if err := st.CreateClient(t.Context(), data.SystemActor, &people[i]); err != nil {
			t.Fatal(err)
		}
	}
	for q, want := range map[string][]string{
		"zoe":        {"Zoë Adams", "Zoe Zimmer"},
		"ZOË":        {"Zoë Adams", "Zoe Zimmer"},
		"zo":         {"Zoë Adams", "Zoe Zimmer"},
		"z":          {"Zoë Adams", "Zoe Zimmer"},
		"emile":      {"Émile de Vries"},
		"vries emi":  {"Émile de Vries"},
		"de v":       {"Émile de Vries"},
		"obri":       {"Chloé Ó Briain"},
		"o briain":   {"Chloé Ó Briain"},
		"jones":      {"Anna Smith-Jones"},
		"example.ie": {"Chloé Ó Briain"},
		"7946":       {"Zoë Adams"},
		"0161 496":   {"Émile de Vries"},
		"%":          nil,
		"r_s":        nil,
		"_":          nil,
		"小明":         {"小明王"},
		"nobody":     nil,
		"":           {"Zoë Adams", "Émile de Vries", "Chloé Ó Briain", "Anna Smith-Jones", "Zoe Zimmer", "小明王"},
	} {
		found, err := st.FindClients(t.Context(), data.SystemActor, data.ClientFilter{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range found {
			names = append(names, data.Client{GivenName: f.GivenName, FamilyName: f.FamilyName}.FullName())
		}
		if !reflect.DeepEqual(names, want) {
			t.Errorf("search %q found %q; want %q", q, names, want)
		}
	}
	page, _ := st.FindClients(t.Context(), data.SystemActor, data.ClientFilter{Limit: 2, Offset: 2})
	if len(page) != 2 || page[0].FamilyName != "Ó Briain" || page[1].FamilyName != "Smith-Jones" {
		t.Errorf("the second page of two: %+v", page)
	}
}

func (c contract) settings(t *testing.T) {
	st := c.store(t)
	other := c.again(t, st, nil)
	t.Cleanup(func() { _ = other.Close() })
	owner := staff(t, st, "Olive", data.RoleOwner)
	tech := staff(t, st, "Theo", data.RoleTechnician)
	s, err := st.Settings(t.Context(), tech.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.ClinicName, data.DefaultSettings().ClinicName) {
		t.Errorf("a new clinic's name: %q", s.ClinicName)
	}
	s.ClinicName = "Needle & Glow"
	if err := st.SaveSettings(t.Context(), tech.ID, &s); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("a technician saving settings: %v; want ErrForbidden", err)
	}
	stale := s
	if err := st.SaveSettings(t.Context(), owner.ID, &s); err != nil {
		t.Fatal(err)
	}
	if s.Version != stale.Version+1 {
		t.Errorf("version %d after saving %d", s.Version, stale.Version)
	}
	stale.Phone = "0113 496 0999"
	var conflict *data.ConflictError
	if err := other.SaveSettings(t.Context(), data.SystemActor, &stale); !errors.As(err, &conflict) || conflict.By != "Olive" {
		t.Errorf("saving settings read before the owner's save: %v; want a conflict naming Olive", err)
	}
	si, err := other.SignInSettings(t.Context())
	if err != nil || si.ClinicName != "Needle & Glow" {
		t.Errorf("sign-in settings on the other handle: %+v, %v", si, err)
	}
	back, _ := other.Settings(t.Context(), owner.ID)
	back.Version, s.Version = 0, 0
	if !reflect.DeepEqual(back, s) {
		t.Errorf("settings read back differ:\n%+v\n%+v", back, s)
	}
}

func (c contract) accounts(t *testing.T) {
	st := c.store(t)
	if need, err := st.NeedsOwner(t.Context()); err != nil || !need {
		t.Fatalf("a new clinic needs an owner: %v, %v", need, err)
	}
	owner, err := st.CreateFirstOwner(t.Context(), "Olive", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateFirstOwner(t.Context(), "Mallory", "another good password"); !errors.Is(err, data.ErrConflict) {
		t.Errorf("a second first owner: %v; want ErrConflict", err)
	}
	if need, _ := st.NeedsOwner(t.Context()); need {
		t.Error("still needs an owner")
	}
	in, err := st.SignIn(t.Context(), owner.ID, "correct horse battery")
	if err != nil || in.ID != owner.ID || in.Role != data.RoleOwner || !in.HasPassword {
		t.Fatalf("signing in: %+v, %v", in, err)
	}
	if _, err := st.SignIn(t.Context(), owner.ID, "wrong"); !errors.Is(err, data.ErrWrongPassword) {
		t.Errorf("a wrong password: %v", err)
	}
	if _, err := st.SignIn(t.Context(), 999, "x"); !errors.Is(err, data.ErrUnknownStaff) {
		t.Errorf("someone not on the staff list: %v", err)
	}
	theo := staff(t, st, "Theo", data.RoleTechnician)
	if _, err := st.SignIn(t.Context(), theo.ID, "x"); !errors.Is(err, data.ErrNoPassword) {
		t.Errorf("an account without a password: %v", err)
	}
	if err := st.SetPassword(t.Context(), theo.ID, owner.ID, "a new owner password"); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("a technician setting the owner's password: %v", err)
	}
	if err := st.SetPassword(t.Context(), owner.ID, theo.ID, "theo's own password"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SignIn(t.Context(), theo.ID, "theo's own password"); err != nil {
		t.Errorf("signing in with the password the owner set: %v", err)
	}
	if err := st.SignOut(t.Context(), theo.ID); err != nil {
		t.Error(err)
	}
	if err := st.RecordLock(t.Context(), theo.ID, data.LockedWhenIdle); err != nil {
		t.Error(err)
	}
	names, _ := st.SignInList(t.Context())
	if len(names) != 2 || names[0].Name != "Olive" || names[1].Name != "Theo" {
		t.Errorf("sign-in list: %+v", names)
	}
	for action, want := range map[data.Action]int{data.ActionSignIn: 2, data.ActionSignInFailed: 3, data.ActionSignOut: 1, data.ActionLock: 1, data.ActionPasswordSet: 2} {
		got, _ := st.AuditEvents(t.Context(), owner.ID, data.AuditFilter{Action: action})
		if len(got) != want {
			t.Errorf("%s events: %d; want %d", action, len(got), want)
		}
	}
}

func (c contract) lastOwner(t *testing.T) {
	st := c.store(t)
	owner, err := st.CreateFirstOwner(t.Context(), "Olive", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	owner, err = st.StaffMember(t.Context(), owner.ID, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	owner.Role = data.RoleTechnician
	if err := st.UpdateStaff(t.Context(), owner.ID, &owner); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("the only owner making herself a technician: %v; want ErrInvalid", err)
	}
	all, err := st.StaffList(t.Context(), data.SystemActor, true)
	if err != nil || len(all) != 1 || all[0].Role != data.RoleOwner {
		t.Errorf("staff after the refusal: %+v, %v", all, err)
	}
}
