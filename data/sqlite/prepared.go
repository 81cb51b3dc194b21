package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// SQLite parses and plans a statement each time database/sql runs one by
// its text: on a thousand-row day a twentieth of the read. preparedReads
// keeps the read pool's statements that every day view runs, each
// prepared once on each read connection (database/sql keeps one per
// connection behind a *sql.Stmt, and prepares it inside a transaction on
// that transaction's own connection when it is not there yet).
//
// They are made by prepare, before the reader takes a transaction:
// making one takes a connection of the pool, and readers that each held
// one while waiting for another (two day views at once, each in two
// halves, on four connections) would wait for each other for ever. A
// transaction only ever uses what is made; a text that was not made runs
// as it is.
type preparedReads struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// prepare makes the statements for queries not made yet. The caller
// must hold no transaction of pool.
func (p *preparedReads) prepare(ctx context.Context, pool *sql.DB, queries ...string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, q := range queries {
		if _, ok := p.stmts[q]; ok {
			continue
		}
		st, err := pool.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		if p.stmts == nil {
			p.stmts = map[string]*sql.Stmt{}
		}
		p.stmts[q] = st
	}
	return nil
}

// in gives tx's copy of the statement made for query, or nil.
func (p *preparedReads) in(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	p.mu.Lock()
	st, ok := p.stmts[query]
	p.mu.Unlock()
	if !ok {
		return nil
	}
	return tx.StmtContext(ctx, st)
}

// close closes every statement kept.
func (p *preparedReads) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, st := range p.stmts {
		_ = st.Close()
	}
	p.stmts = nil
}

// preparedTx is a read transaction that runs the queries preparedReads
// made as those statements; writes are not for it (query_only), so
// ExecContext runs as usual.
type preparedTx struct {
	*sql.Tx
	reads *preparedReads
}

func (t preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.reads.in(ctx, t.Tx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.reads.in(ctx, t.Tx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}
