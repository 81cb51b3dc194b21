package data

import (
	"strings"
	"testing"
	"time"
)

func TestSheetBasisSaysWhatChanged(t *testing.T) {
	in := planFixture()
	a := BuildAftercarePlan(in)
	in.MadeAt = in.MadeAt.Add(48 * time.Hour)
	if ch := a.Basis().Changes(BuildAftercarePlan(in).Basis()); len(ch) != 0 {
		t.Fatalf("only the making time changed, yet: %v", ch)
	}
	in.Client.Allergies = "Vitamin E, hyaluronic acid"
	ch := a.Basis().Changes(BuildAftercarePlan(in).Basis())
	if len(ch) != 2 || !strings.Contains(ch[0], "allergy") || !strings.Contains(ch[1], "product plan") {
		t.Fatalf("changes: %v", ch)
	}
	f := SheetFreshness{Known: true, Changed: ch}
	if !f.Stale() || !strings.Contains(f.Explain(), "the allergy warnings and the products not to use and the product plan") &&
		!strings.Contains(f.Explain(), "allergy warnings and the products not to use and the product plan") {
		t.Errorf("explain: %q", f.Explain())
	}
	if (SheetFreshness{}).Stale() != true || (SheetFreshness{Known: true}).Stale() {
		t.Error("unknown must count as stale, unchanged as fresh")
	}
}
