package sqlite_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// benchClients is the clinic size for the import benchmark:
// NEEDLEDESK_BENCH_CLIENTS, or 100,000 (a large clinic), with four
// sessions each.
func benchClients() int {
	if n, err := strconv.Atoi(os.Getenv("NEEDLEDESK_BENCH_CLIENTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// BenchmarkImportClinic imports every client in one ImportClients call and
// then four sessions each in one ImportSessions call, the worst case for an
// all-or-nothing import. Run it with -benchtime=1x:
//
//	go test -run '^$' -bench ImportClinic -benchtime=1x ./data/sqlite
func BenchmarkImportClinic(b *testing.B) {
	n := benchClients()
	for range b.N {
		b.StopTimer()
		st, techs, products := benchStore(b)
		clients := benchClientList(n)
		b.StartTimer()

		start := time.Now()
		if err := st.ImportClients(b.Context(), data.SystemActor, clients); err != nil {
			b.Fatal(err)
		}
		clientTime := time.Since(start)
		sessions := benchSessions(clients, techs, products)
		start = time.Now()
		if err := st.ImportSessions(b.Context(), data.SystemActor, sessions); err != nil {
			b.Fatal(err)
		}
		sessionTime := time.Since(start)

		b.StopTimer()
		b.ReportMetric(clientTime.Seconds(), "s-clients")
		b.ReportMetric(sessionTime.Seconds(), "s-sessions")
		b.ReportMetric(float64(len(sessions)), "sessions")
		_ = st.Close()
		b.StartTimer()
	}
}

// BenchmarkFindClients searches a clinic of benchClients clients.
func BenchmarkFindClients(b *testing.B) {
	st, _, _ := benchStore(b)
	if err := st.ImportClients(b.Context(), data.SystemActor, benchClientList(benchClients())); err != nil {
		b.Fatal(err)
	}
	for _, f := range []data.ClientFilter{{}, {Text: "zoe"}, {Text: "7946 09"}, {Text: "o'brien 12"},
		{DueFrom: data.NewDate(2026, 1, 1)}} {
		b.Run(fmt.Sprintf("%+v", f), func(b *testing.B) {
			for range b.N {
				if _, err := st.FindClients(b.Context(), data.SystemActor, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchStore(b *testing.B) (*sqlite.Store, []int64, []int64) {
	b.Helper()
	st, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"),
		sqlite.WithClock(func() time.Time { return testNow }))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	var techs, products []int64
	for i := range 4 {
		s := data.Staff{Name: "Tech " + string(rune('A'+i)), Role: data.RoleTechnician, Active: true}
		if err := st.CreateStaff(b.Context(), 0, &s); err != nil {
			b.Fatal(err)
		}
		techs = append(techs, s.ID)
	}
	for i, c := range data.Categories {
		p := validProduct(fmt.Sprintf("Product %d", i), c)
		if err := st.CreateProduct(b.Context(), 0, &p); err != nil {
			b.Fatal(err)
		}
		products = append(products, p.ID)
	}
	return st, techs, products
}

func benchClientList(n int) []data.Client {
	given := []string{"Zoë", "Łukasz", "José-María", "Anne", "芳", "Priya", "Seán", "Chloé"}
	family := []string{"O'Brien", "Wiśniewski", "García", "Smith", "王", "Raman", "Nguyễn", "Martin"}
	cs := make([]data.Client, n)
	for i := range cs {
		cs[i] = validClient(func(c *data.Client) {
			c.GivenName, c.FamilyName = given[i%len(given)], family[(i/len(given))%len(family)]
			c.Phone = fmt.Sprintf("+44 20 %04d %04d", i/10000, i%10000)
			c.Email = fmt.Sprintf("client%d@example.com", i)
			c.Concerns = []data.Concern{data.ConcernAcneScars, data.ConcernLines}
			c.Notes = "Prefers mornings."
		})
	}
	return cs
}

// benchSessions gives each client four sessions five weeks apart, with
// three areas and four recommendations each, like a busy clinic's charts.
func benchSessions(clients []data.Client, techs, products []int64) []data.Session {
	out := make([]data.Session, 0, 4*len(clients))
	for i, c := range clients {
		for k := range 4 {
			day := data.NewDate(2025, time.January, 1).AddDays(i%200 + 35*k)
			s := validSession(c.ID, techs[(i+k)%len(techs)], day)
			s.Areas = append(s.Areas, data.AreaTreatment{Area: data.AreaNeck, DepthMM: 0.5})
			for j := range 4 {
				s.Recommendations = append(s.Recommendations,
					data.Recommendation{ProductID: products[(i+j)%len(products)], StartDay: j})
			}
			out = append(out, s)
		}
	}
	return out
}
