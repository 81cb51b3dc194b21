package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"needledesk/data"
	"needledesk/data/backup"
)

// The chain shows an event changed or removed in the middle, but someone
// who deletes the newest events and sets audit_head to the last one kept
// (or deletes every event and zeroes it) leaves a chain that checks out.
// So the trail's head is also witnessed outside the database file:
//
//   - a witness file beside the database (clinic.db.witness), which the
//     store rewrites as events are added, and which only ever moves
//     forward along the chain: a head the trail no longer holds is never
//     replaced, so the evidence stays;
//   - a manifest beside every backup (needledesk-….db.manifest), with
//     the head the backup holds.
//
// `needledesk check` reports a trail that no longer holds a head one of
// them saw. Each database has a trail ID (store_meta 'trail_id'); a
// restore gives the restored database a new one and names the one it
// replaces in its audit event, so witnesses of the trail before a restore
// are not held against the trail after it.

const (
	witnessFormat  = "needledesk-audit-witness"
	manifestFormat = "needledesk-backup-manifest"
	witnessVersion = 1
)

// witnessRecord is a witness file or a backup's manifest: a head of a
// trail, and when it was seen.
type witnessRecord struct {
	Format   string `json:"format"`
	Version  int    `json:"version"`
	Trail    string `json:"trail"`
	LastID   int64  `json:"last_event"`
	Events   int64  `json:"events"`
	Hash     string `json:"hash"`
	At       string `json:"seen_at"`
	Database string `json:"database,omitempty"` // witness files
	Backup   string `json:"backup,omitempty"`   // manifests
}

// WitnessPath is the witness file of the database at dbPath.
func WitnessPath(dbPath string) string { return dbPath + ".witness" }

// ManifestPath is the manifest of the backup file at backup.
func ManifestPath(backupPath string) string { return backup.ManifestPath(backupPath) }

// trailIDKey is the store_meta key of the trail's identity.
const trailIDKey = "trail_id"

func newTrailID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// readTrailID is the database's trail ID, "" when it has none (a schema
// before 3, or a database no witnessing NeedleDesk has opened).
func readTrailID(ctx context.Context, q queryer) (string, error) {
	ok, err := rowExists(ctx, q, `SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'store_meta'`)
	if err != nil || !ok {
		return "", err
	}
	var id string
	err = q.QueryRowContext(ctx, `SELECT value FROM store_meta WHERE key = ?`, trailIDKey).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// ensureTrailID gives a database without a trail ID one, at Open.
func ensureTrailID(ctx context.Context, db *sql.DB) error {
	if id, err := readTrailID(ctx, db); err != nil || id != "" {
		return err
	}
	id, err := newTrailID()
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, trailIDKey, id)
	if err != nil {
		return fmt.Errorf("naming the audit trail: %w", err)
	}
	return nil
}

// witnessable reads the trail's ID and its head, when the head names an
// event that is there with the head's hash (a head that does not is
// never witnessed).
func witnessable(ctx context.Context, q queryer) (trail string, head auditHead, ok bool, err error) {
	if trail, err = readTrailID(ctx, q); err != nil || trail == "" {
		return "", head, false, err
	}
	var found bool
	if head, found, err = readHead(ctx, q); err != nil || !found {
		return trail, head, false, err
	}
	if head.lastID == 0 {
		return trail, head, head.hash == genesisHash && head.events == 0, nil
	}
	hash, err := eventHash(ctx, q, head.lastID)
	return trail, head, err == nil && hash == head.hash, err
}

// eventHash is the stored hash of event id, "" when there is none.
func eventHash(ctx context.Context, q queryer, id int64) (string, error) {
	var h string
	err := q.QueryRowContext(ctx, `SELECT hash FROM audit_event WHERE id = ?`, id).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return h, err
}

func readWitnessFile(path string) (witnessRecord, error) {
	var w witnessRecord
	b, err := os.ReadFile(path)
	if err != nil {
		return w, err
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return w, fmt.Errorf("%s cannot be read: %w", path, err)
	}
	if (w.Format != witnessFormat && w.Format != manifestFormat) || w.Version != witnessVersion || !data.IsChainHash(w.Hash) || w.LastID < 0 {
		return w, fmt.Errorf("%s is not a witness of a NeedleDesk audit trail, or it was changed", path)
	}
	return w, nil
}

