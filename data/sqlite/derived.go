package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"needledesk/data/internal/searchkeys"
	"slices"
	"strings"
)

// derived are a client's columns computed in Go (searchkeys, shared with
// data/postgres so both stores find the same clients).
type derived = searchkeys.Derived

var deriveClient = searchkeys.Derive

// foldProbe is text run through the fold to fingerprint it: every
// character of the Latin, Greek, Cyrillic and Vietnamese blocks and the
// common punctuation, where the fold's special cases live.
var foldProbe = func() string {
	var b strings.Builder
	for _, r := range [][2]rune{{0x20, 0x24f}, {0x370, 0x52f}, {0x1e00, 0x1eff}, {0x2010, 0x206f}} {
		for c := r[0]; c <= r[1]; c++ {
			b.WriteRune(c)
			b.WriteByte(' ')
		}
	}
	return b.String()
}()

// foldFingerprint identifies how this build derives client columns. When a
// new version of data.FoldForSearch folds "Ð" to "d" where the old one kept
// it, the stored search text of every Ðorđe is stale; comparing
// fingerprints on Open catches that.
func foldFingerprint() string {
	d := deriveClient(foldProbe, foldProbe, foldProbe, foldProbe)
	h := sha256.New()
	for _, s := range []string{searchkeys.Version, d.FamilySort, d.SearchText, d.PhoneDigits} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// refreshDerived recomputes the derived columns of clients whose stored
// values differ from what this build computes, when the fingerprint says
// the fold has changed since the last Open. It is upkeep, not a change to
// anyone's record, so it writes no audit rows.
func refreshDerived(ctx context.Context, db *sql.DB) error {
	tx, err := beginWrite(ctx, db)
	if err != nil {
		return fmt.Errorf("checking search columns: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	// Schemas before 3 have no store_meta; their builds kept no fingerprint.
	if ok, err := rowExists(ctx, tx, `SELECT 1 FROM sqlite_schema WHERE name = 'store_meta'`); err != nil || !ok {
		return err
	}
	want := foldFingerprint()
	var have string
	err = tx.QueryRowContext(ctx, `SELECT value FROM store_meta WHERE key = 'search_fold'`).Scan(&have)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("checking search columns: %w", err)
	}
	if have == want {
		return nil
	}
	if err := rederiveClients(ctx, tx); err != nil {
		return fmt.Errorf("updating search columns: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO store_meta (key, value) VALUES ('search_fold', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, want)
	if err != nil {
		return fmt.Errorf("updating search columns: %w", err)
	}
	return tx.Commit()
}

// rederiveBatch is how many clients one statement of rederiveClients
// rewrites. The search index (migration 5) writes out what it has gathered
// at the start of every statement in a transaction, so one UPDATE per
// client made an upgrade of 100,000 clients take 20 s, most of it merging
// index segments of one client each.
const rederiveBatch = 1000

// rederiveClients rewrites the derived columns that changed.
func rederiveClients(ctx context.Context, tx *sql.Tx) error {
	stale, err := staleDerived(ctx, tx)
	if err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, `UPDATE client SET family_sort = d.value ->> 1, given_sort = d.value ->> 2,
		search_text = d.value ->> 3, phone_digits = d.value ->> 4
		FROM json_each(?) AS d WHERE client.id = d.value ->> 0`)
	if err != nil {
		return err
	}
	defer st.Close()
	ids := slices.Sorted(maps.Keys(stale))
	for start := 0; start < len(ids); start += rederiveBatch {
		batch := make([][5]any, 0, rederiveBatch)
		for _, id := range ids[start:min(start+rederiveBatch, len(ids))] {
			d := stale[id]
			batch = append(batch, [5]any{id, d.FamilySort, d.GivenSort, d.SearchText, d.PhoneDigits})
		}
		list, err := json.Marshal(batch)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, string(list)); err != nil {
			return err
		}
	}
	return nil
}

// staleDerived reads every client and returns the new derived values of
// those whose stored ones differ. All rows are read before any is written.
func staleDerived(ctx context.Context, tx *sql.Tx) (map[int64]derived, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, given_name, family_name, email, phone,
		family_sort, given_sort, search_text, phone_digits FROM client`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	stale := map[int64]derived{}
	for rows.Next() {
		var id int64
		var given, family, email, phone string
		var old derived
		if err := rows.Scan(&id, &given, &family, &email, &phone,
			&old.FamilySort, &old.GivenSort, &old.SearchText, &old.PhoneDigits); err != nil {
			return nil, err
		}
		if d := deriveClient(given, family, email, phone); d != old {
			stale[id] = d
		}
	}
	return stale, rows.Err()
}
