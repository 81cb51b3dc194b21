package sqlite_test

import (
	"testing"

	"needledesk/data"
)

// BenchmarkAuditWrite measures one write and its audit row: a new client
// (a typical store change) and a bare RecordEvent (the audit row alone),
// each its own transaction with its fsync. Compare before and after a
// change to the trail with benchstat:
//
//	go test -run '^$' -bench AuditWrite -count 6 ./data/sqlite
func BenchmarkAuditWrite(b *testing.B) {
	b.Run("CreateClient", func(b *testing.B) {
		st, _, _ := benchStore(b)
		for b.Loop() {
			c := validClient()
			if err := st.CreateClient(b.Context(), 1, &c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("RecordEvent", func(b *testing.B) {
		st, _, _ := benchStore(b)
		ev := data.AuditEvent{ActorID: 1, Action: data.ActionView, Entity: data.EntityClient, EntityID: 7, ClientID: 7}
		for b.Loop() {
			if err := st.RecordEventForTest(b.Context(), ev); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyAuditChain walks a trail of benchClients events (one per
// imported client; 100,000 unless NEEDLEDESK_BENCH_CLIENTS says otherwise),
// as check and the audit screen do:
//
//	go test -run '^$' -bench VerifyAuditChain -benchtime 5x ./data/sqlite
func BenchmarkVerifyAuditChain(b *testing.B) {
	st, _, _ := benchStore(b)
	if err := st.ImportClients(b.Context(), 1, benchClientList(benchClients())); err != nil {
		b.Fatal(err)
	}
	var rep data.AuditChainReport
	for b.Loop() {
		var err error
		if rep, err = st.VerifyAuditChain(b.Context()); err != nil || !rep.OK() {
			b.Fatalf("%+v, %v", rep, err)
		}
	}
	b.ReportMetric(float64(rep.Events), "events")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rep.Events), "ns/event")
}
