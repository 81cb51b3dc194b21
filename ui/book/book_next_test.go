package book

import (
	"testing"

	"needledesk/data"
)

// TestBookNextTakesTheLastSession: Book next opens the dialog with the
// client, the last session's technician and the menu's line for its
// areas, on the day the client is due back at opening time; when the
// last session came from an appointment, that appointment's treatment.
func TestBookNextTakesTheLastSession(t *testing.T) {
	e := newBookClinic(t)
	chat := data.TreatmentType{Name: "Consultation", DefaultMinutes: 30, Areas: []data.Area{data.AreaCheeks}, Active: true}
	neck := data.TreatmentType{Name: "Neck needling", DefaultMinutes: 45, Areas: []data.Area{data.AreaNeck}, Needling: true, Active: true}
	for _, tt := range []*data.TreatmentType{&chat, &neck} {
		if err := e.Store.CreateTreatmentType(e.Ctx, e.Actor.ID, tt); err != nil {
			t.Fatal(err)
		}
	}
	e.AddSession(t, e.client, data.NewDate(2026, 11, 2), func(s *data.Session) {
		s.Areas = []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.5}}
		s.NextDue = data.NewDate(2026, 11, 30)
	})
	e.Actor = e.StaffByRole(t, data.RoleReceptionist)
	e.area.BookNext(e.client.ID)
	b := e.waitDialog(t)
	if b.clientID != e.client.ID || b.search.Text != "Ana Silva" || b.technician.Selected != "Priya Raman" ||
		b.treatment.Selected != "Face needling" || b.date.Text != "30/11/2026" || b.start.Text != "09:00" || b.length.Text != "60" {
		t.Errorf("the dialog starts with %d %q, %q, %q, on %s at %s for %s minutes; want Ana Silva with Priya Raman, Face needling, 30/11/2026 09:00, 60",
			b.clientID, b.search.Text, b.technician.Selected, b.treatment.Selected, b.date.Text, b.start.Text, b.length.Text)
	}
	b.d.Hide()

	// A later session given for a neck appointment: that is the treatment.
	s := e.AddSession(t, e.client, data.NewDate(2026, 11, 16), func(s *data.Session) {
		s.Areas = []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.5}}
	})
	owner := e.StaffByRole(t, data.RoleOwner)
	done := data.Appointment{ClientID: e.client.ID, TechnicianID: owner.ID, TreatmentID: neck.ID, Minutes: 45,
		Start: e.at(data.NewDate(2026, 11, 16), 11, 0), Status: data.StatusCompleted, SessionID: s.ID}
	if err := e.Store.ImportAppointments(e.Ctx, owner.ID, []data.Appointment{done}); err != nil {
		t.Fatal(err)
	}
	e.area.env.booking = nil
	e.area.BookNext(e.client.ID)
	b = e.waitDialog(t)
	if b.treatment.Selected != "Neck needling" || b.technician.Selected != "Priya Raman" {
		t.Errorf("after a neck appointment the dialog offers %q with %q", b.treatment.Selected, b.technician.Selected)
	}
}
