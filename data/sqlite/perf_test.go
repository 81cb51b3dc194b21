package sqlite_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/sqlite"
	"needledesk/pdf"
)

// benchDBEnv names a clinic database for BenchmarkHotPaths; `make bench`
// points it at one built by `needledesk demo --clients 100000`. Without it
// the benchmark builds a small clinic of smallClinic clients, so that
// `go test -bench .` works anywhere, quickly; only the 100,000-client
// figures say anything about the targets.
const (
	benchDBEnv  = "NEEDLEDESK_BENCH_DB"
	smallClinic = 2000
)

// benchSearches are typed as a receptionist types them, against names the
// demo clinic has. The names are sub-benchmark names: an underscore stands
// for a space.
var benchSearches = []struct{ name, text string }{
	{"l", "l"},                       // first letter: matches one client in eight
	{"lu", "lu"},                     // two letters: the start of a word
	{"lukasz", "lukasz"},             // a name without its accent
	{"lukasz_now", "lukasz now"},     // given and family name
	{"zoe", "zoe"},                   // Zoë
	{"o'b", "o'b"},                   // O'Brien
	{"王芳", "王芳"},                     // a Chinese name as written
	{"王", "王"},                       // a one-character family name
	{"ива", "ива"},                   // Cyrillic
	{"07700_900123", "07700 900123"}, // a UK mobile typed in its national form
	{"900_12", "900 12"},             // a phone fragment
	{"oconnor12", "oconnor12"},       // an e-mail fragment
	{"xyzzy", "xyzzy"},               // nothing
}

// worstSearch is the known worst case, measured on its own and left out of
// the typical mix: a Cyrillic surname ending, which thousands of clients
// share and which sorts after every Latin and Greek name, so every match
// has to be sorted (see FindClients).
var worstSearch = struct{ name, text string }{"ова_worst_case", "ова"}

// BenchmarkHotPaths measures what the front desk waits for, on the
// database named by NEEDLEDESK_BENCH_DB (copied first, so the cached file
// stays as `needledesk demo` made it) plus one client with 50 sessions and
// 50 kept aftercare sheets. Every sub-benchmark times each operation and
// reports the median and the 95th percentile (p50-ms, p95-ms) besides Go's
// mean; data/sqlite/internal/benchtable turns the output into one table.
//
//	NEEDLEDESK_BENCH_DB=clinic.db go test -run '^$' -bench HotPaths -benchmem ./data/sqlite
func BenchmarkHotPaths(b *testing.B) {
	cl := openBenchClinic(b)
	ctx := b.Context()
	b.Run("store/open+close", func(b *testing.B) {
		timeOps(b, func() (int, error) {
			st, err := sqlite.Open(ctx, cl.path)
			if err != nil {
				return 0, err
			}
			return 0, st.Close()
		})
	})
	// What the app does before its sign-in screen: the start-up check
	// (quick_check over every page), then opening the store.
	b.Run("store/start-up_check", func(b *testing.B) {
		timeOps(b, func() (int, error) { return 0, sqlite.StartUpCheck(ctx, cl.path, b.TempDir()) })
	})
	for _, s := range append(benchSearches, worstSearch) {
		b.Run("search/"+s.name, func(b *testing.B) { benchFind(b, cl, data.ClientFilter{Text: s.text}) })
	}
	b.Run("search/typical_mix", func(b *testing.B) { benchSearchMix(b, cl, 0) })
	b.Run("search-500/typical_mix", func(b *testing.B) { benchSearchMix(b, cl, 500) })
	b.Run("client-list/first_page", func(b *testing.B) { benchFind(b, cl, data.ClientFilter{}) })
	due := data.ClientFilter{DueFrom: cl.today, DueTo: cl.today.AddDays(14)}
	b.Run("due-back/first_page", func(b *testing.B) { benchFind(b, cl, due) })
	b.Run("due-back/whole_14_days", func(b *testing.B) { timeOps(b, func() (int, error) { return dueList(ctx, cl.st, due) }) })
	benchOpenClient(b, cl)
	benchBook(b, cl)
	b.Run("aftercare-sheet/plan+render", func(b *testing.B) {
		maker := data.SheetMaker{Sources: cl.st, Render: pdf.RenderAftercare, Now: func() time.Time { return cl.now }}
		var buf bytes.Buffer
		timeOps(b, func() (int, error) {
			plan, err := maker.Plan(ctx, data.SystemActor, cl.session)
			if err != nil {
				return 0, err
			}
			buf.Reset()
			err = maker.Render(&buf, plan)
			return buf.Len(), err
		})
	})
}

