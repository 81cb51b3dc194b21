package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
)

func TestWelcomeSavesClinicAndOwner(t *testing.T) {
	e := newStoreEnv(t)
	settingsChanges, staffChanges := uitest.CountEvents[screen.SettingsChanged](e.Events), uitest.CountEvents[screen.StaffChanged](e.Events)
	done := 0
	var signedIn data.Staff
	w := newWelcome(e.appEnv, func(owner data.Staff) { done++; signedIn = owner })
	w.show()
	if uitest.Shows(e.w.Canvas().Overlays().Top(), "Fill NeedleDesk with a made-up sample clinic to try things out") {
		t.Error("without LoadSampleData there is nothing to offer")
	}

	test.Tap(w.startBtn)
	if w.fields.Find("clinic_name").Message.Text != "is required" || w.fields.Find("name").Message.Text != "is required" {
		t.Fatalf("empty names: %q, %q", w.fields.Find("clinic_name").Message.Text, w.fields.Find("name").Message.Text)
	}
	test.Type(w.clinic, "Glow & Co Clinic")
	test.Type(w.name, "Ana 123")
	test.Tap(w.startBtn)
	if got := w.fields.Find("name").Message.Text; got == "" {
		t.Fatal("a name with digits should get a message")
	}
	w.name.SetText("Ana Souza")
	test.Type(w.password, "short")
	test.Tap(w.startBtn)
	if got := w.fields.Find("password").Message.Text; got != data.CheckPassword("short") {
		t.Fatalf("short password message = %q", got)
	}
	w.password.SetText("glow-and-co-2026")
	test.Type(w.repeat, "glow-and-co-2025")
	test.Tap(w.startBtn)
	if got := w.fields.Find("repeat").Message.Text; got == "" {
		t.Fatal("a repeat that differs should get a message")
	}
	w.repeat.SetText("glow-and-co-2026")
	test.Tap(w.startBtn)
	e.q.WaitFor(t, "the welcome to finish", func() bool { return done == 1 })

	st, err := e.st.Settings(e.Ctx, data.SystemActor)
	if err != nil || st.ClinicName != "Glow & Co Clinic" {
		t.Fatalf("store clinic name = %q, %v", st.ClinicName, err)
	}
	ana := e.c.StaffNamed(t, "Ana Souza")
	if ana.Role != data.RoleOwner || !ana.Active {
		t.Fatalf("owner saved as %+v", ana)
	}
	if signedIn.ID != ana.ID || e.Settings.ClinicName != "Glow & Co Clinic" {
		t.Fatalf("signed in as %+v with clinic %q", signedIn, e.Settings.ClinicName)
	}
	if _, err := e.st.SignIn(e.Ctx, ana.ID, "glow-and-co-2026"); err != nil {
		t.Fatalf("the owner cannot sign in with the password chosen: %v", err)
	}
	if evs, err := e.st.AuditEvents(e.Ctx, ana.ID, data.AuditFilter{ActorID: ana.ID, Action: data.ActionSignIn}); err != nil || len(evs) == 0 {
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
	e.deps.LoadSampleData = func(ctx context.Context, _ data.SampleStore, progress func(done, total int)) error {
		calls.Add(1)
		for i := 1; i <= 4; i++ {
			progress(i, 4)
		}
		return nil
	}
	clients, products := uitest.CountEvents[screen.ClientChanged](e.Events), uitest.CountEvents[screen.ProductChanged](e.Events)
	done := 0
	w := newWelcome(e.appEnv, func(data.Staff) { done++ })
	w.show()
	test.Type(w.clinic, "Glow & Co Clinic")
	test.Type(w.name, "Ana Souza")
	test.Type(w.password, "glow-and-co-2026")
	test.Type(w.repeat, "glow-and-co-2026")
	test.Tap(w.sample)
	test.Tap(w.startBtn)
	e.q.WaitFor(t, "the sample clinic to load", func() bool { return done == 1 })
	if calls.Load() != 1 {
		t.Fatalf("LoadSampleData ran %d times, want once", calls.Load())
	}
	if *clients == 0 || *products == 0 {
		t.Fatal("after the sample clinic, clients and products should refresh")
	}
	if st, _ := e.st.Settings(e.Ctx, data.SystemActor); st.ClinicName != "Glow & Co Clinic" {
		t.Fatalf("clinic name = %q", st.ClinicName)
	}
	if e.w.Canvas().Overlays().Top() != nil {
		t.Fatal("the progress dialog should close")
	}
}

func TestWelcomeOnlyWhileNoOwnerCanSignIn(t *testing.T) {
	e := newStoreEnv(t)
	m := newShellWindowSignedOut(t, e)
	e.q.WaitFor(t, "the welcome, as no owner has a password yet", func() bool {
		return uitest.Shows(m.window.Canvas().Overlays().Top(), "Welcome to NeedleDesk")
	})
	m.close()

	e2 := newStoreEnv(t)
	owner := e2.c.StaffByRole(t, data.RoleOwner)
	if err := e2.st.SetPassword(e2.Ctx, data.SystemActor, owner.ID, "lumen-owner-1"); err != nil {
		t.Fatal(err)
	}
	m2 := newShellWindowSignedOut(t, e2)
	e2.q.WaitFor(t, "the sign-in screen's staff list", func() bool { return len(m2.signIn.who.Options) == 3 })
	if top := m2.window.Canvas().Overlays().Top(); top != nil {
		t.Fatal("with an owner who can sign in, no welcome should show")
	}
}

// welcomeTyped opens the welcome and types a clinic, an owner and a
// password, with the sample clinic asked for.
func welcomeTyped(t *testing.T, e *storeEnv, done *int) *welcome {
	t.Helper()
	w := newWelcome(e.appEnv, func(data.Staff) { *done++ })
	w.show()
	test.Type(w.clinic, "Glow & Co Clinic")
	test.Type(w.name, "Ana Souza")
	test.Type(w.password, "glow-and-co-2026")
	test.Type(w.repeat, "glow-and-co-2026")
	test.Tap(w.sample)
	return w
}

// TestWelcomeSampleCancelledSavesNothing: Cancel while the sample clinic
// is being written undoes the whole set-up: no owner, no clients, the
// clinic's name as it was, and the welcome back to start again.
func TestWelcomeSampleCancelledSavesNothing(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.LoadSampleData = func(ctx context.Context, st data.SampleStore, progress func(done, total int)) error {
		staff, err := st.StaffList(ctx, data.SystemActor, false)
		if err != nil {
			return err
		}
		c := data.Client{GivenName: "Made", FamilyName: "Up", DateOfBirth: data.NewDate(1990, 3, 14), Phone: "+44 20 7946 0958"}
		if err := st.ImportClients(ctx, staff[0].ID, []data.Client{c}); err != nil {
			return err
		}
		progress(1, 300)
		<-ctx.Done() // the rest would take a while
		return ctx.Err()
	}
	done := 0
	w := welcomeTyped(t, e, &done)
	test.Tap(w.startBtn)
	e.q.WaitFor(t, "the progress bar", func() bool {
		return uitest.Shows(e.w.Canvas().Overlays().Top(), "Adding made-up clients, their treatments and a product catalogue…")
	})
	test.Tap(uitest.Button(t, e.w, "Cancel"))
	e.q.WaitFor(t, "the welcome again", func() bool { return strings.HasPrefix(w.summary.Text, "Setting up stopped, and nothing was saved") })
	if done != 0 || w.clinic.Disabled() || w.name.Disabled() {
		t.Fatalf("finished %d times; clinic or name locked: the set-up should be open to try again", done)
	}
	staff, err := e.st.StaffList(e.Ctx, data.SystemActor, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range staff {
		if s.Name == "Ana Souza" {
			t.Fatalf("the owner was kept: %+v", s)
		}
	}
	if cs, err := e.st.FindClients(e.Ctx, data.SystemActor, data.ClientFilter{State: data.AnyState}); err != nil || len(cs) != 0 {
		t.Fatalf("%d clients, %v; want none", len(cs), err)
	}
	if st, _ := e.st.Settings(e.Ctx, data.SystemActor); st.ClinicName != "Lumen Skin Studio" {
		t.Fatalf("the clinic's name became %q", st.ClinicName)
	}

	test.Tap(w.sample) // without the sample this time
	test.Tap(w.startBtn)
	e.q.WaitFor(t, "the welcome to finish", func() bool { return done == 1 })
	if ana := e.c.StaffNamed(t, "Ana Souza"); ana.Role != data.RoleOwner {
		t.Fatalf("owner saved as %+v", ana)
	}
}

// TestWelcomeSetsUpTheSampleClinic: the real sample clinic comes with the
// set-up, under the owner just made.
func TestWelcomeSetsUpTheSampleClinic(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.LoadSampleData = demo.Sample(testClock)
	done := 0
	w := welcomeTyped(t, e, &done)
	if texts := strings.Join(uitest.Texts(e.w.Canvas().Overlays().Top()), "\n"); !strings.Contains(texts, "an appointment book") {
		t.Errorf("the offer does not say the sample clinic has an appointment book:\n%s", texts)
	}
	test.Tap(w.startBtn)
	e.q.WaitFor(t, "the sample clinic", func() bool { return done == 1 })
	cs, err := e.st.FindClients(e.Ctx, data.SystemActor, data.ClientFilter{State: data.AnyState, Limit: 1000})
	if err != nil || len(cs) != demo.SampleClients {
		t.Fatalf("%d clients, %v; want %d", len(cs), err, demo.SampleClients)
	}
	if rooms, err := e.st.Rooms(e.Ctx, data.SystemActor, false); err != nil || len(rooms) == 0 {
		t.Errorf("rooms %v, %v; the sample clinic's book should have its rooms", rooms, err)
	}
	if st, _ := e.st.Settings(e.Ctx, data.SystemActor); st.ClinicName != "Glow & Co Clinic" || e.Settings.ClinicName != "Glow & Co Clinic" {
		t.Fatalf("clinic name %q, on screen %q", st.ClinicName, e.Settings.ClinicName)
	}
	if e.c.StaffNamed(t, "Ana Souza").Role != data.RoleOwner {
		t.Fatal("Ana Souza is not the owner")
	}
}
