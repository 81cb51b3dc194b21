package booksetup_test

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/uitest"
)

// The owner adds a treatment by keyboard (the name field has the cursor,
// Enter saves), is told under the length field that no length is not
// one, then edits it and takes it off the menu; the store holds each step.
func TestMenuAddEditRetire(t *testing.T) {
	w := newSetupWorld(t, nil)
	w.open("Treatment menu")
	w.waitShows(t, "The menu is empty")
	m := w.Area.Menu
	test.Tap(m.AddBtn)
	c := w.W.Canvas()
	if c.Focused() == nil {
		t.Fatal("the new treatment's form does not have the cursor")
	}
	uitest.TypeKeys(t, c, "Microneedling, face")
	m.Form.Minutes.SetText("0")
	m.Form.Areas.SetSelected([]string{data.AreaForehead.Label(), data.AreaCheeks.Label()})
	c.Focus(m.Form.Name)
	press(c, fyne.KeyReturn)
	if got := problem(m.Form.Fields, "default_minutes"); got == "" {
		t.Fatal("a length of 0 minutes was not refused under its field")
	}
	m.Form.Minutes.SetText("75")
	if got := problem(m.Form.Fields, "default_minutes"); got != "" {
		t.Errorf("the length's message stayed once it was right: %q", got)
	}
	c.Focus(m.Form.Minutes)
	press(c, fyne.KeyReturn)
	w.waitShows(t, "1 treatment on the menu")
	if !shows(w.W, "75 minutes  ·  Forehead, Cheeks  ·  needles the skin") {
		t.Errorf("the menu's row does not say what was saved: %q", uitest.ShownTexts(w.W.Content()))
	}
	menu, err := w.Store.TreatmentTypes(w.Ctx, w.Actor.ID, true)
	if err != nil || len(menu) != 1 {
		t.Fatalf("menu %+v, %v", menu, err)
	}
	got := menu[0]
	if got.Name != "Microneedling, face" || got.DefaultMinutes != 75 || !got.Needling || !got.Active ||
		!slices.Equal(got.Areas, []data.Area{data.AreaForehead, data.AreaCheeks}) {
		t.Errorf("saved %+v", got)
	}

	test.Tap(uitest.Button(t, w.W, "Edit"))
	m.Form.Name.SetText("Consultation")
	m.Form.Minutes.SetText("30")
	m.Form.Areas.SetSelected(nil)
	test.Tap(m.Form.Needling)
	test.Tap(m.Form.SaveBtn)
	w.waitShows(t, "30 minutes  ·  no needling")
	test.Tap(uitest.Button(t, w.W, "Retire"))
	test.Tap(uitest.Button(t, w.W, "Retire")) // the question's own button
	w.waitShows(t, "The menu is empty")       // retired lines are hidden
	menu, err = w.Store.TreatmentTypes(w.Ctx, w.Actor.ID, true)
	if err != nil || len(menu) != 1 {
		t.Fatalf("menu %+v, %v", menu, err)
	}
	if got := menu[0]; got.Name != "Consultation" || got.DefaultMinutes != 30 || got.Needling || got.Active || len(got.Areas) != 0 {
		t.Errorf("after the edit and retiring: %+v", got)
	}
	test.Tap(w.Area.Menu.ShowRetired)
	w.waitShows(t, "0 treatments on the menu, 1 retired")
}

// Rooms are added, renamed and retired; an empty name is refused under
// the field, and Escape leaves the form.
func TestRoomsAddRenameRetire(t *testing.T) {
	w := newSetupWorld(t, nil)
	w.open("Rooms")
	w.waitShows(t, "No rooms yet")
	r := w.Area.Rooms
	c := w.W.Canvas()
	test.Tap(r.AddBtn)
	press(c, fyne.KeyReturn)
	if problem(r.Form.Fields, "name") == "" {
		t.Fatal("a room without a name was not refused under its field")
	}
	uitest.TypeKeys(t, c, "Room 1")
	press(c, fyne.KeyReturn)
	w.waitShows(t, "1 room in use")
	test.Tap(uitest.Button(t, w.W, "Rename"))
	r.Form.Name.SetText("The window chair")
	test.Tap(r.Form.SaveBtn)
	w.waitShows(t, "The window chair")
	test.Tap(r.AddBtn)
	uitest.TypeKeys(t, c, "Never saved")
	press(c, fyne.KeyEscape) // asks, since something was typed
	test.Tap(uitest.Button(t, w.W, "Leave without saving"))
	test.Tap(uitest.Button(t, w.W, "Retire"))
	test.Tap(uitest.Button(t, w.W, "Retire"))
	w.waitShows(t, "No rooms yet")
	rooms, err := w.Store.Rooms(w.Ctx, w.Actor.ID, true)
	if err != nil || len(rooms) != 1 || rooms[0].Name != "The window chair" || rooms[0].Active {
		t.Fatalf("rooms %+v, %v", rooms, err)
	}
}

// TestMenuFormSaveIsInSight: in a small window (1024×640) the treatment
// form's Save button sat under the fourteen areas, below what the form
// showed; it now stays under the form, in sight.
func TestMenuFormSaveIsInSight(t *testing.T) {
	w := newSetupWorld(t, nil)
	w.W.Resize(fyne.NewSize(1024, 640))
	w.open("Treatment menu")
	w.waitShows(t, "The menu is empty")
	test.Tap(w.Area.Menu.AddBtn)
	btn := w.Area.Menu.Form.SaveBtn
	bottom := fyne.CurrentApp().Driver().AbsolutePositionForObject(btn).Y + btn.MinSize().Height
	if h := w.W.Canvas().Size().Height; bottom > h {
		t.Errorf("Save treatment ends at %v, below the window's %v", bottom, h)
	}
}

// TestRenamingTypesOverTheOldName: Rename opened with the cursor before
// the old name, so typing a new one made "Window chairRoom 1"; the old
// name is now selected and typing replaces it, for a room as for a
// treatment.
func TestRenamingTypesOverTheOldName(t *testing.T) {
	w := newSetupWorld(t, nil)
	room := data.Room{Name: "Room 1", Active: true}
	if err := w.Store.CreateRoom(w.Ctx, w.Actor.ID, &room); err != nil {
		t.Fatal(err)
	}
	w.open("Rooms")
	w.waitShows(t, "1 room in use")
	c := w.W.Canvas()
	test.Tap(uitest.Button(t, w.W, "Rename"))
	uitest.TypeKeys(t, c, "Window chair")
	if got := w.Area.Rooms.Form.Name.Text; got != "Window chair" {
		t.Errorf("typing a new room name makes %q", got)
	}
	face := data.TreatmentType{Name: "Face", DefaultMinutes: 60, Active: true}
	if err := w.Store.CreateTreatmentType(w.Ctx, w.Actor.ID, &face); err != nil {
		t.Fatal(err)
	}
	w.open("Treatment menu")
	w.waitShows(t, "1 treatment on the menu")
	test.Tap(uitest.Button(t, w.W, "Edit"))
	uitest.TypeKeys(t, c, "Face needling")
	if got := w.Area.Menu.Form.Name.Text; got != "Face needling" {
		t.Errorf("typing a new treatment name makes %q", got)
	}
}
