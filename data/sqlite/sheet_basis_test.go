package sqlite_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"needledesk/data"
)

// textRenderer stands in for pdf.RenderAftercare: what the sheet says, as
// text, so the test can see which plan a kept sheet was made from.
func textRenderer(w io.Writer, p data.AftercarePlan) error {
	_, err := io.WriteString(w, "%PDF-1.4\n"+p.ClientName+"\n"+strings.Join(p.AllergyWarnings, "\n")+"\n%%EOF\n")
	return err
}

func TestKeptSheetKnowsWhenTheRecordChanged(t *testing.T) {
	e := newEnv(t)
	boss := e.owner()
	c := e.client()
	serum := validProduct("Hydra Serum", data.CategoryHydrating)
	serum.KeyIngredients = []string{"Hyaluronic acid", "Glycerin"}
	if err := e.st.CreateProduct(e.ctx, data.SystemActor, &serum); err != nil {
		t.Fatal(err)
	}
	s := validSession(c.ID, boss.ID, today)
	s.Recommendations = []data.Recommendation{{ProductID: serum.ID, StartDay: 1}}
	s = e.session(s)
	m := data.SheetMaker{Sources: e.st, Sheets: e.st, Render: textRenderer, Now: e.clock.Now}

	first, err := m.Make(e.ctx, boss.ID, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := e.st.Sheet(e.ctx, data.SystemActor, first.ID)
	if err != nil || len(kept.Basis) == 0 || kept.Basis["allergies"] != first.Basis["allergies"] {
		t.Fatalf("the basis was not kept: %+v, %v", kept.Basis, err)
	}
	_, f, err := m.LatestFreshness(e.ctx, boss.ID, s.ID)
	if err != nil || !f.Known || f.Stale() {
		t.Fatalf("a sheet made just now: %+v, %v", f, err)
	}
	e.clock.Advance(72 * 3600e9)
	if _, f, _ := m.LatestFreshness(e.ctx, boss.ID, s.ID); f.Stale() {
		t.Fatalf("only time passed, yet: %+v", f)
	}

	// A new allergy on the record: the kept sheet no longer matches.
	c, err = e.st.Client(e.ctx, boss.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.Allergies = "Hyaluronic acid"
	if err := e.st.UpdateClient(e.ctx, boss.ID, &c); err != nil {
		t.Fatal(err)
	}
	sh, f, err := m.LatestFreshness(e.ctx, boss.ID, s.ID)
	if err != nil || sh.ID != first.ID || sh.PDF != nil || !f.Stale() {
		t.Fatalf("after a new allergy: %+v %+v, %v", sh, f, err)
	}
	if !strings.Contains(f.Explain(), "allergy warnings") || !strings.Contains(f.Explain(), "product plan") {
		t.Errorf("explain: %q", f.Explain())
	}
	// Handing the kept sheet over still gives the old bytes; a new
	// version keeps both.
	again, err := m.Kept(e.ctx, boss.ID, s.ID)
	if err != nil || !bytes.Equal(again.PDF, first.PDF) {
		t.Fatalf("Kept = %v, %v", again.ID, err)
	}
	second, err := m.Make(e.ctx, boss.ID, s.ID)
	if err != nil || second.Version != 2 || bytes.Equal(second.PDF, first.PDF) {
		t.Fatalf("new version: %+v, %v", second.Version, err)
	}
	if _, f, _ := m.LatestFreshness(e.ctx, boss.ID, s.ID); f.Stale() {
		t.Errorf("the new version is stale: %+v", f)
	}
	if _, f, _ := m.SheetFreshnessByID(e.ctx, boss.ID, first.ID); !f.Stale() {
		t.Error("the first version now reads as fresh")
	}
	if _, _, err := m.LatestFreshness(e.ctx, boss.ID, 999); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("a session with no sheet: %v", err)
	}
}

// A sheet kept before NeedleDesk noted what it was made from cannot tell.
func TestSheetWithoutBasisCannotTell(t *testing.T) {
	e := newEnv(t)
	boss := e.owner()
	c := e.client()
	s := e.session(validSession(c.ID, boss.ID, today))
	old := data.Sheet{SessionID: s.ID, PDF: fakePDF("kept before migration 9")}
	if err := e.st.KeepSheet(e.ctx, boss.ID, &old); err != nil {
		t.Fatal(err)
	}
	got, err := e.st.Sheet(e.ctx, data.SystemActor, old.ID)
	if err != nil || got.Basis != nil {
		t.Fatalf("Sheet = basis %v, %v", got.Basis, err)
	}
	m := data.SheetMaker{Sources: e.st, Sheets: e.st, Render: textRenderer, Now: e.clock.Now}
	_, f, err := m.LatestFreshness(e.ctx, boss.ID, s.ID)
	if err != nil || f.Known || !f.Stale() || !strings.Contains(f.Explain(), "cannot tell") {
		t.Fatalf("freshness %+v, %v", f, err)
	}
}
