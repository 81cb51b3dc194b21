// Package move moves a clinic from its SQLite file onto a PostgreSQL
// server (`needledesk move-to-postgres`): every table copied as it is
// stored, in one transaction on the server, then counted, hashed and the
// audit chain verified on both sides before that transaction commits.
// The file is only read (data/sqlite's TableReader); the server is written
// with COPY (data/postgres's MoveTarget).
//
// Both stores' tables must match, column for column, apart from the few
// that belong to one store only (listed here with the reason): a table or
// column in one and not the other stops the move and is named, so a
// later migration written for one store only cannot be left behind
// silently.
package move

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"sort"
	"strconv"
	"strings"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/sqlite"
)

// FileOnly are the SQLite file's tables that are not moved, and why.
var FileOnly = map[string]string{
	"schema_migrations":     "each store numbers its own schema",
	"book_names":            "each store counts its own changes to staff, room and treatment names, for its day view",
	"client_search":         "SQLite's search index; the server searches with its own",
	"client_search_data":    "part of SQLite's search index",
	"client_search_idx":     "part of SQLite's search index",
	"client_search_docsize": "part of SQLite's search index",
	"client_search_config":  "part of SQLite's search index",
}

// ServerOnly are the server's tables that nothing is moved into, and why.
var ServerOnly = map[string]string{
	"schema_migrations": "each store numbers its own schema",
	"book_names":        "each store counts its own changes to staff, room and treatment names, for its day view",
}

// FileOnlyMeta are the store_meta keys about the SQLite file itself,
// which are not moved: its search folding and the day its pages were
// last checked. Every other key (the calendar's identity, the trail's)
// moves with the clinic.
var FileOnlyMeta = map[string]bool{"search_fold": true, "full_check_passed_on": true}

// fileOnly reports a table of the file that is not moved.
func fileOnly(name string) bool {
	_, ok := FileOnly[name]
	return ok || strings.HasPrefix(name, "sqlite_")
}

// CompareSchemas says, in one error naming each, which tables and
// columns are in one store's schema and not the other's.
func CompareSchemas(file map[string][]string, server []postgres.Table) error {
	var diffs []string
	onServer := map[string]postgres.Table{}
	for _, t := range server {
		onServer[t.Name] = t
		if _, ok := file[t.Name]; !ok && ServerOnly[t.Name] == "" {
			diffs = append(diffs, fmt.Sprintf("table %s is on the server but not in the file", t.Name))
		}
	}
	names := make([]string, 0, len(file))
	for n := range file {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if fileOnly(n) {
			continue
		}
		st, ok := onServer[n]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("table %s is in the file but not on the server", n))
			continue
		}
		for _, c := range file[n] {
			if !slices.Contains(st.Columns, c) {
				diffs = append(diffs, fmt.Sprintf("column %s.%s is in the file but not on the server", n, c))
			}
		}
		for _, c := range st.Columns {
			if !slices.Contains(file[n], c) {
				diffs = append(diffs, fmt.Sprintf("column %s.%s is on the server but not in the file", n, c))
			}
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	return data.Explained(fmt.Errorf("the SQLite file's tables and the server's differ, so nothing was moved (this version of NeedleDesk cannot move this clinic): %s: %w",
		strings.Join(diffs, "; "), ErrSchemasDiffer))
}

// ErrSchemasDiffer matches a move refused because the stores' tables
// differ.
var ErrSchemasDiffer = errors.New("the two stores' tables differ")

// ErrMismatch matches a move whose check at the end found the server's
// copy different from the file; nothing was kept on the server.
var ErrMismatch = errors.New("the copy on the server does not match the file")

// Progress is how far a move has got: rows of a table copied, or checked.
type Progress struct {
	Table       string
	Done, Total int64
	Checking    bool // the check at the end, rather than the copy
}

// TableReport is one moved table: its rows and their hash, the same on
// both sides.
type TableReport struct {
	Name string
	Rows int64
	Hash string
}

// Report is what a move did.
type Report struct {
	Tables     []TableReport
	AuditChain data.AuditChainReport
}

// progressEvery is how many rows pass between two progress reports.
const progressEvery = 1000

// Move copies the clinic in the SQLite file from into the empty
// NeedleDesk database on the server to (set up by pg-init), and checks
// it, all in one transaction there: on any error nothing is kept on the
// server, and the file is never changed. progress may be nil.
func Move(ctx context.Context, from, to string, progress func(Progress)) (Report, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	var rep Report
	file, err := sqlite.ReadTables(ctx, from)
	if err != nil {
		return rep, err
	}
	defer file.Close()
	server, err := postgres.OpenMoveTarget(ctx, to)
	if err != nil {
		return rep, err
	}
	defer server.Close(ctx)
	fileTables, err := file.Tables(ctx)
	if err != nil {
		return rep, err
	}
	if err := CompareSchemas(fileTables, server.Tables()); err != nil {
		return rep, err
	}
	for _, t := range movedTables(server.Tables()) {
		tr, err := copyTable(ctx, file, server, t, progress)
		if err != nil {
			return rep, err
		}
		rep.Tables = append(rep.Tables, tr)
	}
	if err := server.RaiseSequences(ctx); err != nil {
		return rep, err
	}
	if rep.AuditChain, err = check(ctx, server, rep.Tables, progress); err != nil {
		return rep, err
	}
	return rep, server.Commit(ctx)
}

func movedTables(all []postgres.Table) []postgres.Table {
	return slices.DeleteFunc(slices.Clone(all), func(t postgres.Table) bool { return ServerOnly[t.Name] != "" })
}