// benchFind times FindClients with f, and reports how it read the list
// when it did not sort the matches it found: walks-index 1 when it walked
// the name index, sorts-all 1 when it sorted every match of a text with
// many.
func benchFind(b *testing.B, cl *benchClinic, f data.ClientFilter) {
	timeOps(b, func() (int, error) {
		got, err := cl.st.FindClients(b.Context(), data.SystemActor, f)
		return len(got), err
	})
	way, err := cl.st.WayForTest(b.Context(), f)
	if err != nil {
		b.Fatal(err)
	}
	// After the loop: b.Loop clears metrics reported before it.
	switch {
	case f.Text == "":
	case way == sqlite.WalkForTest:
		b.ReportMetric(1, "walks-index")
	case way == sqlite.SearchForTest:
		b.ReportMetric(1, "sorts-all")
	}
}

// benchSearchMix runs benchSearches in turn, so its median and p95 are
// those of a receptionist's mix of queries; limit 500 is the page the
// Clients screen asks for.
func benchSearchMix(b *testing.B, cl *benchClinic, limit int) {
	i := 0
	timeOps(b, func() (int, error) {
		s := benchSearches[i%len(benchSearches)]
		i++
		got, err := cl.st.FindClients(b.Context(), data.SystemActor, data.ClientFilter{Text: s.text, Limit: limit})
		return len(got), err
	})
}

// benchOpenClient reads what the client record shows: the client, their
// sessions with areas and products, and the list of kept sheets.
func benchOpenClient(b *testing.B, cl *benchClinic) {
	ctx, id := b.Context(), cl.fifty.ID
	reads := []struct {
		name string
		read func() (int, error)
	}{
		{"client", func() (int, error) { _, err := cl.st.Client(ctx, data.SystemActor, id); return 1, err }},
		{"50_sessions", func() (int, error) { ss, err := cl.st.ClientSessions(ctx, data.SystemActor, id); return len(ss), err }},
		{"50_sheets", func() (int, error) { sh, err := cl.st.ClientSheets(ctx, data.SystemActor, id); return len(sh), err }},
	}
	for _, r := range reads {
		b.Run("open-client/"+r.name, func(b *testing.B) { timeOps(b, r.read) })
	}
	b.Run("open-client/all_three", func(b *testing.B) {
		timeOps(b, func() (int, error) {
			n := 0
			for _, r := range reads {
				k, err := r.read()
				if err != nil {
					return 0, err
				}
				n += k
			}
			return n, nil
		})
	})
}

// dueList reads the whole due-back list in pages of 1,000, as the Due back
// screen does.
func dueList(ctx context.Context, st *sqlite.Store, f data.ClientFilter) (int, error) {
	n := 0
	for {
		f.Offset, f.Limit = n, 1000
		page, err := st.FindClients(ctx, data.SystemActor, f)
		if err != nil {
			return 0, err
		}
		n += len(page)
		if len(page) < 1000 {
			return n, nil
		}
	}
}

