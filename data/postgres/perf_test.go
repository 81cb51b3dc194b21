package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/internal/benchpaths"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
)

// benchPGEnv names the database of a clinic on a running server for
// BenchmarkHotPaths, as a superuser's postgres:// URL; `make bench
// STORE=postgres` points it at the 100,000-client bench clinic moved
// there with data/move. Without it the benchmark fills a small clinic of
// benchSmallClients clients on this binary's throwaway server (pgtest),
// so that `go test -bench .` works anywhere; only the 100,000-client
// figures say anything about the targets.
const (
	benchPGEnv        = "NEEDLEDESK_BENCH_PG"
	benchSmallClients = 2000
	// benchClientsEnv makes the small clinic smaller still, for the test
	// that runs the benchmark once (TestHotPathsBenchmarkRuns).
	benchClientsEnv = "NEEDLEDESK_BENCH_SMALL_CLIENTS"
)

// BenchmarkHotPaths measures on PostgreSQL what data/sqlite's
// BenchmarkHotPaths measures on a file (data/internal/benchpaths, under
// the same names), apart from what only a file has: opening it and its
// start-up check. It runs on a copy of the database NEEDLEDESK_BENCH_PG
// names (CREATE DATABASE ... TEMPLATE, a copy of its files, dropped
// after), so the moved clinic stays as it was, plus one client with 50
// sessions and 50 kept aftercare sheets. data/sqlite/internal/benchtable
// -double turns the output into a table held to twice the SQLite targets.
//
//	NEEDLEDESK_BENCH_PG='postgres://postgres@/clinic?host=/tmp/sock' go test -run '^$' -bench HotPaths -benchmem ./data/postgres
func BenchmarkHotPaths(b *testing.B) {
	cl := openPGBenchClinic(b)
	benchpaths.Run(b, cl)
}

func openPGBenchClinic(b *testing.B) *benchpaths.Clinic {
	b.Helper()
	ctx := b.Context()
	src := os.Getenv(benchPGEnv)
	var dbURL string
	if src != "" {
		var err error
		if dbURL, err = copyBenchDatabase(ctx, b, src); err != nil {
			b.Fatal(err)
		}
	} else {
		dbURL = pgtest.NewDatabase(b)
	}
	st, err := postgres.Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if src == "" {
		clients := benchSmallClients
		if n, err := strconv.Atoi(os.Getenv(benchClientsEnv)); err == nil && n > 0 {
			clients = n
		}
		b.Logf("%s is not set: measuring a small clinic of %d clients on a throwaway server", benchPGEnv, clients)
		now := time.Date(2026, time.November, 22, 12, 0, 0, 0, time.UTC)
		if _, err := demo.Fill(ctx, st, demo.Options{Clients: clients, Seed: 1, Now: now}); err != nil {
			b.Fatal(err)
		}
	}
	cl := &benchpaths.Clinic{St: st}
	if cl.Now, err = pgMadeAt(ctx, pool); err != nil {
		b.Fatal(err)
	}
	if err := cl.Prepare(ctx); err != nil {
		b.Fatal(err)
	}
	if cl.Day, cl.Tech, err = pgBusiestDay(ctx, pool); err != nil {
		b.Fatal(err)
	}
	// Fresh statistics for the planner on the small clinic, just filled
	// (the copy of the moved one has those make bench gathered).
	if src == "" {
		if _, err := pool.Exec(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
	// The store reads its copy of the client list in the background at the
	// first search, and again after the list changes (see FindClients).
	// Wait for it, so that searches are measured as the front desk meets
	// them, not alongside that one read.
	if _, err := st.FindClients(ctx, data.SystemActor, data.ClientFilter{Text: "a"}); err != nil {
		b.Fatal(err)
	}
	if kept, now, err := st.ClientListForTest(ctx); err != nil || kept != now {
		b.Fatalf("the copy of the client list is of version %d; the list is at %d (%v)", kept, now, err)
	}
	return cl
}

// copyBenchDatabase makes a copy of the database src names on the same
// server, for this run to write to, and drops it when the benchmark ends.
func copyBenchDatabase(ctx context.Context, b *testing.B, src string) (string, error) {
	u, err := url.Parse(src)
	if err != nil || u.Scheme != "postgres" || strings.Trim(u.Path, "/") == "" {
		return "", fmt.Errorf("%s=%s: give the clinic's database as postgres://USER@/DATABASE?host=SOCKET-FOLDER (%v)", benchPGEnv, src, err)
	}
	from := strings.Trim(u.Path, "/")
	copyName := fmt.Sprintf("bench_copy_%d", os.Getpid())
	admin := *u
	admin.Path = "/postgres"
	conn, err := pgx.Connect(ctx, admin.String())
	if err != nil {
		return "", fmt.Errorf("connecting to the bench server: %w", err)
	}
	defer conn.Close(ctx)
	started := time.Now()
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{copyName}.Sanitize()); err != nil {
		return "", fmt.Errorf("dropping an old copy: %w", err)
	}
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{copyName}.Sanitize()+` TEMPLATE `+pgx.Identifier{from}.Sanitize()+` STRATEGY FILE_COPY`); err != nil {
		return "", fmt.Errorf("copying the bench clinic's database %s: %w", from, err)
	}
	b.Logf("copied the database %s to %s in %s", from, copyName, time.Since(started).Round(time.Millisecond))
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin.String())
		if err != nil {
			b.Errorf("dropping the copy %s: %v", copyName, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP DATABASE `+pgx.Identifier{copyName}.Sanitize()+` WITH (FORCE)`); err != nil {
			b.Errorf("dropping the copy %s: %v", copyName, err)
		}
	})
	u.Path = "/" + copyName
	return u.String(), nil
}

// pgMadeAt is when the clinic was made: its first audit event, written
// when the database was created (or moved with it from the file). The
// demo dates sessions back from then.
func pgMadeAt(ctx context.Context, pool *pgxpool.Pool) (time.Time, error) {
	var at string
	if err := pool.QueryRow(ctx, `SELECT min(at) FROM audit_event`).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("reading when the clinic was made: %w", err)
	}
	return time.Parse(time.RFC3339Nano, at)
}

// pgBusiestDay is the day with the most appointments and its busiest
// technician, the earliest day and the lowest ID of a tie: the query
// data/sqlite's perf test makes, so both stores measure the same day.
func pgBusiestDay(ctx context.Context, pool *pgxpool.Pool) (data.Date, int64, error) {
	var dayText string
	var tech int64
	err := pool.QueryRow(ctx, `SELECT substr(start_at, 1, 10) AS d, technician_id FROM appointment
		WHERE substr(start_at, 1, 10) = (SELECT substr(start_at, 1, 10) FROM appointment GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
		GROUP BY 1, 2 ORDER BY count(*) DESC, 2 LIMIT 1`).Scan(&dayText, &tech)
	if err != nil {
		return data.Date{}, 0, fmt.Errorf("finding the busiest day: %w", err)
	}
	day, err := data.ParseDate(dayText)
	return day, tech, err
}