// copyTable copies one table, hashing each row as it goes.
func copyTable(ctx context.Context, file *sqlite.TableReader, server *postgres.MoveTarget, t postgres.Table, progress func(Progress)) (TableReport, error) {
	tr := TableReport{Name: t.Name}
	total, err := file.CountRows(ctx, t.Name)
	if err != nil {
		return tr, err
	}
	rows, err := file.Rows(ctx, t.Name, t.Columns, t.Key)
	if err != nil {
		return tr, err
	}
	defer rows.Close()
	src := &hashingRows{src: rows, h: newRowHasher(), cols: t.Columns}
	if t.Name == "store_meta" {
		src.skip = func(vals []any) bool {
			key, _ := vals[slices.Index(t.Columns, "key")].(string)
			return FileOnlyMeta[key]
		}
	}
	src.tick = func(n int64) {
		if n%progressEvery == 0 {
			progress(Progress{Table: t.Name, Done: n, Total: total})
		}
	}
	n, err := server.Copy(ctx, t.Name, t.Columns, src)
	if err != nil {
		return tr, err
	}
	if src.err != nil {
		return tr, fmt.Errorf("copying %s: %w", t.Name, src.err)
	}
	if n != src.n {
		return tr, fmt.Errorf("copying %s: %d rows read from the file, %d written on the server: %w", t.Name, src.n, n, ErrMismatch)
	}
	progress(Progress{Table: t.Name, Done: n, Total: n})
	tr.Rows, tr.Hash = n, src.h.sum()
	return tr, nil
}

// check reads every moved table back from the server inside the move's
// transaction and compares its count and hash with the file's, then
// verifies the audit chain there.
func check(ctx context.Context, server *postgres.MoveTarget, tables []TableReport, progress func(Progress)) (data.AuditChainReport, error) {
	for _, want := range tables {
		t, _ := server.TableNamed(want.Name)
		h := newRowHasher()
		var n int64
		err := server.Rows(ctx, t.Name, t.Columns, func(vals []any) error {
			n++
			if n%progressEvery == 0 {
				progress(Progress{Table: t.Name, Done: n, Total: want.Rows, Checking: true})
			}
			return h.row(vals)
		})
		if err != nil {
			return data.AuditChainReport{}, fmt.Errorf("checking %s on the server: %w", t.Name, err)
		}
		progress(Progress{Table: t.Name, Done: n, Total: want.Rows, Checking: true})
		if got := h.sum(); n != want.Rows || got != want.Hash {
			return data.AuditChainReport{}, data.Explained(fmt.Errorf("%s on the server has %d rows (hash %.12s) where the file has %d (hash %.12s); nothing was kept on the server: %w",
				t.Name, n, got, want.Rows, want.Hash, ErrMismatch))
		}
	}
	chain, err := server.VerifyAuditChain(ctx)
	if err != nil {
		return chain, err
	}
	if !chain.OK() {
		return chain, data.Explained(fmt.Errorf("the audit trail does not verify on the server: %s; nothing was kept on the server (needledesk check --db on the file says whether the file's own trail is sound): %w",
			chain.Problem, ErrMismatch))
	}
	return chain, nil
}

// hashingRows passes the file's rows on to COPY, counting and hashing
// each (and leaving out those skip refuses).
type hashingRows struct {
	src  *sqlite.TableRows
	h    *rowHasher
	cols []string
	skip func([]any) bool
	tick func(int64)
	n    int64
	err  error
}

func (r *hashingRows) Next() bool {
	for r.src.Next() {
		vals, err := r.src.Values()
		if err != nil {
			r.err = err
			return false
		}
		if r.skip != nil && r.skip(vals) {
			continue
		}
		if err := r.h.row(vals); err != nil {
			r.err = err
			return false
		}
		r.n++
		r.tick(r.n)
		return true
	}
	return false
}

func (r *hashingRows) Values() ([]any, error) { return r.src.Values() }

func (r *hashingRows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.src.Err()
}

// rowHasher hashes rows so that the same values give the same hash from
// either store: a whole number (a yes or no as 0 or 1), a fraction in its
// shortest exact form, text and bytes with their lengths, NULL.
type rowHasher struct {
	h   hash.Hash
	buf []byte
}

func newRowHasher() *rowHasher { return &rowHasher{h: sha256.New()} }

func (h *rowHasher) row(vals []any) error {
	b := h.buf[:0]
	for _, v := range vals {
		switch v := v.(type) {
		case nil:
			b = append(b, 'n')
		case bool:
			b = append(b, 'i')
			if v {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
		case int64:
			b = strconv.AppendInt(append(b, 'i'), v, 10)
		case int32:
			b = strconv.AppendInt(append(b, 'i'), int64(v), 10)
		case int16:
			b = strconv.AppendInt(append(b, 'i'), int64(v), 10)
		case float64:
			b = strconv.AppendFloat(append(b, 'f'), v, 'g', -1, 64)
		case string:
			b = append(strconv.AppendInt(append(b, 's'), int64(len(v)), 10), ':')
			b = append(b, v...)
		case []byte:
			b = append(strconv.AppendInt(append(b, 'b'), int64(len(v)), 10), ':')
			b = append(b, v...)
		default:
			return fmt.Errorf("a value of type %T cannot be compared", v)
		}
		b = append(b, ';')
	}
	b = append(b, '\n')
	h.buf = b
	_, _ = h.h.Write(b)
	return nil
}

func (h *rowHasher) sum() string { return hex.EncodeToString(h.h.Sum(nil)) }
