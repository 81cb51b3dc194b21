package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// SQLite parses and plans a statement each time database/sql runs one by
// its text: on a thousand-row day a twentieth of the read. preparedReads
// keeps the read pool's statements that every day and week view runs,
// each prepared once on each read connection (database/sql keeps one
// per connection behind a *sql.Stmt and reuses it inside a transaction).
type preparedReads struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// in gives tx's copy of the statement for query, preparing it on the
// pool first when it is new.
func (p *preparedReads) in(ctx context.Context, pool *sql.DB, tx *sql.Tx, query string) (*sql.Stmt, error) {
	p.mu.Lock()
	st, ok := p.stmts[query]
	if !ok {
		var err error
		if st, err = pool.PrepareContext(ctx, query); err != nil {
			p.mu.Unlock()
			return nil, err
		}
		if p.stmts == nil {
			p.stmts = map[string]*sql.Stmt{}
		}
		p.stmts[query] = st
	}
	p.mu.Unlock()
	return tx.StmtContext(ctx, st), nil
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

// preparedTx is a read transaction that runs its queries as kept
// statements; writes are not for it (query_only), so ExecContext runs as
// usual.
type preparedTx struct {
	*sql.Tx
	pool  *sql.DB
	reads *preparedReads
}

func (t preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := t.reads.in(ctx, t.pool, t.Tx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (t preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := t.reads.in(ctx, t.pool, t.Tx, query)
	if err != nil {
		// A *sql.Row carries its error only from a query; run the text
		// so the caller's Scan reports why.
		return t.Tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
