package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"needledesk/data"
)

// BenchmarkAuditRowInTx is the cost of writing one audit row without the
// commit's fsync, which dominates a real write and varies too much between
// runs to show the chain's cost: each transaction is rolled back. "bare"
// is the transaction alone, "unchained" the single INSERT of schema 5,
// "chained" writeAudit as it is now.
//
//	go test -run '^$' -bench AuditRowInTx -count 6 ./data/sqlite
func BenchmarkAuditRowInTx(b *testing.B) {
	st, err := Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	row := auditRow{at: time.Now(), actor: 2, action: data.ActionView, entity: data.EntityClient, entityID: 7, clientID: 7}
	client := data.Client{GivenName: "Zoë", FamilyName: "O'Brien", DateOfBirth: data.NewDate(1990, 3, 14), Phone: "+44 20 7946 0958"}
	if err := st.CreateClient(b.Context(), data.SystemActor, &client); err != nil {
		b.Fatal(err)
	}
	for name, write := range map[string]func(context.Context, *sql.Tx) error{
		"bare": func(context.Context, *sql.Tx) error { return nil },
		"unchained": func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO audit_event (at, actor_id, action, entity, entity_id) VALUES (?, ?, ?, ?, ?)`,
				timeText(row.at), row.actor, string(row.action), string(row.entity), row.entityID)
			return err
		},
		"chained": func(ctx context.Context, tx *sql.Tx) error { return writeAudit(ctx, tx, row) },
		// A change to a client records the hash of its row as written
		// (row_hash.go): one more read of the row by its key.
		"chained+row hash": func(ctx context.Context, tx *sql.Tx) error {
			r := row
			r.action, r.entityID, r.hashRow = data.ActionUpdate, client.ID, true
			return writeAudit(ctx, tx, r)
		},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				tx, err := st.w.BeginTx(b.Context(), nil)
				if err != nil {
					b.Fatal(err)
				}
				if err := write(b.Context(), tx); err != nil {
					b.Fatal(err)
				}
				if err := tx.Rollback(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
