package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/internal/searchkeys"
)

// ImportClients validates every client and then adds them all in one
// transaction, or none of them, each with its create audit row. Clinical
// fields need PermClientEditClinical as in CreateClient. On success every
// element of cs has its ID and timestamps set.
func (s *Store) ImportClients(ctx context.Context, actor int64, cs []data.Client) error {
	if err := validClients(cs, s.today()); err != nil {
		return err
	}
	saved := slices.Clone(cs)
	err := s.change(ctx, actor, data.PermClientCreate, target{entity: data.EntityClient}, func(tx pgx.Tx, now time.Time, who data.Staff) error {
		return importClientsAs(ctx, tx, who, saved, now)
	})
	if err != nil {
		return fmt.Errorf("importing clients: %w", err)
	}
	copy(cs, saved)
	return nil
}

// validClients validates clients to import, naming the first refused.
func validClients(cs []data.Client, today data.Date) error {
	for i := range cs {
		if err := cs[i].Validate(today); err != nil {
			return fmt.Errorf("importing clients: client %d of %d (%s): %w", i+1, len(cs), cs[i].FullName(), err)
		}
	}
	return nil
}

// importClientsAs writes cs once who is seen to be allowed their
// clinical fields.
func importClientsAs(ctx context.Context, tx pgx.Tx, who data.Staff, cs []data.Client, now time.Time) error {
	for i := range cs {
		if err := mayChangeClinical(who, data.Client{}, cs[i]); err != nil {
			return err
		}
	}
	return importClients(ctx, tx, who.ID, cs, now)
}

// clientBatch is how many clients one COPY writes during an import.
const clientBatch = 1000

// importClients copies cs (a copy the caller may discard on failure) in
// a batch at a time with IDs from the client table's sequence, setting
// each client's ID and timestamps, and writes their audit rows.
func importClients(ctx context.Context, tx pgx.Tx, actor int64, cs []data.Client, now time.Time) error {
	stamp := timeText(now)
	ids := make([]int64, 0, len(cs))
	cols := append(slices.Clone(clientWriteColumns), "id", "created_at", "updated_at", "updated_by")
	for start := 0; start < len(cs); start += clientBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := cs[start:min(start+clientBatch, len(cs))]
		got, err := nextIDs(ctx, tx, "client", len(batch))
		if err != nil {
			return err
		}
		rows := make([][]any, len(batch))
		for i := range batch {
			c := &batch[i]
			c.ID, c.CreatedAt, c.UpdatedAt, c.ArchivedAt = got[i], now, now, time.Time{}
			c.Version, c.UpdatedBy = 1, actor
			args, err := clientArgs(c)
			if err != nil {
				return err
			}
			rows[i] = append(args, c.ID, stamp, stamp, actor)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"client"}, cols, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("clients %d to %d of %d: %w", start+1, start+len(batch), len(cs), err)
		}
		ids = append(ids, got...)
	}
	return auditMany(ctx, tx, now, actor, data.ActionCreate, data.EntityClient, ids, ids)
}

// errRolledBack undoes an all-or-nothing import that met refused rows.
var errRolledBack = errors.New("rows were refused")

// ImportClientRows adds the clients rows gives, reading them one at a
// time and writing them in batches inside one transaction, as
// data/sqlite's: refused rows and blank lines are counted, a client
// already in the clinic (same name and date of birth, same e-mail or
// same phone number, archived clients included, or an earlier row of the
// same file) is skipped, and both go to opts.Report as they are met.
// With opts.AllOrNothing, one refused row undoes the whole import.
func (s *Store) ImportClientRows(ctx context.Context, actor int64, rows data.ClientRows, opts data.ImportOptions) (data.ImportResult, error) {
	var res data.ImportResult
	report := opts.Report
	if report == nil {
		report = func(data.RowProblem) {}
	}
	err := s.change(ctx, actor, data.PermClientCreate, target{entity: data.EntityClient}, func(tx pgx.Tx, now time.Time, who data.Staff) error {
		res = data.ImportResult{}
		imp := &importer{ctx: ctx, tx: tx, actor: actor, who: who, now: now, inBatch: map[string]int{}}
		if err := imp.run(rows, &res, report); err != nil {
			return err
		}
		if opts.AllOrNothing && res.Refused > 0 {
			return errRolledBack
		}
		return nil
	})
	if errors.Is(err, errRolledBack) {
		res.RolledBack, res.Imported = true, 0
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("importing clients: %w", err)
	}
	return res, nil
}

// importer is one import's state inside its transaction.
type importer struct {
	ctx     context.Context
	tx      pgx.Tx
	actor   int64
	who     data.Staff
	now     time.Time
	batch   []data.Client
	lines   []int          // each batched client's first line
	inBatch map[string]int // the batch's duplicate keys, to its line
}

