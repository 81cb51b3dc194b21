package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"needledesk/data"
)

// Table is one of NeedleDesk's tables on the server: its columns in their
// stored order, its primary key, and each column's type.
type Table struct {
	Name    string
	Columns []string
	Key     []string
	types   map[string]string // column -> data type, as information_schema says
}

// Type is a column's type in PostgreSQL's words (bigint, text, boolean...).
func (t Table) Type(col string) string { return t.types[col] }

// RowSource gives rows one at a time, as pgx's CopyFrom takes them.
type RowSource interface {
	Next() bool
	Values() ([]any, error)
	Err() error
}

// MoveTarget is an empty NeedleDesk database being filled by a move
// (data/move): everything it writes is in one transaction, which Commit
// makes lasting and Close without Commit throws away.
type MoveTarget struct {
	conn   *pgx.Conn
	tx     pgx.Tx
	tables []Table
	quiet  bool // the trail's triggers are off (quietTrail)
	done   bool
}

// OpenMoveTarget connects to url, which pg-init has set up with this
// version's schema, starts the move's transaction and makes sure the
// database holds no records. A database without NeedleDesk's tables, of
// another schema, or already holding records is refused with words
// saying what was found.
func OpenMoveTarget(ctx context.Context, url string) (*MoveTarget, error) {
	conn, err := connectOne(ctx, url)
	if err != nil {
		return nil, err
	}
	m := &MoveTarget{conn: conn}
	if err := m.begin(ctx); err != nil {
		_ = m.Close(ctx)
		return nil, err
	}
	return m, nil
}

