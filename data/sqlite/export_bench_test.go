package sqlite_test

import (
	"needledesk/data/transfer"
	"testing"
)

// BenchmarkExport times a client's export (the client with 50 sessions
// and 50 kept sheets) and the whole-clinic export, on the clinic
// BenchmarkHotPaths uses:
//
//	NEEDLEDESK_BENCH_DB=/abs/clinic.db go test -run '^$' -bench Export -benchmem ./data/sqlite
func BenchmarkExport(b *testing.B) {
	cl := openBenchClinic(b)
	x := transfer.Exporter{Source: cl.st}
	b.Run("client-with-50-sheets", func(b *testing.B) {
		dir := b.TempDir()
		for b.Loop() {
			if _, err := x.ExportClient(b.Context(), 1, cl.fifty.ID, dir); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("whole-clinic", func(b *testing.B) {
		dir := b.TempDir()
		var records int
		for b.Loop() {
			res, err := x.ExportAll(b.Context(), 1, dir, nil)
			if err != nil {
				b.Fatal(err)
			}
			records = res.Clients + res.Sessions
		}
		b.ReportMetric(float64(records), "records")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(records), "ns/record")
	})
}