// The lookups of a client already in the clinic, and what each matches on.
var (
	duplicateSQL = [3]string{
		`SELECT id FROM client WHERE family_sort = $1 AND given_sort = $2 AND date_of_birth = $3 LIMIT 1`,
		`SELECT id FROM client WHERE lower(email) = lower($1) AND email <> '' LIMIT 1`,
		`SELECT id FROM client WHERE phone_digits = $1 AND phone_digits <> '' LIMIT 1`,
	}
	duplicateWhy = [3]string{"same name and date of birth", "same e-mail", "same phone number"}
)

// minDuplicatePhoneDigits: shorter numbers are too likely to match by
// chance to call two clients the same.
const minDuplicatePhoneDigits = 6

// dupKeys are the values a client is matched on; "" matches nothing.
func dupKeys(c data.Client, d searchkeys.Derived) [3]string {
	keys := [3]string{"n\x00" + d.FamilySort + "\x00" + d.GivenSort + "\x00" + c.DateOfBirth.String(), "", ""}
	if e := strings.TrimSpace(c.Email); e != "" {
		keys[1] = "e\x00" + strings.ToLower(e)
	}
	if len(d.PhoneDigits) >= minDuplicatePhoneDigits {
		keys[2] = "p\x00" + d.PhoneDigits
	}
	return keys
}

func (imp *importer) run(rows data.ClientRows, res *data.ImportResult, report func(data.RowProblem)) error {
	for {
		if err := imp.ctx.Err(); err != nil {
			return err
		}
		row, err := rows.Next()
		if errors.Is(err, io.EOF) {
			return imp.flush()
		}
		if err != nil {
			return err
		}
		if res.Rows == 0 {
			res.FirstLine = row.Line
		}
		res.Rows++
		res.LastLine = max(res.LastLine, row.EndLine)
		switch {
		case row.Blank:
			res.Blank++
			continue
		case len(row.Problems) == 0:
			if err := mayChangeClinical(imp.who, data.Client{}, row.Client); err != nil {
				row.Problems = []data.RowProblem{{Line: row.Line, EndLine: row.EndLine, Field: "row", Reason: data.UserMessage(err)}}
			}
		}
		if len(row.Problems) > 0 {
			res.Refused++
			for _, p := range row.Problems {
				report(p)
			}
			continue
		}
		d := deriveClient(row.Client.GivenName, row.Client.FamilyName, row.Client.Email, row.Client.Phone)
		keys := dupKeys(row.Client, d)
		skip, err := imp.duplicate(row.Client, d, keys)
		if err != nil {
			return err
		}
		if skip != "" {
			res.Skipped++
			report(data.RowProblem{Line: row.Line, EndLine: row.EndLine, Field: "row", Reason: skip, Skipped: true})
			continue
		}
		if err := imp.add(row, keys); err != nil {
			return err
		}
		res.Imported++
	}
}

// duplicate says why c is already in the clinic (or earlier in the
// file), or "".
func (imp *importer) duplicate(c data.Client, d searchkeys.Derived, keys [3]string) (string, error) {
	args := [3][]any{{d.FamilySort, d.GivenSort, c.DateOfBirth.String()}, {strings.TrimSpace(c.Email)}, {d.PhoneDigits}}
	for i, k := range keys {
		if k == "" {
			continue
		}
		if line, ok := imp.inBatch[k]; ok {
			return fmt.Sprintf("the same client as line %d of this file (%s)", line, duplicateWhy[i]), nil
		}
		var id int64
		err := imp.tx.QueryRow(imp.ctx, duplicateSQL[i], args[i]...).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("looking for clients already in the clinic: %w", err)
		}
		return fmt.Sprintf("already in the clinic as client %d (%s)", id, duplicateWhy[i]), nil
	}
	return "", nil
}

func (imp *importer) add(row data.ImportRow, keys [3]string) error {
	for _, k := range keys {
		if k != "" {
			imp.inBatch[k] = row.Line
		}
	}
	imp.batch = append(imp.batch, row.Client)
	imp.lines = append(imp.lines, row.Line)
	if len(imp.batch) >= importFlush {
		return imp.flush()
	}
	return nil
}

// importFlush is how many clients the importer holds before writing them.
const importFlush = 4000

// flush writes the batch; its clients are then found by the lookups.
func (imp *importer) flush() error {
	if len(imp.batch) == 0 {
		return nil
	}
	if err := importClients(imp.ctx, imp.tx, imp.actor, imp.batch, imp.now); err != nil {
		return fmt.Errorf("line %d: %w", imp.lines[0], err)
	}
	imp.batch, imp.lines = imp.batch[:0], imp.lines[:0]
	clear(imp.inBatch)
	return nil
}
