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
	"slices"
	"strings"
	"unicode"

	"needledesk/data"
)

// derived are the client columns computed in Go from the ones a person
// typed: folded names for sorting, folded text and phone digits for search.
type derived struct {
	familySort, givenSort, searchText, phoneDigits string
}

func deriveClient(given, family, email, phone string) derived {
	return derived{
		familySort:  data.FoldForSearch(family),
		givenSort:   data.FoldForSearch(given),
		searchText:  searchText(given, family, email),
		phoneDigits: data.PhoneDigits(phone),
	}
}

// derivedVersion changes whenever deriveClient itself changes, so that the
// fingerprint changes with it.
const derivedVersion = "2"

// wordGap comes before every word of the search text. Two spaces are what
// let the trigram index (migration 5) find a word by its first one or two
// characters: "zo" is looked up as " zo" and "z" as "  z", three characters
// like every other entry in the index, and both can only match at the
// start of a word. See searchPattern for the query side.
const wordGap = "  "

// searchText lays out the folded words a search looks in: the given name,
// the family name, the e-mail address and, for a name written without a
// space (王芳, 佐藤さくら), the full name as the clinic writes it. After
// them come the starts of the parts inside a word, behind its punctuation
// (o'|brien, jm_|garcia@|example.|org), as short entries of the punctuation
// and the next character and of the two characters after it, so that "br",
// "ga" and "_" are found as the start of a part. Queries of three or more
// characters are matched anywhere in the text; no query word holds a
// space, so none can match across the gap between two entries.
func searchText(given, family, email string) string {
	var words []string
	for _, s := range []string{given, family, email} {
		words = append(words, strings.Fields(data.FoldForSearch(s))...)
	}
	full := data.Client{GivenName: given, FamilyName: family}.FullName()
	if given != "" && family != "" && !strings.ContainsAny(full, " \t") {
		words = append(words, data.FoldForSearch(full))
	}
	var b strings.Builder
	for _, w := range words {
		b.WriteString(wordGap)
		b.WriteString(w)
	}
	seen := map[string]bool{}
	for _, w := range words {
		for _, part := range partStarts(w) {
			if !seen[part] {
				seen[part] = true
				b.WriteString(wordGap)
				b.WriteString(part)
			}
		}
	}
	return b.String()
}

// partStarts lists, for each punctuation mark inside w, the mark with the
// character after it and the two characters after it.
func partStarts(w string) []string {
	var out []string
	rs := []rune(w)
	for i := 1; i < len(rs); i++ {
		if unicode.In(rs[i], unicode.L, unicode.N, unicode.M) {
			continue
		}
		out = append(out, string(rs[i:min(i+2, len(rs))]))
		if i+1 < len(rs) {
			out = append(out, string(rs[i+1:min(i+3, len(rs))]))
		}
	}
	return out
}

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
	for _, s := range []string{derivedVersion, d.familySort, d.searchText, d.phoneDigits} {
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
			batch = append(batch, [5]any{id, d.familySort, d.givenSort, d.searchText, d.phoneDigits})
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
			&old.familySort, &old.givenSort, &old.searchText, &old.phoneDigits); err != nil {
			return nil, err
		}
		if d := deriveClient(given, family, email, phone); d != old {
			stale[id] = d
		}
	}
	return stale, rows.Err()
}
