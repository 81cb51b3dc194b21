package postgres_test

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"needledesk/data/internal/benchpaths"
)

// TestHotPathsBenchmarkRuns runs BenchmarkHotPaths once (-benchtime 1x)
// in a child of this test binary, on a clinic of 200 clients on its own
// throwaway server, and checks that every operation both stores have
// reported its median and 95th percentile under the name the SQLite
// benchmark gives it, as benchtable reads them.
func TestHotPathsBenchmarkRuns(t *testing.T) {
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$", "-test.bench=^BenchmarkHotPaths$",
		"-test.benchtime=1x", "-test.benchmem", "-test.count=1")
	cmd.Env = append(slicesWithout(os.Environ(), benchPGEnv+"=", "NEEDLEDESK_PG_URL="), benchClientsEnv+"=200")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the benchmark failed: %v\n%s", err, out)
	}
	var want []string
	for _, s := range slices.Concat(benchpaths.Searches, []struct{ Name, Text string }{benchpaths.WorstSearch}) {
		want = append(want, "search/"+s.Name)
	}
	want = append(want, "search/typical_mix", "search-500/typical_mix", "client-list/first_page",
		"due-back/first_page", "due-back/whole_14_days", "open-client/client", "open-client/50_sessions",
		"open-client/50_sheets", "open-client/all_three", "book/day_view", "book/week_view", "book/booking",
		"aftercare-sheet/plan+render")
	for _, op := range want {
		line := regexp.MustCompile(`(?m)^BenchmarkHotPaths/` + regexp.QuoteMeta(op) + `(-\d+)?\s+1\s+.*$`).Find(out)
		if line == nil {
			t.Errorf("no result for %s", op)
			continue
		}
		for _, metric := range []string{" p50-ms", " p95-ms", " rows", " allocs/op"} {
			if !strings.Contains(string(line), metric) {
				t.Errorf("%s reports no%s: %s", op, metric, line)
			}
		}
	}
	// The client with 50 sessions, read back whole.
	if line := regexp.MustCompile(`(?m)^BenchmarkHotPaths/open-client/50_sessions.*\s50(\.00)? rows`).Find(out); line == nil {
		t.Errorf("the client record did not read 50 sessions:\n%s", out)
	}
	if t.Failed() {
		t.Logf("the benchmark's output:\n%s", out)
	}
}

// slicesWithout is env without the variables named by the prefixes.
func slicesWithout(env []string, prefixes ...string) []string {
	var out []string
	for _, kv := range env {
		keep := true
		for _, p := range prefixes {
			if strings.HasPrefix(kv, p) {
				keep = false
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}
