package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"needledesk/data"
)

// errRolledBack undoes an all-or-nothing import that met refused rows.
var errRolledBack = errors.New("rows were refused")

// ImportClientRows adds the clients rows gives, reading them one at a
// time, so memory stays small whatever the file's size: they are written
// in batches inside one transaction (a failure, a cancellation or a
// crash leaves nothing behind). Every row is accounted for in the result:
// refused rows (rows.Next found problems, or the actor may not set their
// clinical fields) and blank lines are counted, and a client already in
// the clinic (same name and date of birth, same e-mail or same phone
// number, archived clients included, or an earlier row of the same file)
// is skipped. Refused and skipped rows go to opts.Report as they are met.
// With opts.AllOrNothing, one refused row undoes the whole import.
func (s *Store) ImportClientRows(ctx context.Context, actor int64, rows data.ClientRows, opts data.ImportOptions) (data.ImportResult, error) {
	var res data.ImportResult
	report := opts.Report
	if report == nil {
		report = func(data.RowProblem) {}
	}
	err := s.change(ctx, actor, data.PermClientCreate, target{entity: data.EntityClient}, func(tx *sql.Tx, now time.Time, who data.Staff) error {
		res = data.ImportResult{}
		imp, err := newImporter(ctx, tx, actor, who, now)
		if err != nil {
			return err
		}
		defer imp.close()
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
	tx      *sql.Tx
	actor   int64
	who     data.Staff
	now     time.Time
	batch   []data.Client
	lines   []int          // each batched client's first line
	inBatch map[string]int // the batch's duplicate keys, to its line
	find    [3]*sql.Stmt   // by name and birth date, e-mail, phone
	why     [3]string      // what each lookup matches on
}

func newImporter(ctx context.Context, tx *sql.Tx, actor int64, who data.Staff, now time.Time) (*importer, error) {
	imp := &importer{ctx: ctx, tx: tx, actor: actor, who: who, now: now, inBatch: map[string]int{},
		why: [3]string{"same name and date of birth", "same e-mail", "same phone number"}}
	for i, q := range []string{
		`SELECT id FROM client WHERE family_sort = ? AND given_sort = ? AND date_of_birth = ? LIMIT 1`,
		`SELECT id FROM client WHERE email = ? COLLATE NOCASE AND email != '' LIMIT 1`,
		`SELECT id FROM client WHERE phone_digits = ? AND phone_digits != '' LIMIT 1`,
	} {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			imp.close()
			return nil, err
		}
		imp.find[i] = st
	}
	return imp, nil
}

func (imp *importer) close() {
	for _, st := range imp.find {
		if st != nil {
			_ = st.Close()
		}
	}
}

// minDuplicatePhoneDigits: shorter numbers are too likely to match by
// chance to call two clients the same.
const minDuplicatePhoneDigits = 6

// dupKeys are the values a client is matched on; "" matches nothing.
func dupKeys(c data.Client, d derived) [3]string {
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

// duplicate says why c is already in the clinic (or earlier in the file),
// or "".
func (imp *importer) duplicate(c data.Client, d derived, keys [3]string) (string, error) {
	args := [3][]any{{d.FamilySort, d.GivenSort, c.DateOfBirth.String()}, {strings.TrimSpace(c.Email)}, {d.PhoneDigits}}
	for i, k := range keys {
		if k == "" {
			continue
		}
		if line, ok := imp.inBatch[k]; ok {
			return fmt.Sprintf("the same client as line %d of this file (%s)", line, imp.why[i]), nil
		}
		var id int64
		err := imp.find[i].QueryRowContext(imp.ctx, args[i]...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("looking for clients already in the clinic: %w", err)
		}
		return fmt.Sprintf("already in the clinic as client %d (%s)", id, imp.why[i]), nil
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

// importFlush is how many clients the importer holds before writing them:
// a few megabytes, and few enough statements to prepare (importClients
// and the audit trail prepare theirs once per call).
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
