package clients

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
)

// A session saved from an appointment's "Start treatment" is linked to
// it, which completes it; the form offers the appointment's technician.
func TestSessionFromAnAppointmentCompletesIt(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.Appointments = e.st
	c := e.c.AddClient(t, "Ana", "Silva", consented)
	priya := e.c.StaffByRole(t, data.RoleTechnician)
	face := data.TreatmentType{Name: "Face needling", DefaultMinutes: 60, Needling: true, Active: true}
	if err := e.st.CreateTreatmentType(e.Ctx, e.Actor.ID, &face); err != nil {
		t.Fatal(err)
	}
	a := data.Appointment{ClientID: c.ID, TechnicianID: priya.ID, TreatmentID: face.ID, Start: testClock(), Minutes: 60, Status: data.StatusBooked}
	if err := e.st.BookAppointment(e.Ctx, e.Actor.ID, &a); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.MarkAppointment(e.Ctx, e.Actor.ID, a.ID, a.Version, data.StatusArrived); err != nil {
		t.Fatal(err)
	}
	stack := screen.NewStack(e.Env, &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")})
	f := openSessionFormFor(e.areaEnv, stack, c, a.ID)
	stack.Push(f.page)
	e.w.SetContent(stack.Content)
	waitForChoices(t, e, f)
	if f.technician.Selected != priya.Name {
		t.Errorf("the form offers %q, not the appointment's technician", f.technician.Selected)
	}
	test.Type(f.areas.row(data.AreaCheeks).depth, "0.5")
	test.Tap(f.saveButton)
	e.q.WaitFor(t, "the session saved", func() bool { return stack.Top() != f.page })
	got, err := e.st.Appointment(e.Ctx, e.Actor.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	ss := clientSessions(t, e, c)
	if len(ss) != 1 || got.Status != data.StatusCompleted || got.SessionID != ss[0].ID {
		t.Fatalf("appointment %v with session %d; sessions %d", got.Status, got.SessionID, len(ss))
	}
}

// TestSessionFromAnAppointmentTicksItsTreatmentsAreas: the README and
// the treatment menu promise that the areas a treatment usually covers
// are ticked on the session form when its appointment's treatment
// starts; none were, and the technician ticked them again by hand.
func TestSessionFromAnAppointmentTicksItsTreatmentsAreas(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.Appointments = e.st
	c := e.c.AddClient(t, "Ana", "Silva", consented)
	priya := e.c.StaffByRole(t, data.RoleTechnician)
	face := data.TreatmentType{Name: "Face needling", DefaultMinutes: 60, Needling: true, Active: true,
		Areas: []data.Area{data.AreaForehead, data.AreaCheeks}}
	if err := e.st.CreateTreatmentType(e.Ctx, e.Actor.ID, &face); err != nil {
		t.Fatal(err)
	}
	a := data.Appointment{ClientID: c.ID, TechnicianID: priya.ID, TreatmentID: face.ID, Start: testClock(), Minutes: 60, Status: data.StatusBooked}
	if err := e.st.BookAppointment(e.Ctx, e.Actor.ID, &a); err != nil {
		t.Fatal(err)
	}
	stack := screen.NewStack(e.Env, &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")})
	f := openSessionFormFor(e.areaEnv, stack, c, a.ID)
	stack.Push(f.page)
	e.w.SetContent(stack.Content)
	waitForChoices(t, e, f)
	for area, want := range map[data.Area]bool{data.AreaForehead: true, data.AreaCheeks: true, data.AreaNeck: false} {
		if got := f.areas.row(area).check.Checked; got != want {
			t.Errorf("%s ticked: %v, want %v", area.Label(), got, want)
		}
	}
	if f.dirty() {
		t.Error("the form counts the areas it ticked itself as the technician's changes")
	}
}
