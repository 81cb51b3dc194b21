package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// TestBeginWriteOutwaitsTheBusyTimeout holds the write lock on one
// connection for many times the other's busy timeout: a plain BEGIN gives
// up, beginWrite waits and then gets its turn.
func TestBeginWriteOutwaitsTheBusyTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wait.db")
	open := func(busyMS string) *sql.DB {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout("+busyMS+")&_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	holder, waiter := open("5000"), open("20")
	ctx := t.Context()
	if _, err := holder.ExecContext(ctx, `CREATE TABLE t (who TEXT)`); err != nil {
		t.Fatal(err)
	}
	held, err := holder.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := held.ExecContext(ctx, `INSERT INTO t VALUES ('holder')`); err != nil {
		t.Fatal(err)
	}
	if tx, err := waiter.BeginTx(ctx, nil); !isBusy(err) {
		t.Fatalf("a plain BEGIN while the lock is held: %v; want SQLITE_BUSY", err)
	} else if tx != nil {
		_ = tx.Rollback()
	}
	done := make(chan error, 1)
	go func() {
		tx, err := beginWrite(ctx, waiter)
		if err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO t VALUES ('waiter')`)
		}
		if err == nil {
			err = tx.Commit()
		}
		done <- err
	}()
	time.Sleep(300 * time.Millisecond) // fifteen busy timeouts; not an assertion
	select {
	case err := <-done:
		t.Fatalf("beginWrite returned (%v) while the lock was held", err)
	default:
	}
	if err := held.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("beginWrite gave up: %v", err)
	}
	var order string
	if err := holder.QueryRowContext(ctx, `SELECT group_concat(who, ' ') FROM (SELECT who FROM t ORDER BY rowid)`).Scan(&order); err != nil || order != "holder waiter" {
		t.Errorf("rows %q (%v); want the holder's, then the waiter's", order, err)
	}
}

func TestBeginWriteStopsWhenCancelled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wait.db")
	holder, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	waiter, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(20)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer waiter.Close()
	held, err := holder.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Rollback()
	if _, err := held.ExecContext(t.Context(), `CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if tx, err := beginWrite(ctx, waiter); err == nil {
		_ = tx.Rollback()
		t.Fatal("beginWrite got the lock another connection held")
	}
	if ctx.Err() == nil {
		t.Error("beginWrite gave up before its context ended")
	}
}
