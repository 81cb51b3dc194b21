// Package rowhash is the row hash both stores record in the audit trail
// and check: each change NeedleDesk makes to a client, a session or a
// staff member records in its audit event the SHA-256 of the row as
// written (audit_event.row_hash, SQLite's migration 10), and the chain
// covers it. `needledesk check` hashes every current row again and
// compares it with its last recorded hash, so a row changed with a
// database tool, behind NeedleDesk's back, shows.
//
// What is hashed is the record's own columns, in a fixed order: not the
// columns the store derives from others (a client's sort and search keys,
// which a new version may recompute, and the copy of their latest
// session), nor a staff member's count of wrong passwords, which every
// sign-in changes. A session's hash covers its areas and depths and its
// recommended products too.
//
// The stores read the rows (the SQL is theirs) and hand the values here;
// a value encodes the same from either store (SQLite's 0 and 1 and
// PostgreSQL's booleans, an integer of any width), so a clinic moved from
// its file onto a server verifies there with the hashes the file
// recorded. The encoding is SQLite's since migration 10, byte for byte:
// changing it would make every recorded hash look like a change.
package rowhash

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"

	"needledesk/data"
)

// Source says what a kind of record's hash covers.
type Source struct {
	Table    string
	Columns  []string // id first
	Children []Child
}

// Child is a table of rows that belong to a record, hashed with it in
// the order of Order (columns of Columns).
type Child struct {
	Table, Parent string
	Columns       []string
	Order         []string
}

var sources = map[data.Entity]Source{
	data.EntityClient: {Table: "client", Columns: []string{"id", "given_name", "family_name", "date_of_birth", "phone",
		"email", "address", "skin_type", "concerns", "allergies", "medications", "medical_notes",
		"isotretinoin", "isotretinoin_stopped", "pregnant_or_nursing", "anticoagulants", "keloid_tendency",
		"active_infection", "metal_allergy", "recent_actives", "recent_actives_on", "recent_actives_what",
		"consent_signed_on", "consent_form_version", "notes", "created_at", "updated_at", "archived_at"}},
	data.EntityStaff: {Table: "staff", Columns: []string{"id", "name", "role", "active", "password_hash"}},
	data.EntitySession: {Table: "session", Columns: []string{"id", "client_id", "technician_id", "started_at", "device",
		"needle_lot", "passes", "numbing_agent", "numbing_minutes", "glide_serum", "products_applied", "reaction",
		"notes", "next_due", "warnings", "override_reason", "aftercare_notes", "created_at", "updated_at"},
		Children: []Child{
			{Table: "session_area", Parent: "session_id", Columns: []string{"area", "depth_mm", "position"},
				Order: []string{"position", "area"}},
			{Table: "session_recommendation", Parent: "session_id", Columns: []string{"product_id", "start_day", "position"},
				Order: []string{"position", "product_id"}},
		}},
}

// Entities are the kinds of records whose rows are hashed, in the order
// check compares them.
var Entities = []data.Entity{data.EntityClient, data.EntitySession, data.EntityStaff}

// For says what entity's hash covers; false for a kind of record that is
// not hashed.
func For(entity data.Entity) (Source, bool) {
	s, ok := sources[entity]
	return s, ok
}

// Hashed reports whether events about entity carry a row hash.
func Hashed(entity data.Entity) bool {
	_, ok := sources[entity]
	return ok
}

// WriteActions are the actions that record a write of a hashed record's
// columns, and so its row hash.
var WriteActions = []data.Action{data.ActionCreate, data.ActionUpdate, data.ActionArchive, data.ActionAmend, data.ActionPasswordSet}

// Query is one statement a hash needs: the store selects Columns from
// Table where Key is one of the records' IDs, in any order.
type Query struct {
	Table   string
	Columns string // Key first
	Key     string
}

// queries are each source's Queries, worked out once.
var queries = func() map[data.Entity][]Query {
	out := map[data.Entity][]Query{}
	for e, s := range sources {
		out[e] = s.Queries()
	}
	return out
}()

// Queries are the statements that read the source's records: the
// record's own row first, then each kind of child row.
func (s Source) Queries() []Query {
	qs := []Query{{Table: s.Table, Columns: strings.Join(s.Columns, ", "), Key: "id"}}
	for _, c := range s.Children {
		qs = append(qs, Query{Table: c.Table, Columns: c.Parent + ", " + strings.Join(c.Columns, ", "), Key: c.Parent})
	}
	return qs
}

// tag starts every row encoding.
const tag = "needledesk row v1\x00"