// writeWitnessFile writes w to path through a temporary file beside it,
// flushed and renamed, mode 0600.
func writeWitnessFile(path string, w witnessRecord) error {
	b, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if err = errors.Join(err, f.Close()); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// witness keeps the store's witness file up to date in the background:
// a write only pokes it, so the cost per write is a channel send, and it
// reads the head and rewrites the file as often as it can keep up.
type witness struct {
	s       *Store
	path    string
	poke    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	mu      sync.Mutex // one update at a time
	once    sync.Once
	fresh   bool // the database file was created by this Open: a witness there was another's
	lastErr error
}

// guardTrail runs at Open: the trail gets its ID, any append-only trigger
// removed with a database tool is put back (and that recorded), and the
// witness file starts.
func (s *Store) guardTrail(ctx context.Context, created bool) error {
	if err := ensureTrailID(ctx, s.w); err != nil {
		return err
	}
	if err := restoreAppendOnly(ctx, s.w, s.now()); err != nil {
		return fmt.Errorf("putting back the audit trail's append-only rules: %w", err)
	}
	s.startWitness(ctx, created)
	return nil
}

func (s *Store) startWitness(ctx context.Context, created bool) {
	w := &witness{s: s, path: WitnessPath(s.path), poke: make(chan struct{}, 1), stop: make(chan struct{}),
		done: make(chan struct{}), fresh: created}
	s.wit = w
	w.update(ctx, false)
	go w.run()
}

// witnessInterval is the least time between two rewrites of the witness
// file: writes that come faster are covered by the next rewrite, so a
// busy clinic or an import costs one small file write a second at most,
// never one per change. The file lags the trail by as much; Close brings
// it up to date.
const witnessInterval = time.Second

func (w *witness) run() {
	defer close(w.done)
	for {
		select {
		case <-w.poke:
			w.update(context.Background(), false)
		case <-w.stop:
			return
		}
		select {
		case <-time.After(witnessInterval):
		case <-w.stop:
			return
		}
	}
}

// touch says events were added.
func (w *witness) touch() {
	if w == nil {
		return
	}
	select {
	case w.poke <- struct{}{}:
	default:
	}
}

// close stops the goroutine and brings the file up to date once more.
func (w *witness) close() {
	if w == nil {
		return
	}
	w.once.Do(func() {
		close(w.stop)
		<-w.done
		w.update(context.Background(), false)
	})
}

// update writes the head the trail has now, unless the file witnesses a
// head this trail no longer holds (or another trail, or is unreadable):
// that is evidence, and stays for check to report. force writes it
// anyway, for a restore that starts a new trail.
func (w *witness) update(ctx context.Context, force bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	tx, err := w.s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		w.lastErr = err
		return
	}
	defer func() { _ = tx.Rollback() }()
	trail, head, ok, err := witnessable(ctx, tx)
	if err != nil || !ok {
		w.lastErr = err
		return
	}
	if !force {
		if keep, err := w.keep(ctx, tx, trail, head); err != nil || keep {
			w.lastErr = err
			return
		}
	}
	abs, _ := filepath.Abs(w.s.path)
	w.lastErr = writeWitnessFile(w.path, witnessRecord{Format: witnessFormat, Version: witnessVersion, Trail: trail,
		LastID: head.lastID, Events: head.events, Hash: head.hash, At: w.s.now().Format(time.RFC3339), Database: abs})
	w.fresh = false
}

// keep reports whether the witness file must stay as it is.
func (w *witness) keep(ctx context.Context, q queryer, trail string, head auditHead) (bool, error) {
	cur, err := readWitnessFile(w.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return !w.fresh, nil
	case cur.Trail != trail:
		return !w.fresh, nil
	case cur.LastID == head.lastID && cur.Hash == head.hash:
		return true, nil // nothing new
	case cur.LastID > head.lastID:
		return true, nil
	}
	hash, err := eventHash(ctx, q, cur.LastID)
	if cur.LastID == 0 {
		hash = genesisHash
	}
	return err != nil || hash != cur.Hash, err
}

// restoreDetail is how a restore's audit event names the trail it starts
// and the ones it replaces, so check knows their witnesses are of a
// replaced trail.
var restoreDetail = regexp.MustCompile(`trail ([0-9a-f]{32}) replaces ([0-9a-f]{32})(?: and ([0-9a-f]{32}))?`)

