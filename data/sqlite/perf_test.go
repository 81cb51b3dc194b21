package sqlite_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/internal/benchpaths"
	"needledesk/data/sqlite"
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

// BenchmarkHotPaths measures what the front desk waits for, on the
// database named by NEEDLEDESK_BENCH_DB (copied first, so the cached file
// stays as `needledesk demo` made it) plus one client with 50 sessions and
// 50 kept aftercare sheets. Every sub-benchmark times each operation and
// reports the median and the 95th percentile (p50-ms, p95-ms) besides Go's
// mean; data/sqlite/internal/benchtable turns the output into one table.
// Everything but the two store/ rows is data/internal/benchpaths, which
// data/postgres's BenchmarkHotPaths runs too.
//
//	NEEDLEDESK_BENCH_DB=clinic.db go test -run '^$' -bench HotPaths -benchmem ./data/sqlite
func BenchmarkHotPaths(b *testing.B) {
	cl := openBenchClinic(b)
	ctx := b.Context()
	b.Run("store/open+close", func(b *testing.B) {
		benchpaths.TimeOps(b, func() (int, error) {
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
		benchpaths.TimeOps(b, func() (int, error) { return 0, sqlite.StartUpCheck(ctx, cl.path, b.TempDir()) })
	})
	benchpaths.Run(b, &cl.Clinic)
}

// way says how the store read a search's matches when it did not sort
// them, as a metric: walks-index when it walked the name index, sorts-all
// when it sorted every match of a text with many.
func (cl *benchClinic) way(ctx context.Context, f data.ClientFilter) (string, error) {
	way, err := cl.st.WayForTest(ctx, f)
	switch {
	case err != nil:
		return "", err
	case way == sqlite.WalkForTest:
		return "walks-index", nil
	case way == sqlite.SearchForTest:
		return "sorts-all", nil
	}
	return "", nil
}

// benchClinic is the database under measurement.
type benchClinic struct {
	benchpaths.Clinic
	st    *sqlite.Store
	path  string
	fifty data.Client // Clinic.Fifty, for BenchmarkExport
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
	cl.st, cl.St, cl.Way = st, st, cl.way
	if src == "" {
		b.Logf("%s is not set: measuring a small clinic of %d clients", benchDBEnv, smallClinic)
		if _, err := demo.Fill(ctx, st, demo.Options{Clients: smallClinic, Seed: 1, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
	if cl.Now, err = madeAt(ctx, st); err != nil {
		b.Fatal(err)
	}
	if err := cl.Prepare(ctx); err != nil {
		b.Fatal(err)
	}
	cl.fifty = cl.Fifty
	if cl.Day, cl.Tech, err = busiestDay(ctx, st); err != nil {
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
