package pdf

import (
	"io"
	"testing"
)

// BenchmarkAftercareSheet renders the sample sheet: A4, two pages, logo,
// four products, an allergy warning and a short note. The fonts are cut
// once per process (see fonts()); the first sheet pays for that, so it is
// rendered before the timer starts, like in the running app.
func BenchmarkAftercareSheet(b *testing.B) {
	plan := samplePlan()
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