// timeOps runs op b.N times, timing each call, and reports the median and
// the 95th percentile in milliseconds and the rows op returned.
func timeOps(b *testing.B, op func() (rows int, err error)) {
	b.ReportAllocs()
	took := make([]time.Duration, 0, 1<<16)
	rows := 0
	for b.Loop() {
		start := time.Now()
		n, err := op()
		d := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if len(took) < cap(took) {
			took = append(took, d)
		}
		rows = n
	}
	slices.Sort(took)
	b.ReportMetric(ms(percentile(took, 0.50)), "p50-ms")
	b.ReportMetric(ms(percentile(took, 0.95)), "p95-ms")
	b.ReportMetric(float64(rows), "rows")
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[max(0, int(math.Ceil(p*float64(len(sorted))))-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// benchClinic is the database under measurement.
type benchClinic struct {
	st      *sqlite.Store
	path    string
	now     time.Time   // when the clinic was made: the demo's "now"
	today   data.Date   // its date
	fifty   data.Client // a client with 50 sessions and 50 kept sheets
	session int64       // the newest of their sessions
}

func openBenchClinic(b *testing.B) *benchClinic {
	b.Helper()
	ctx := b.Context()
	cl := &benchClinic{path: filepath.Join(b.TempDir(), "clinic.db")}
	src := os.Getenv(benchDBEnv)
	if src != "" && !filepath.IsAbs(src) {
		b.Fatalf("%s=%s: give an absolute path; go test runs in the package's folder", benchDBEnv, src)
	}
	if src != "" {
		if err := copyDatabase(src, cl.path); err != nil {
			b.Fatal(err)
		}
	}
	st, err := sqlite.Open(ctx, cl.path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	cl.st = st
	if src == "" {
		b.Logf("%s is not set: measuring a small clinic of %d clients", benchDBEnv, smallClinic)
		if _, err := demo.Fill(ctx, st, demo.Options{Clients: smallClinic, Seed: 1, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
	if cl.now, err = madeAt(ctx, st); err != nil {
		b.Fatal(err)
	}
	cl.today = data.DateOf(cl.now.Local())
	if err := cl.addFifty(ctx); err != nil {
		b.Fatal(err)
	}
	// The store reads its copy of the name order in the background at the
	// first search, and again after the client list changes (see
	// FindClients). Wait for it, so that searches are measured as the front
	// desk meets them, not alongside that one read.
	if _, err := st.FindClients(ctx, data.SystemActor, data.ClientFilter{Text: "a"}); err != nil {
		b.Fatal(err)
	}
	if kept, now, err := st.NameOrderForTest(ctx); err != nil || kept != now {
		b.Fatalf("the name order read is of version %d; the client list is at %d (%v)", kept, now, err)
	}
	return cl
}

// copyDatabase copies a database whose changes are all in the main file:
// a -wal beside it holding anything means it is open, or was not closed
// cleanly.
func copyDatabase(src, dst string) error {
	if fi, err := os.Stat(src + "-wal"); err == nil && fi.Size() > 0 {
		return fmt.Errorf("%s-wal holds changes: close whatever has %s open first", src, src)
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// madeAt is when the clinic was made: its first audit event, written when
// the database was created. The demo dates sessions back from then, so the
// due-back window starts there however long ago the file was built.
func madeAt(ctx context.Context, st *sqlite.Store) (time.Time, error) {
	var at string
	if err := st.ReaderForTest().QueryRowContext(ctx, `SELECT min(at) FROM audit_event`).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("reading when the clinic was made: %w", err)
	}
	return time.Parse(time.RFC3339Nano, at)
}

// addFifty adds a client treated every three weeks for three years, 50
// sessions, each with its aftercare sheet kept.
func (cl *benchClinic) addFifty(ctx context.Context) error {
	staff, err := cl.st.StaffList(ctx, data.SystemActor, false)
	if err != nil {
		return err
	}
	products, err := cl.st.Products(ctx, data.SystemActor, false)
	if err != nil || len(staff) == 0 || len(products) < 4 {
		return fmt.Errorf("the clinic has %d staff and %d products (%v)", len(staff), len(products), err)
	}
	c := validClient(func(c *data.Client) {
		c.GivenName, c.FamilyName, c.Phone, c.Email = "Bea", "Fifty", "+44 7700 900123", "bea.fifty@example.org"
	})
	if err := cl.st.CreateClient(ctx, staff[0].ID, &c); err != nil {
		return err
	}
	cl.fifty = c
	ss := make([]data.Session, 50)
	for i := range ss {
		ss[i] = validSession(c.ID, staff[i%len(staff)].ID, cl.today.AddDays(-21*(len(ss)-i)))
		for j, p := range products[:4] {
			ss[i].Recommendations = append(ss[i].Recommendations, data.Recommendation{ProductID: p.ID, StartDay: j})
		}
	}
	if err := cl.st.ImportSessions(ctx, staff[0].ID, ss); err != nil {
		return err
	}
	maker := data.SheetMaker{Sources: cl.st, Sheets: cl.st, Render: pdf.RenderAftercare, Now: func() time.Time { return cl.now }}
	for _, s := range ss {
		if _, err := maker.Make(ctx, staff[0].ID, s.ID); err != nil {
			return fmt.Errorf("keeping a sheet: %w", err)
		}
	}
	cl.session = ss[len(ss)-1].ID
	return nil
}
