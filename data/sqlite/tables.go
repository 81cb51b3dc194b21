package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"needledesk/data"
)

// TableReader reads a clinic file's tables exactly as they are stored,
// row by row, for a move to another store (data/move). It opens the file
// read-only, as Check does (immutable when no -wal file is beside it, so
// SQLite writes nothing next to it either), and reads everything in one
// transaction, so that every table comes from the same moment.
type TableReader struct {
	db      *sql.DB
	tx      *sql.Tx
	path    string
	version int
}

// ReadTables opens the file at path for reading its tables. A missing
// file, a folder or a file that is not a NeedleDesk database is refused;
// a database of another schema than this build's is refused with words
// saying what to do, because its tables would not match.
func ReadTables(ctx context.Context, path string) (*TableReader, error) {
	if err := checkFile(path); err != nil {
		return nil, err
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	uri, err := fileURI(path)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", uri+"?"+checkParams(path))
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	r := &TableReader{db: db, path: path}
	if err := r.begin(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return r, nil
}

func (r *TableReader) begin(ctx context.Context) error {
	tx, err := r.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return describeOpenError(r.path, err)
	}
	r.tx = tx
	ours, err := rowExists(ctx, tx, `SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`)
	if err != nil {
		return describeOpenError(r.path, err)
	}
	if !ours {
		return describeOpenError(r.path, errNotNeedleDesk)
	}
	if r.version, err = schemaVersion(ctx, tx); err != nil {
		return err
	}
	if known := KnownVersion(); r.version != known {
		return data.Explained(fmt.Errorf("%s has schema %d and this NeedleDesk writes schema %d: %s",
			r.path, r.version, known, versionAdvice(r.version, known)))
	}
	return nil
}

func versionAdvice(have, known int) string {
	if have > known {
		return "move it with the newer NeedleDesk that wrote it"
	}
	return "open it once with this NeedleDesk (which brings it up to date), close it, and move it then"
}

// SchemaVersion is the file's schema.
func (r *TableReader) SchemaVersion() int { return r.version }

// Tables names every table in the file (SQLite's own and the search
// index's included) with its columns in their stored order.
func (r *TableReader) Tables(ctx context.Context) (map[string][]string, error) {
	rows, err := r.tx.QueryContext(ctx, `SELECT t.name, c.name FROM sqlite_schema t, pragma_table_info(t.name) c
		WHERE t.type = 'table' ORDER BY t.name, c.cid`)
	if err != nil {
		return nil, fmt.Errorf("reading the tables of %s: %w", r.path, err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return nil, fmt.Errorf("reading the tables of %s: %w", r.path, err)
		}
		out[table] = append(out[table], col)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the tables of %s: %w", r.path, err)
	}
	// Virtual tables list no columns through table_info in every build;
	// make sure each table is named even so.
	names, err := r.tx.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table'`)
	if err != nil {
		return nil, fmt.Errorf("reading the tables of %s: %w", r.path, err)
	}
	defer names.Close()
	for names.Next() {
		var n string
		if err := names.Scan(&n); err != nil {
			return nil, err
		}
		if _, ok := out[n]; !ok {
			out[n] = nil
		}
	}
	return out, names.Err()
}

// CountRows counts a table's rows.
func (r *TableReader) CountRows(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := r.tx.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(table)).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting the rows of %s: %w", table, err)
	}
	return n, nil
}

// Rows reads the columns cols of table in the order of the columns key
// (text by its bytes, as SQLite compares it): each value as stored,
// int64, float64, string, []byte or nil. The caller closes it.
func (r *TableReader) Rows(ctx context.Context, table string, cols, key []string) (*TableRows, error) {
	if len(cols) == 0 {
		return nil, fmt.Errorf("reading %s: no columns asked for", table)
	}
	q := `SELECT ` + quoteIdents(cols) + ` FROM ` + quoteIdent(table)
	if len(key) > 0 {
		q += ` ORDER BY ` + quoteIdents(key)
	}
	rows, err := r.tx.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	return &TableRows{rows: rows, table: table, vals: make([]any, len(cols))}, nil
}

// Close ends the read and closes the file.
func (r *TableReader) Close() error {
	if r.tx != nil {
		_ = r.tx.Rollback()
	}
	return r.db.Close()
}

// TableRows is one table's rows, one at a time: Next, then Values.
type TableRows struct {
	rows  *sql.Rows
	table string
	vals  []any
	err   error
}

// Next moves to the next row; false at the end or on an error (Err).
func (t *TableRows) Next() bool {
	if t.err != nil || !t.rows.Next() {
		return false
	}
	ptrs := make([]any, len(t.vals))
	for i := range t.vals {
		t.vals[i] = nil
		ptrs[i] = &t.vals[i]
	}
	if err := t.rows.Scan(ptrs...); err != nil {
		t.err = fmt.Errorf("reading %s: %w", t.table, err)
		return false
	}
	return true
}

// Values is the current row. The slice is reused by the next Next.
func (t *TableRows) Values() ([]any, error) { return t.vals, t.err }

// Err is what stopped the rows early, if anything.
func (t *TableRows) Err() error {
	if t.err != nil {
		return t.err
	}
	if err := t.rows.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", t.table, err)
	}
	return nil
}

// Close lets go of the rows.
func (t *TableRows) Close() error { return t.rows.Close() }

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteIdents(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quoteIdent(s)
	}
	return strings.Join(q, ", ")
}
