package ui

import (
	"context"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
)

func TestWelcomeSavesClinicAndOwner(t *testing.T) {
	e := newStoreEnv(t)
	settingsChanges, staffChanges := countChanges(e, settingsChanged), countChanges(e, staffChanged)
	done := 0
	var signedIn data.Staff
	w := newWelcome(e.appEnv, func(owner data.Staff) { done++; signedIn = owner })
	w.show()
	if adminShows(e.w.Canvas().Overlays().Top(), "Fill NeedleDesk with a made-up sample clinic to try things out") {
		t.Error("without LoadSampleData there is nothing to offer")
	}

	test.Tap(w.startBtn)
	if w.fields.find("clinic_name").message.Text != "is required" || w.fields.find("name").message.Text != "is required" {
		t.Fatalf("empty names: %q, %q", w.fields.find("clinic_name").message.Text, w.fields.find("name").message.Text)
	}
	test.Type(w.clinic, "Glow & Co Clinic")
	test.Type(w.name, "Ana 123")
	test.Tap(w.startBtn)
	if got := w.fields.find("name").message.Text; got == "" {
		t.Fatal("a name with digits should get a message")
	}
	w.name.SetText("Ana Souza")
	test.Type(w.password, "short")
	test.Tap(w.startBtn)
	if got := w.fields.find("password").message.Text; got != data.CheckPassword("short") {
		t.Fatalf("short password message = %q", got)
	}
	w.password.SetText("glow-and-co-2026")
	test.Type(w.repeat, "glow-and-co-2025")
	test.Tap(w.startBtn)
	if got := w.fields.find("repeat").message.Text; got == "" {
		t.Fatal("a repeat that differs should get a message")
	}
	w.repeat.SetText("glow-and-co-2026")
	test.Tap(w.startBtn)
	e.q.waitFor(t, "the welcome to finish", func() bool { return done == 1 })

	st, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil || st.ClinicName != "Glow & Co Clinic" {
		t.Fatalf("store clinic name = %q, %v", st.ClinicName, err)
	}
	ana := findStaff(t, e, "Ana Souza")
	if ana.Role != data.RoleOwner || !ana.Active {
		t.Fatalf("owner saved as %+v", ana)
	}
	if signedIn.ID != ana.ID || e.settings.ClinicName != "Glow & Co Clinic" {
		t.Fatalf("signed in as %+v with clinic %q", signedIn, e.settings.ClinicName)
	}
	if _, err := e.st.SignIn(e.ctx, ana.ID, "glow-and-co-2026"); err != nil {
		t.Fatalf("the owner cannot sign in with the password chosen: %v", err)
	}
	if evs, err := e.st.AuditEvents(e.ctx, ana.ID, data.AuditFilter{ActorID: ana.ID, Action: data.ActionSignIn}); err != nil || len(evs) == 0 {
		t.Fatalf("the welcome's sign-in is not in the audit trail: %v, %v", evs, err)
	}
	if *settingsChanges == 0 || *staffChanges == 0 {
		t.Fatal("the welcome should publish settingsChanged and staffChanged")
	}
	if e.w.Canvas().Overlays().Top() != nil {
		t.Fatal("the welcome should close")
	}
}

func TestWelcomeLoadsSampleData(t *testing.T) {
	e := newStoreEnv(t)
	var calls atomic.Int32
	e.deps.LoadSampleData = func(ctx context.Context, progress func(done, total int)) error {
		calls.Add(1)
		for i := 1; i <= 4; i++ {
			progress(i, 4)
		}
		return nil
	}
	clients, products := countChanges(e, clientChanged), countChanges(e, productChanged)
	done := 0
	w := newWelcome(e.appEnv, func(data.Staff) { done++ })
	w.show()
	test.Type(w.clinic, "Glow & Co Clinic")
	test.Type(w.name, "Ana Souza")
	test.Type(w.password, "glow-and-co-2026")
	test.Type(w.repeat, "glow-and-co-2026")
	test.Tap(w.sample)
	test.Tap(w.startBtn)
	e.q.waitFor(t, "the sample clinic to load", func() bool { return done == 1 })
	if calls.Load() != 1 {
		t.Fatalf("LoadSampleData ran %d times, want once", calls.Load())
	}
	if *clients == 0 || *products == 0 {
		t.Fatal("after the sample clinic, clients and products should refresh")
	}
	if st, _ := e.st.Settings(e.ctx, data.SystemActor); st.ClinicName != "Glow & Co Clinic" {
		t.Fatalf("clinic name = %q", st.ClinicName)
	}
	if e.w.Canvas().Overlays().Top() != nil {
		t.Fatal("the progress dialog should close")
	}
}

func TestWelcomeOnlyWhileNoOwnerCanSignIn(t *testing.T) {
	e := newStoreEnv(t)
	m := newShellWindowSignedOut(t, e)
	e.q.waitFor(t, "the welcome, as no owner has a password yet", func() bool {
		return adminShows(m.window.Canvas().Overlays().Top(), "Welcome to NeedleDesk")
	})
	m.close()

	e2 := newStoreEnv(t)
	owner := e2.staffByRole(t, data.RoleOwner)
	if err := e2.st.SetPassword(e2.ctx, data.SystemActor, owner.ID, "lumen-owner-1"); err != nil {
		t.Fatal(err)
	}
	m2 := newShellWindowSignedOut(t, e2)
	e2.q.waitFor(t, "the sign-in screen's staff list", func() bool { return len(m2.signIn.who.Options) == 3 })
	if top := m2.window.Canvas().Overlays().Top(); top != nil {
		t.Fatal("with an owner who can sign in, no welcome should show")
	}
}
