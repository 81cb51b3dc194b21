package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/uitest"
)

// The owner finds the book's set-up as a section of its own, which reads
// the clinic's menu when opened; a receptionist does not see it.
func TestBookSetUpIsTheOwnersSection(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.Book = e.st
	withPasswords(t, e)
	treat := data.TreatmentType{Name: "Microneedling, face", DefaultMinutes: 60, Needling: true, Active: true}
	if err := e.st.CreateTreatmentType(e.Ctx, data.SystemActor, &treat); err != nil {
		t.Fatal(err)
	}
	m := newShellWindowSignedOut(t, e)
	owner, desk := e.c.StaffByRole(t, data.RoleOwner), e.c.StaffByRole(t, data.RoleReceptionist)
	tabNames := func() []string {
		var names []string
		for _, it := range m.tabs.Items {
			names = append(names, it.Text)
		}
		return names
	}
	signInAs(t, e, m, desk, "receptionist-pass-1")
	e.q.WaitFor(t, "the receptionist's screens", func() bool { return m.work.Visible() && m.env.Actor.ID == desk.ID })
	if slices.Contains(tabNames(), "Book set-up") {
		t.Errorf("a receptionist sees %q", tabNames())
	}
	test.Tap(m.staffBar.switchU)
	signInAs(t, e, m, owner, "owner-pass-1")
	e.q.WaitFor(t, "the owner's screens", func() bool { return m.work.Visible() && m.env.Actor.ID == owner.ID })
	if !slices.Contains(tabNames(), "Book set-up") {
		t.Fatalf("the owner sees %q", tabNames())
	}
	m.tabs.Select(m.setupT)
	e.q.WaitFor(t, "the treatment menu", func() bool {
		return slices.Contains(uitest.ShownTexts(m.setupT.Content), "Microneedling, face")
	})
}
