package desktop

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/mail/mailtest"
	"needledesk/data/storeopen"
)

// TestWindowSendsTheOutboxWhilePoked: opening the clinic as the window
// does starts the outbox's sender on the store; a booking's confirmation
// reaches a real SMTP server run by the test as soon as the book pokes it
// (the worker's own round comes only every 30 seconds), is marked sent,
// and closing the clinic stops the sender before the store closes.
func TestWindowSendsTheOutboxWhilePoked(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	srv := mailtest.Start(t, "desk@lumenskin.example", "right password")
	path := filepath.Join(t.TempDir(), "clinic.db")
	ids := prepareClinic(t, path, srv.Port)

	var stderr bytes.Buffer
	deps, closeDB, err := clinicFor(path, &stderr).Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if deps.PokeOutbox == nil {
		closeDB(false)
		t.Fatal("the window's deps have no way to poke the outbox's sender")
	}
	time.Sleep(200 * time.Millisecond) // let the round at start-up find nothing, so only the poke can send
	a := data.Appointment{ClientID: ids.client, TechnicianID: ids.tech, TreatmentID: ids.treatment,
		Start: time.Now().Add(72 * time.Hour).Truncate(time.Hour), Minutes: 60}
	if err := deps.Store.BookAppointment(t.Context(), data.SystemActor, &a); err != nil {
		closeDB(false)
		t.Fatal(err)
	}
	deps.PokeOutbox()
	waitFor(t, "the confirmation at the server", func() bool { return len(srv.Messages()) > 0 })
	got := srv.Messages()[0]
	if len(got.To) != 1 || got.To[0] != "ada@example.com" || !strings.Contains(got.Data, "Content-Type: text/calendar") {
		t.Errorf("the server received %+v", got)
	}
	waitFor(t, "the message marked sent", func() bool {
		ms, err := deps.Store.Outbox(t.Context(), ids.owner, data.OutboxFilter{State: data.OutboxSent})
		return err == nil && len(ms) == 1 && ms[0].Kind == data.MessageConfirmation
	})
	closeDB(false) // returns once the sender has stopped
	if st, err := storeopen.Open(t.Context(), path); err != nil {
		t.Errorf("the clinic does not open again after closing: %v", err)
	} else {
		st.Close()
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
}

type clinicIDs struct{ owner, tech, client, treatment int64 }

// prepareClinic makes a clinic whose e-mail goes to the test's server on
// port, with an owner, a technician, a treatment and a client who agreed
// to e-mail reminders.
func prepareClinic(t *testing.T, path string, port int) clinicIDs {
	t.Helper()
	ctx := t.Context()
	st, err := storeopen.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Settings(ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	s.ClinicName = "Lumen Skin Studio"
	s.Mail.Host, s.Mail.Port, s.Mail.Security = "127.0.0.1", port, data.SecurityNone
	s.Mail.User, s.Mail.Password, s.Mail.From = "desk@lumenskin.example", "right password", "desk@lumenskin.example"
	if err := st.SaveSettings(ctx, data.SystemActor, &s); err != nil {
		t.Fatal(err)
	}
	var ids clinicIDs
	for _, p := range []data.Staff{{Name: "Maya Lindqvist", Role: data.RoleOwner, Active: true}, {Name: "Priya Raman", Role: data.RoleTechnician, Active: true}} {
		if err := st.CreateStaff(ctx, data.SystemActor, &p); err != nil {
			t.Fatal(err)
		}
		if p.Role == data.RoleOwner {
			ids.owner = p.ID
		} else {
			ids.tech = p.ID
		}
	}
	treat := data.TreatmentType{Name: "Face", DefaultMinutes: 60, Needling: true, Active: true}
	if err := st.CreateTreatmentType(ctx, data.SystemActor, &treat); err != nil {
		t.Fatal(err)
	}
	c := data.Client{GivenName: "Ada", FamilyName: "Lovelace", DateOfBirth: data.NewDate(1990, 3, 14),
		Phone: "+44 20 7946 0958", Email: "ada@example.com", EmailReminders: true}
	if err := st.CreateClient(ctx, data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	ids.client, ids.treatment = c.ID, treat.ID
	return ids
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
