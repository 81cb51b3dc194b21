package sqlite_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"needledesk/data"
)

// fullClient sets every field, so a round trip proves each column.
func fullClient() data.Client {
	return validClient(func(c *data.Client) {
		c.Address = "12 Harbour Lane\nBrighton BN1 2AB"
		c.SkinType = 3
		c.Concerns = []data.Concern{data.ConcernAcneScars, data.ConcernPigmentation}
		c.Allergies = "Lidocaine"
		c.Medications = "Levothyroxine"
		c.MedicalNotes = "Thyroid; stable.\tChecked 2026."
		c.Contra = data.Contraindications{
			Isotretinoin: true, IsotretinoinStopped: data.NewDate(2025, time.January, 31),
			PregnantOrNursing: true, Anticoagulants: true, KeloidTendency: true, ActiveInfection: true,
			MetalAllergy: true, RecentActives: true, RecentActivesOn: data.NewDate(2026, time.November, 1),
			RecentActivesWhat: "Glycolic peel",
		}
		c.Consent = data.Consent{SignedOn: data.NewDate(2026, time.October, 2), FormVersion: "2025-1"}
		c.Notes = "Prefers mornings."
	})
}

func TestCreateClientRoundTripsEveryField(t *testing.T) {
	e := newEnv(t)
	c := fullClient()
	tech := e.technician()
	if err := e.st.CreateClient(e.ctx, tech.ID, &c); err != nil {
		t.Fatal(err)
	}
	if c.ID == 0 || !c.CreatedAt.Equal(testNow) || !c.UpdatedAt.Equal(testNow) {
		t.Errorf("after create: ID %d, created %v, updated %v", c.ID, c.CreatedAt, c.UpdatedAt)
	}
	got, err := e.st.Client(e.ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, c)
	}
	e.wantAudit(tech.ID, data.ActionCreate, data.EntityClient, c.ID)
}

func TestClientNamesRoundTripByteExact(t *testing.T) {
	e := newEnv(t)
	names := [][2]string{{"Zoë", "Smith"}, {"Łukasz", "Wiśniewski"}, {"Seán", "O'Brien"},
		{"José-María", "García"}, {"芳", "王"}, {"Anne", "O’Neill"}, {"Thị Lan", "Nguyễn"}}
	for _, n := range names {
		c := e.client(named(n[0], n[1]))
		got, err := e.st.Client(e.ctx, data.SystemActor, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.GivenName != n[0] || got.FamilyName != n[1] {
			t.Errorf("saved %q %q, read back %q %q", n[0], n[1], got.GivenName, got.FamilyName)
		}
	}
}

func TestCreateClientRefusesInvalidAndWritesNothing(t *testing.T) {
	e := newEnv(t)
	before := e.counts("client", "audit_event")
	c := validClient(func(c *data.Client) { c.DateOfBirth = today.AddDays(1) })
	err := e.st.CreateClient(e.ctx, data.SystemActor, &c)
	e.refused(err, "date_of_birth", before)
	if c.ID != 0 {
		t.Errorf("a refused client got ID %d", c.ID)
	}
}

func TestCreateClientIgnoresArchivedAt(t *testing.T) {
	e := newEnv(t)
	c := e.client(func(c *data.Client) { c.ArchivedAt = testNow })
	if got, _ := e.st.Client(e.ctx, data.SystemActor, c.ID); got.Archived() {
		t.Error("a new client was stored archived")
	}
}

func TestUpdateClient(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	e.clock.Advance(time.Hour)
	c.FamilyName = "Łukaszewicz"
	c.Concerns = []data.Concern{data.ConcernLaxity}
	c.CreatedAt = time.Time{} // the store keeps the original, whatever the caller sends
	tech := e.technician()    // concerns are clinical
	if err := e.st.UpdateClient(e.ctx, tech.ID, &c); err != nil {
		t.Fatal(err)
	}
	if !c.CreatedAt.Equal(testNow) || !c.UpdatedAt.Equal(testNow.Add(time.Hour)) {
		t.Errorf("after update: created %v, updated %v", c.CreatedAt, c.UpdatedAt)
	}
	got, err := e.st.Client(e.ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, c)
	}
	e.wantAudit(tech.ID, data.ActionUpdate, data.EntityClient, c.ID)
	found := e.find(data.ClientFilter{Text: "lukaszewicz"})
	if len(found) != 1 {
		t.Errorf("search does not see the new family name: %v", found)
	}
}

func TestUpdateClientRefusals(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	before := e.counts("audit_event")

	bad := c
	bad.GivenName = "Zoë2"
	e.refused(e.st.UpdateClient(e.ctx, data.SystemActor, &bad), "given_name", before)

	missing := c
	missing.ID = c.ID + 100
	if err := e.st.UpdateClient(e.ctx, data.SystemActor, &missing); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("updating a missing client: %v; want ErrNotFound", err)
	}
	if got := e.count("audit_event"); got != before["audit_event"] {
		t.Errorf("refused updates wrote %d audit rows", got-before["audit_event"])
	}
	if got, _ := e.st.Client(e.ctx, data.SystemActor, c.ID); got.GivenName != "Zoë" {
		t.Errorf("a refused update changed the client: %q", got.GivenName)
	}
}

func TestArchiveClient(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	boss := e.owner()
	e.clock.Advance(time.Minute)
	if err := e.st.ArchiveClient(e.ctx, boss.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(boss.ID, data.ActionArchive, data.EntityClient, c.ID)
	got, err := e.st.Client(e.ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatalf("an archived client cannot be read: %v", err)
	}
	archivedAt := testNow.Add(time.Minute)
	if !got.ArchivedAt.Equal(archivedAt) {
		t.Errorf("ArchivedAt = %v; want %v", got.ArchivedAt, archivedAt)
	}

	// Archiving again changes nothing and writes no second audit row.
	audits := e.count("audit_event")
	e.clock.Advance(time.Minute)
	if err := e.st.ArchiveClient(e.ctx, boss.ID, c.ID); err != nil {
		t.Errorf("archiving twice: %v", err)
	}
	if n := e.count("audit_event"); n != audits {
		t.Errorf("archiving twice wrote %d audit rows", n-audits)
	}
	if got, _ := e.st.Client(e.ctx, data.SystemActor, c.ID); !got.ArchivedAt.Equal(archivedAt) {
		t.Errorf("archiving twice moved the date to %v", got.ArchivedAt)
	}

	if err := e.st.ArchiveClient(e.ctx, boss.ID, c.ID+100); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("archiving a missing client: %v; want ErrNotFound", err)
	}
}

func TestUpdateKeepsArchived(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if err := e.st.ArchiveClient(e.ctx, data.SystemActor, c.ID); err != nil {
		t.Fatal(err)
	}
	c.Notes = "moved away"
	if err := e.st.UpdateClient(e.ctx, data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	if !c.Archived() {
		t.Error("an update restored an archived client")
	}
}

func TestClientNotFound(t *testing.T) {
	e := newEnv(t)
	for _, id := range []int64{0, -1, 12345} {
		if _, err := e.st.Client(e.ctx, data.SystemActor, id); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("Client(%d): %v; want ErrNotFound", id, err)
		}
	}
}