// AppendValue encodes one column's value: a type byte, then integers and
// reals as 8 bytes, text and blobs behind their length. A yes or no is
// the integer 0 or 1, as SQLite keeps it.
func AppendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, 0)
	case int64:
		return binary.BigEndian.AppendUint64(append(b, 1), uint64(v))
	case int32:
		return AppendValue(b, int64(v))
	case int16:
		return AppendValue(b, int64(v))
	case int:
		return AppendValue(b, int64(v))
	case float64:
		return binary.BigEndian.AppendUint64(append(b, 2), math.Float64bits(v))
	case string:
		b = binary.BigEndian.AppendUint64(append(b, 3), uint64(len(v)))
		return append(b, v...)
	case []byte:
		b = binary.BigEndian.AppendUint64(append(b, 4), uint64(len(v)))
		return append(b, v...)
	case bool:
		n := int64(0)
		if v {
			n = 1
		}
		return AppendValue(b, n)
	}
	s := fmt.Sprint(v)
	b = binary.BigEndian.AppendUint64(append(b, 5), uint64(len(s)))
	return append(b, s...)
}

// Rows gathers the rows of some records of one kind, read by the
// source's Queries, and hashes each record.
type Rows struct {
	src      Source
	queries  []Query
	enc      map[int64][]byte
	children []map[int64][]childRow // per kind of child, by parent
	order    [][]int                // per kind of child, the indexes of its Order in its values
}

type childRow struct {
	keys []any
	enc  []byte
}

// NewRows starts gathering entity's rows; false for a kind of record that
// is not hashed.
func NewRows(entity data.Entity) (*Rows, bool) {
	src, ok := sources[entity]
	if !ok {
		return nil, false
	}
	r := &Rows{src: src, queries: queries[entity], enc: map[int64][]byte{}}
	for _, c := range src.Children {
		idx := make([]int, len(c.Order))
		for i, col := range c.Order {
			idx[i] = slices.Index(c.Columns, col) + 1 // after the parent's ID
		}
		r.children = append(r.children, map[int64][]childRow{})
		r.order = append(r.order, idx)
	}
	return r, true
}

// Queries are the statements whose rows Add takes.
func (r *Rows) Queries() []Query { return r.queries }

// Add takes one row of query q (an index into Queries), its values in
// the query's column order, the record's or parent's ID first. vals may
// be reused once Add returns.
func (r *Rows) Add(q int, vals []any) error {
	if len(vals) == 0 {
		return fmt.Errorf("a row with no values")
	}
	id, ok := integer(vals[0])
	if !ok {
		return fmt.Errorf("a row whose ID is %T", vals[0])
	}
	if q == 0 {
		b := append([]byte(tag), r.src.Table...)
		for _, v := range vals {
			b = AppendValue(b, v)
		}
		r.enc[id] = b
		return nil
	}
	if q < 1 || q > len(r.children) {
		return fmt.Errorf("no query %d", q)
	}
	keys := make([]any, len(r.order[q-1]))
	for i, k := range r.order[q-1] {
		keys[i] = vals[k]
	}
	b := []byte{0xfe}
	for _, v := range vals[1:] {
		b = AppendValue(b, v)
	}
	r.children[q-1][id] = append(r.children[q-1][id], childRow{keys: keys, enc: b})
	return nil
}

// Sums hashes each record that had a row: hex SHA-256 by ID. A record's
// child rows follow it, each kind behind its table's name, in their
// Order (as SQLite's BINARY collation sorts text: by its bytes).
func (r *Rows) Sums() map[int64]string {
	out := make(map[int64]string, len(r.enc))
	for id, b := range r.enc {
		for i, c := range r.src.Children {
			b = append(append(b, 0xff), c.Table...)
			rows := r.children[i][id]
			slices.SortFunc(rows, func(x, y childRow) int { return compareKeys(x.keys, y.keys) })
			for _, row := range rows {
				b = append(b, row.enc...)
			}
		}
		sum := sha256.Sum256(b)
		out[id] = hex.EncodeToString(sum[:])
	}
	return out
}

func compareKeys(x, y []any) int {
	for i := range x {
		if c := compareValues(x[i], y[i]); c != 0 {
			return c
		}
	}
	return 0
}

// compareValues orders values as SQLite does: NULL, then numbers, then
// text and blobs by their bytes.
func compareValues(x, y any) int {
	rank := func(v any) int {
		switch v.(type) {
		case nil:
			return 0
		case string:
			return 3
		case []byte:
			return 4
		}
		if _, ok := number(v); ok {
			return 1
		}
		return 5
	}
	if c := cmp.Compare(rank(x), rank(y)); c != 0 {
		return c
	}
	switch x := x.(type) {
	case string:
		return strings.Compare(x, y.(string))
	case []byte:
		return strings.Compare(string(x), string(y.([]byte)))
	}
	if a, ok := integer(x); ok {
		if b, ok := integer(y); ok {
			return cmp.Compare(a, b)
		}
	}
	a, aok := number(x)
	b, bok := number(y)
	if aok && bok {
		return cmp.Compare(a, b)
	}
	return strings.Compare(fmt.Sprint(x), fmt.Sprint(y))
}

func integer(v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case int32:
		return int64(v), true
	case int16:
		return int64(v), true
	case int:
		return int64(v), true
	}
	return 0, false
}

func number(v any) (float64, bool) {
	if f, ok := v.(float64); ok {
		return f, true
	}
	if b, ok := v.(bool); ok {
		if b {
			return 1, true
		}
		return 0, true
	}
	n, ok := integer(v)
	return float64(n), ok
}
