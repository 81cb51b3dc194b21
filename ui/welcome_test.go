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
	w := newWelcome(e.appEnv, func() { done++ })
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
	test.Tap(w.startBtn)
	e.q.waitFor(t, "the welcome to finish", func() bool { return done == 1 })

	st, err := e.st.Settings(e.ctx)
	if err != nil || st.ClinicName != "Glow & Co Clinic" {
		t.Fatalf("store clinic name = %q, %v", st.ClinicName, err)
	}
	ana := findStaff(t, e, "Ana Souza")
	if ana.Role != data.RoleOwner || !ana.Active {
		t.Fatalf("owner saved as %+v", ana)
	}
	if e.actor.ID != ana.ID || e.settings.ClinicName != "Glow & Co Clinic" {
		t.Fatalf("working as %+v with clinic %q", e.actor, e.settings.ClinicName)
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
	w := newWelcome(e.appEnv, func() { done++ })
	w.show()
	test.Type(w.clinic, "Glow & Co Clinic")
	test.Type(w.name, "Ana Souza")
	test.Tap(w.sample)
	test.Tap(w.startBtn)
	e.q.waitFor(t, "the sample clinic to load", func() bool { return done == 1 })
	if calls.Load() != 1 {
		t.Fatalf("LoadSampleData ran %d times, want once", calls.Load())
	}
	if *clients == 0 || *products == 0 {
		t.Fatal("after the sample clinic, clients and products should refresh")
	}
	if st, _ := e.st.Settings(e.ctx); st.ClinicName != "Glow & Co Clinic" {
		t.Fatalf("clinic name = %q", st.ClinicName)
	}
	if e.w.Canvas().Overlays().Top() != nil {
		t.Fatal("the progress dialog should close")
	}
}

func TestWelcomeLaterSavesNothing(t *testing.T) {
	e := newStoreEnv(t)
	done := 0
	w := newWelcome(e.appEnv, func() { done++ })
	w.show()
	test.Type(w.clinic, "Somewhere Else")
	test.Tap(w.laterBtn)
	if done != 1 {
		t.Fatal("Later should finish the welcome")
	}
	if st, _ := e.st.Settings(e.ctx); st.ClinicName != "Lumen Skin Studio" {
		t.Fatalf("Later saved %q", st.ClinicName)
	}
}