// replacedTrails reads the trails that restores recorded in this trail
// replaced.
func replacedTrails(ctx context.Context, q queryer) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT detail FROM audit_event WHERE action = 'restore'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		for _, m := range restoreDetail.FindAllStringSubmatch(d, -1) {
			for _, id := range m[2:] {
				if id != "" {
					out[id] = true
				}
			}
		}
	}
	return out, rows.Err()
}

// compareWitnesses compares the trail with the witness file beside the
// database at path and the manifests of the backups in folder. It returns
// a problem for each that saw a head the trail no longer holds, and a
// line for each witness compared.
func compareWitnesses(ctx context.Context, q queryer, path, folder string) (problems, notes []string, err error) {
	trail, err := readTrailID(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	replaced, err := replacedTrails(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	var maxID int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM audit_event`).Scan(&maxID); err != nil {
		return nil, nil, err
	}
	wpath := WitnessPath(path)
	w, err := readWitnessFile(wpath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		notes = append(notes, fmt.Sprintf("no witness file (%s): NeedleDesk writes one when it opens the database", filepath.Base(wpath)))
	case err != nil:
		problems = append(problems, "audit trail: the witness file "+err.Error()+"; if you replaced the database on purpose, delete it")
	case w.Trail != trail && trail != "" && replaced[w.Trail]:
		notes = append(notes, "the witness file is of the trail before a restore, so it is not compared")
	case w.Trail != trail && trail != "":
		problems = append(problems, fmt.Sprintf("audit trail: the witness file %s was written for another trail (%.8s…; this database's is %.8s…): the database file was replaced outside NeedleDesk, or its trail's identity was changed. If you replaced it on purpose, delete %s",
			wpath, w.Trail, trail, filepath.Base(wpath)))
	default:
		p, err := compareWitness(ctx, q, w, "the witness file", maxID)
		if err != nil {
			return nil, nil, err
		}
		if p != "" {
			problems = append(problems, p)
		} else {
			notes = append(notes, fmt.Sprintf("the witness file saw event %d on %s; the trail still holds it", w.LastID, seenAt(w.At)))
		}
	}
	manifests, _ := filepath.Glob(filepath.Join(folder, "*.manifest"))
	agreed, other := 0, 0
	for _, m := range manifests {
		w, err := readWitnessFile(m)
		if err != nil || (w.Trail != trail && trail != "") {
			other++
			continue
		}
		name := filepath.Base(strings.TrimSuffix(m, ".manifest"))
		p, err := compareWitness(ctx, q, w, "the backup "+name, maxID)
		if err != nil {
			return nil, nil, err
		}
		if p != "" {
			problems = append(problems, p)
		} else {
			agreed++
		}
	}
	if agreed > 0 || other > 0 {
		line := fmt.Sprintf("the manifests of %d backups in %s saw events the trail still holds", agreed, folder)
		if other > 0 {
			line += fmt.Sprintf(" (%d more are of another trail, such as one before a restore, and were not compared)", other)
		}
		notes = append(notes, line)
	}
	return problems, notes, nil
}

// compareWitness says what is wrong when the trail no longer holds the
// head w saw, or "".
func compareWitness(ctx context.Context, q queryer, w witnessRecord, src string, maxID int64) (string, error) {
	if w.LastID == 0 {
		return "", nil
	}
	h, err := eventHash(ctx, q, w.LastID)
	if err != nil {
		return "", err
	}
	when := seenAt(w.At)
	switch {
	case maxID == 0:
		return fmt.Sprintf("audit trail: it has no events, but %s saw it reach event %d (%d events) on %s: every event was removed", src, w.LastID, w.Events, when), nil
	case h == "" && w.LastID > maxID:
		return fmt.Sprintf("audit trail: %s saw it reach event %d on %s, but it now ends at event %d: events were removed from its end", src, w.LastID, when, maxID), nil
	case h == "":
		return fmt.Sprintf("audit trail: event %d, which %s saw as the newest on %s, is missing", w.LastID, src, when), nil
	case h != w.Hash:
		return fmt.Sprintf("audit trail: event %d is not the one %s saw on %s: the trail was rewritten from there or before", w.LastID, src, when), nil
	}
	return "", nil
}

func seenAt(rfc string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return "an unknown date"
	}
	return t.Local().Format("2 January 2006 at 15:04")
}
