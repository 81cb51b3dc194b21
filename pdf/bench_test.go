package pdf

import (
	"io"
	"testing"

	"needledesk/data"
)

// BenchmarkAftercareSheet renders the sample sheet: A4, two pages, logo,
// four products, an allergy warning and a short note. The fonts are parsed
// once per process (see fonts) and a clinic's logo is checked once (see
// prepareLogo); the first sheet pays for both, as in the running app, so it
// is rendered before the timer starts. BenchmarkFontLibrary measures that
// one-off cost.
func BenchmarkAftercareSheet(b *testing.B) {
	benchmarkSheet(b, samplePlan())
}

// BenchmarkAftercareSheetCJK adds the fallback font for a Chinese name.
func BenchmarkAftercareSheetCJK(b *testing.B) {
	benchmarkSheet(b, cjkPlan())
}

// BenchmarkAftercareSheetArabic adds a shaped, right-to-left name (in the
// title, the running header and the notes).
func BenchmarkAftercareSheetArabic(b *testing.B) {
	benchmarkSheet(b, arabicPlan())
}

// BenchmarkAftercareSheetDevanagari adds a shaped name with conjuncts.
func BenchmarkAftercareSheetDevanagari(b *testing.B) {
	benchmarkSheet(b, devanagariPlan())
}

func benchmarkSheet(b *testing.B, plan data.AftercarePlan) {
	if err := RenderAftercare(io.Discard, plan); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := RenderAftercare(io.Discard, plan); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFontLibrary is the once-per-process cost of parsing the three
// fonts every sheet uses (the others are parsed at the first sheet that
// needs them).
func BenchmarkFontLibrary(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := buildFontLib(); err != nil {
			b.Fatal(err)
		}
	}
}