func (m *MoveTarget) begin(ctx context.Context) error {
	tx, err := m.conn.Begin(ctx)
	if err != nil {
		return describeServerError(fmt.Errorf("starting the move: %w", err))
	}
	m.tx = tx
	if err := checkSchemaForMove(ctx, tx); err != nil {
		return err
	}
	// A second move at the same time waits here, then finds records.
	if _, err := tx.Exec(ctx, `LOCK TABLE audit_head IN EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("starting the move: %w", err)
	}
	if err := quietTrail(ctx, tx); err != nil {
		return err
	}
	m.quiet = true
	if m.tables, err = readTables(ctx, tx); err != nil {
		return err
	}
	if err := m.refuseRecords(ctx); err != nil {
		return err
	}
	// What the migrations put in: the empty trail's head, the new
	// database's calendar identity and its count of changes to the client
	// list. The moved clinic brings its own. Its clients are not a change
	// to its list, so the count's triggers (migration 9) are told this
	// transaction has been counted already: the file's count arrives as
	// it is, and is checked with the rest.
	if _, err := tx.Exec(ctx, `DELETE FROM audit_head; DELETE FROM store_meta; DELETE FROM client_order;
		SELECT set_config('needledesk.client_order_counted', txid_current()::text, true)`); err != nil {
		return fmt.Errorf("starting the move: %w", err)
	}
	return nil
}

// quietTrail turns the audit trail's own triggers off for the move's
// transaction (VerifyAuditChain turns them on again before the check):
// the moved events are not changes for the workstations to hear of, one
// notification each, and nothing but INSERT touches the trail meanwhile.
// Only the tables' owner may; anyone else is told who to move as.
func quietTrail(ctx context.Context, tx pgx.Tx) error {
	var owner, self string
	if err := tx.QueryRow(ctx, `SELECT tableowner, current_user FROM pg_tables
		WHERE schemaname = current_schema() AND tablename = 'audit_event'`).Scan(&owner, &self); err != nil {
		return fmt.Errorf("starting the move: %w", err)
	}
	_, err := tx.Exec(ctx, `ALTER TABLE audit_event DISABLE TRIGGER USER`)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42501" {
		return data.Explained(fmt.Errorf("%s may not move a clinic in: move it as %s, the role that ran pg-init and owns the tables: %w", self, owner, data.ErrInvalid))
	}
	if err != nil {
		return fmt.Errorf("starting the move: %w", err)
	}
	return nil
}

// checkSchemaForMove refuses a database pg-init has not set up, or one
// of another version.
func checkSchemaForMove(ctx context.Context, tx pgx.Tx) error {
	ours, err := rowExists(ctx, tx, `SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'`)
	if err != nil {
		return fmt.Errorf("reading the schema: %w", err)
	}
	if !ours {
		return data.Explained(fmt.Errorf("this database has no NeedleDesk tables: set it up with needledesk pg-init first, then move the clinic into it: %w", data.ErrInvalid))
	}
	v, err := currentVersion(ctx, tx)
	if err != nil {
		return err
	}
	if v != KnownVersion() {
		return data.Explained(fmt.Errorf("this database has NeedleDesk's schema %d and this version writes schema %d: move the clinic with the same version of NeedleDesk that set the database up: %w",
			v, KnownVersion(), data.ErrInvalid))
	}
	return nil
}

// Tables is the database's tables, each after the tables it refers to,
// so that copying them in this order keeps every reference good.
func (m *MoveTarget) Tables() []Table { return m.tables }

// TableNamed is the table called name.
func (m *MoveTarget) TableNamed(name string) (Table, bool) {
	for _, t := range m.tables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// readTables reads the schema's tables, columns, keys and references.
// A generated column (appointment.has_texts) is left out: the server
// computes it from the row, so nothing is moved into it.
func readTables(ctx context.Context, q queryer) ([]Table, error) {
	rows, err := q.Query(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`)
	if err != nil {
		return nil, fmt.Errorf("reading the tables: %w", err)
	}
	byName := map[string]*Table{}
	var names []string
	for rows.Next() {
		var table, col, typ string
		if err := rows.Scan(&table, &col, &typ); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading the tables: %w", err)
		}
		t := byName[table]
		if t == nil {
			t = &Table{Name: table, types: map[string]string{}}
			byName[table] = t
			names = append(names, table)
		}
		t.Columns = append(t.Columns, col)
		t.types[col] = typ
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the tables: %w", err)
	}
	if err := readKeys(ctx, q, byName); err != nil {
		return nil, err
	}
	refs, err := readReferences(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []Table
	for _, n := range referencedFirst(names, refs) {
		out = append(out, *byName[n])
	}
	return out, nil
}

func readKeys(ctx context.Context, q queryer, byName map[string]*Table) error {
	rows, err := q.Query(ctx, `SELECT c.conrelid::regclass::text, a.attname
		FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
		WHERE c.contype = 'p' AND c.connamespace = current_schema()::regnamespace
		ORDER BY 1, k.n`)
	if err != nil {
		return fmt.Errorf("reading the tables' keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return fmt.Errorf("reading the tables' keys: %w", err)
		}
		if t := byName[strings.Trim(table, `"`)]; t != nil {
			t.Key = append(t.Key, col)
		}
	}
	return rows.Err()
}

// readReferences maps each table to the tables it refers to.
func readReferences(ctx context.Context, q queryer) (map[string][]string, error) {
	rows, err := q.Query(ctx, `SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
		WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, fmt.Errorf("reading the tables' references: %w", err)
	}
	defer rows.Close()
	refs := map[string][]string{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, fmt.Errorf("reading the tables' references: %w", err)
		}
		refs[strings.Trim(from, `"`)] = append(refs[strings.Trim(from, `"`)], strings.Trim(to, `"`))
	}
	return refs, rows.Err()
}

// referencedFirst orders names so that each comes after those it refers
// to, otherwise by name.
func referencedFirst(names []string, refs map[string][]string) []string {
	sort.Strings(names)
	var out []string
	placed := map[string]bool{}
	var place func(n string, seen map[string]bool)
	place = func(n string, seen map[string]bool) {
		if placed[n] || seen[n] {
			return
		}
		seen[n] = true
		deps := slices.Clone(refs[n])
		sort.Strings(deps)
		for _, d := range deps {
			place(d, seen)
		}
		placed[n] = true
		out = append(out, n)
	}
	for _, n := range names {
		place(n, map[string]bool{})
	}
	return out
}

// refuseRecords refuses a database that holds any record: only what the
// migrations themselves put in is allowed.
func (m *MoveTarget) refuseRecords(ctx context.Context) error {
	var found []string
	for _, t := range m.tables {
		cond := ""
		switch t.Name {
		case "schema_migrations", "book_names": // the migrations' own; the day view's count of name changes
			continue
		case "audit_head":
			cond = ` WHERE events <> 0 OR last_id <> 0`
		case "store_meta":
			cond = ` WHERE key <> 'calendar_id'`
		case "client_order":
			cond = ` WHERE version <> 0`
		}
		var n int64
		if err := m.tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{t.Name}.Sanitize()+cond).Scan(&n); err != nil {
			return fmt.Errorf("looking at what the database holds: %w", err)
		}
		if n > 0 {
			found = append(found, fmt.Sprintf("%s (%d %s)", t.Name, n, plural(n, "row", "rows")))
		}
	}
	if len(found) == 0 {
		return nil
	}
	return data.Explained(fmt.Errorf("%w: it already holds records: %s; nothing was changed: move the clinic into a new database set up with needledesk pg-init",
		ErrNotEmpty, strings.Join(found, ", ")))
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Copy writes rows into table's columns cols with COPY, in the move's
// transaction, and returns how many it wrote. A whole number stored for
// a boolean column (SQLite's 0 and 1) becomes false or true.
func (m *MoveTarget) Copy(ctx context.Context, table string, cols []string, rows RowSource) (int64, error) {
	t, ok := m.TableNamed(table)
	if !ok {
		return 0, fmt.Errorf("copying %s: there is no such table on the server", table)
	}
	src := &typedRows{src: rows, bools: make([]bool, len(cols))}
	for i, c := range cols {
		src.bools[i] = t.Type(c) == "boolean"
	}
	n, err := m.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, src)
	if err != nil {
		return n, fmt.Errorf("copying %s: %w", table, describeServerError(err))
	}
	return n, nil
}

