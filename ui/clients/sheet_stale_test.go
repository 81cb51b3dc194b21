package clients

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
)

// addAllergy records a new allergy on the client, as the client form would.
func addAllergy(t *testing.T, e *storeEnv, id int64, allergy string) {
	t.Helper()
	c, err := e.st.Client(e.Ctx, e.Actor.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	c.Allergies = allergy
	if err := e.st.UpdateClient(e.Ctx, e.Actor.ID, &c); err != nil {
		t.Fatal(err)
	}
}

func staleDialogText(e *storeEnv) string {
	top := e.w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return strings.Join(uitest.ShownTexts(top), "\n")
}

// Handing a kept sheet over again after the record changed says so and
// offers a new version; the kept sheet stays.
func TestAftercareSaysWhenTheKeptSheetNoLongerMatches(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva")
	serum := e.c.AddProduct(t, "Hydra Serum", data.CategoryHydrating, 1, "Hyaluronic acid")
	s := e.c.AddSession(t, c, data.NewDate(2026, 11, 20), func(s *data.Session) {
		s.Recommendations = []data.Recommendation{{ProductID: serum.ID, StartDay: 1}}
	})
	p, rec := openTestAftercare(t, e, s.ID)
	test.Tap(p.openButton)
	e.q.WaitFor(t, "the first sheet", func() bool { return len(rec.got) == 1 })
	test.Tap(p.printButton)
	e.q.WaitFor(t, "the same sheet again, unasked", func() bool { return len(rec.got) == 2 })
	if staleDialogText(e) != "" {
		t.Fatalf("asked about a sheet that matches the record: %s", staleDialogText(e))
	}

	addAllergy(t, e, c.ID, "Hyaluronic acid")
	test.Tap(p.printButton)
	e.q.WaitFor(t, "the question", func() bool { return strings.Contains(staleDialogText(e), "no longer match") })
	text := staleDialogText(e)
	for _, want := range []string{"Version 1 of this sheet", "allergy warnings", "product plan", "stays in the record"} {
		if !strings.Contains(text, want) {
			t.Errorf("the question lacks %q:\n%s", want, text)
		}
	}
	if len(rec.got) != 2 {
		t.Fatal("the sheet was handed over before the user chose")
	}
	test.Tap(uitest.ShownButton(t, e.w.Canvas().Overlays().Top(), "Hand over the kept sheet"))
	e.q.WaitFor(t, "the kept sheet", func() bool { return len(rec.got) == 3 })
	if rec.got[2].Version != 1 {
		t.Errorf("handed over version %d, want the kept 1", rec.got[2].Version)
	}

	test.Tap(p.saveButton)
	e.q.WaitFor(t, "the question again", func() bool { return strings.Contains(staleDialogText(e), "no longer match") })
	test.Tap(uitest.ShownButton(t, e.w.Canvas().Overlays().Top(), "Make a new version"))
	e.q.WaitFor(t, "the new version", func() bool { return len(rec.got) == 4 })
	if rec.got[3].Version != 2 || !strings.HasPrefix(rec.how[3], "saved Aftercare Ana Silva") {
		t.Errorf("handed over %q version %d, want the new version 2 saved", rec.how[3], rec.got[3].Version)
	}
	infos, err := e.st.ClientSheets(e.Ctx, data.SystemActor, c.ID)
	if err != nil || len(infos) != 2 {
		t.Fatalf("kept sheets: %d (%v), want both versions", len(infos), err)
	}
	test.Tap(p.openButton)
	e.q.WaitFor(t, "the new version, unasked", func() bool { return len(rec.got) == 5 })
	if rec.got[4].Version != 2 {
		t.Errorf("opened version %d, want 2", rec.got[4].Version)
	}
}

// The client record's sheet buttons check too, and cancelling hands
// nothing over.
func TestClientRecordSaysWhenAKeptSheetNoLongerMatches(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva")
	serum := e.c.AddProduct(t, "Hydra Serum", data.CategoryHydrating, 1, "Hyaluronic acid")
	s := e.c.AddSession(t, c, data.NewDate(2026, 11, 20), func(s *data.Session) {
		s.Recommendations = []data.Recommendation{{ProductID: serum.ID, StartDay: 1}}
	})
	if _, err := e.deps.sheetMaker().Make(e.Ctx, e.Actor.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	addAllergy(t, e, c.ID, "Hyaluronic acid")
	r, _ := openClientRecord(t, e, c.ID)
	var got []data.Sheet
	act := func(_ *areaEnv, hs handedSheet) { got = append(got, hs.Sheet) }

	r.withSheet(0, act)
	e.q.WaitFor(t, "the question", func() bool { return strings.Contains(staleDialogText(e), "allergy warnings") })
	test.Tap(uitest.ShownButton(t, e.w.Canvas().Overlays().Top(), "Cancel"))
	if len(got) != 0 {
		t.Fatal("Cancel handed the sheet over")
	}
	reprints, _ := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{Action: data.ActionReprint})
	if len(reprints) != 0 {
		t.Errorf("a cancelled hand-over was recorded as a reprint: %+v", reprints)
	}

	var changed []int64
	screen.On(e.Events, func(e screen.SheetChanged) { changed = append(changed, int64(e.Client)) })
	r.withSheet(0, act)
	e.q.WaitFor(t, "the question", func() bool { return strings.Contains(staleDialogText(e), "allergy warnings") })
	test.Tap(uitest.ShownButton(t, e.w.Canvas().Overlays().Top(), "Make a new version"))
	e.q.WaitFor(t, "the new version", func() bool { return len(got) == 1 })
	if got[0].Version != 2 || len(changed) != 1 || changed[0] != c.ID {
		t.Errorf("handed over version %d, sheetChanged %v", got[0].Version, changed)
	}
}