// typedRows turns SQLite's 0 and 1 into booleans where the server wants
// them.
type typedRows struct {
	src   RowSource
	bools []bool
	out   []any
}

func (r *typedRows) Next() bool { return r.src.Next() }
func (r *typedRows) Err() error { return r.src.Err() }

func (r *typedRows) Values() ([]any, error) {
	vals, err := r.src.Values()
	if err != nil {
		return nil, err
	}
	r.out = append(r.out[:0], vals...)
	for i, isBool := range r.bools {
		if !isBool {
			continue
		}
		switch v := r.out[i].(type) {
		case int64:
			if v != 0 && v != 1 {
				return nil, fmt.Errorf("the value %d is stored for a yes-or-no column", v)
			}
			r.out[i] = v == 1
		case nil, bool:
		default:
			return nil, fmt.Errorf("a %T is stored for a yes-or-no column", v)
		}
	}
	return r.out, nil
}

// Rows reads table's columns cols in the order of its key (text by its
// bytes, as SQLite compares it) and calls fn with each row's values;
// booleans come as true and false.
func (m *MoveTarget) Rows(ctx context.Context, table string, cols []string, fn func([]any) error) error {
	t, ok := m.TableNamed(table)
	if !ok {
		return fmt.Errorf("reading %s: there is no such table on the server", table)
	}
	var order []string
	for _, k := range t.Key {
		o := pgx.Identifier{k}.Sanitize()
		if t.Type(k) == "text" {
			o += ` COLLATE "C"`
		}
		order = append(order, o)
	}
	q := `SELECT ` + identList(cols) + ` FROM ` + pgx.Identifier{table}.Sanitize()
	if len(order) > 0 {
		q += ` ORDER BY ` + strings.Join(order, ", ")
	}
	rows, err := m.tx.Query(ctx, q)
	if err != nil {
		return fmt.Errorf("reading %s: %w", table, describeServerError(err))
	}
	defer rows.Close()
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return fmt.Errorf("reading %s: %w", table, err)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", table, err)
	}
	return nil
}

func identList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(q, ", ")
}

// RaiseSequences sets each table's ID counter past the highest ID moved
// in, so that the next record made on the server gets a new ID.
func (m *MoveTarget) RaiseSequences(ctx context.Context) error {
	rows, err := m.tx.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name`)
	if err != nil {
		return fmt.Errorf("reading the ID counters: %w", err)
	}
	type ident struct{ table, col string }
	idents, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ident, error) {
		var id ident
		return id, r.Scan(&id.table, &id.col)
	})
	if err != nil {
		return fmt.Errorf("reading the ID counters: %w", err)
	}
	for _, id := range idents {
		t, c := pgx.Identifier{id.table}.Sanitize(), pgx.Identifier{id.col}.Sanitize()
		_, err := m.tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(`+c+`), 1), max(`+c+`) IS NOT NULL) FROM `+t,
			t, id.col)
		if err != nil {
			return fmt.Errorf("setting the ID counter of %s: %w", id.table, err)
		}
	}
	return nil
}

// VerifyAuditChain turns the trail's triggers on again and checks the
// trail as the move has written it, before it commits, with the same
// code as the stores' check. A move commits only after it.
func (m *MoveTarget) VerifyAuditChain(ctx context.Context) (data.AuditChainReport, error) {
	if err := m.wake(ctx); err != nil {
		return data.AuditChainReport{}, err
	}
	rep, err := verifyChainIn(ctx, m.tx)
	if err != nil {
		return rep, fmt.Errorf("checking the moved audit trail: %w", err)
	}
	return rep, nil
}

// wake turns the trail's triggers on again.
func (m *MoveTarget) wake(ctx context.Context) error {
	if !m.quiet {
		return nil
	}
	if _, err := m.tx.Exec(ctx, `ALTER TABLE audit_event ENABLE TRIGGER USER`); err != nil {
		return fmt.Errorf("turning the audit trail's triggers on again: %w", err)
	}
	m.quiet = false
	return nil
}

// Commit makes the move lasting, the trail's triggers on.
func (m *MoveTarget) Commit(ctx context.Context) error {
	if err := m.wake(ctx); err != nil {
		return err
	}
	if err := m.tx.Commit(ctx); err != nil {
		return describeServerError(fmt.Errorf("saving the move: %w", err))
	}
	m.done = true
	return nil
}

// Close throws away whatever was not committed and disconnects.
func (m *MoveTarget) Close(ctx context.Context) error {
	var err error
	if m.tx != nil && !m.done {
		err = m.tx.Rollback(context.WithoutCancel(ctx))
		if errors.Is(err, pgx.ErrTxClosed) {
			err = nil
		}
	}
	return errors.Join(err, m.conn.Close(context.WithoutCancel(ctx)))
}
