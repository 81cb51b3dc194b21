package rowhash

import (
	"context"
	"fmt"

	"needledesk/data"
)

// Mismatch is a current record that does not match the last change
// NeedleDesk recorded for it.
type Mismatch struct {
	Entity  data.Entity
	ID      int64
	EventID int64 // the event that recorded its last change
}

func (m Mismatch) String() string {
	return fmt.Sprintf("%s %d does not match its last change recorded in the audit trail (event %d): it was changed outside NeedleDesk",
		m.Entity, m.ID, m.EventID)
}

// Report is what checking the records against the trail found.
type Report struct {
	Checked    int // records with a recorded hash, compared
	Unrecorded int // records with no change recorded since hashes were kept (written by an older version)
	Mismatches []Mismatch
	more       int // mismatches past those listed
}

// maxListed keeps a report readable; the count says the rest.
const maxListed = 20

// Problems lists what the report found, in words.
func (r Report) Problems() []string {
	var out []string
	for _, m := range r.Mismatches {
		out = append(out, "records: "+m.String())
	}
	if r.more > 0 {
		out = append(out, fmt.Sprintf("records: %d more records do not match their last recorded change", r.more))
	}
	return out
}

// Recorded is the event that recorded a record's last row hash.
type Recorded struct {
	Event int64
	Hash  string
}

// Reader is what the check needs of a store, all read in one snapshot.
type Reader interface {
	// IDs gives up to limit IDs of table's rows above after, in order.
	IDs(ctx context.Context, table string, after int64, limit int) ([]int64, error)
	// Sums hashes the records ids of entity as they now stand (Rows).
	Sums(ctx context.Context, entity data.Entity, ids []int64) (map[int64]string, error)
	// Recorded gives, by ID, the event that recorded each record's last
	// row hash; a record with none is left out.
	Recorded(ctx context.Context, entity data.Entity, ids []int64) (map[int64]Recorded, error)
}

// checkPage is how many records are read and compared at a time.
const checkPage = 500

// Check hashes every client, session and staff row and compares it with
// the last hash the trail recorded for it, a page of records at a time.
func Check(ctx context.Context, r Reader) (Report, error) {
	var rep Report
	for _, entity := range Entities {
		if err := checkEntity(ctx, r, entity, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func checkEntity(ctx context.Context, r Reader, entity data.Entity, rep *Report) error {
	table := sources[entity].Table
	for after := int64(0); ; {
		ids, err := r.IDs(ctx, table, after, checkPage)
		if err != nil || len(ids) == 0 {
			return err
		}
		after = ids[len(ids)-1]
		got, err := r.Sums(ctx, entity, ids)
		if err != nil {
			return err
		}
		recorded, err := r.Recorded(ctx, entity, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			rec, ok := recorded[id]
			switch {
			case !ok:
				rep.Unrecorded++
			case rec.Hash != got[id]:
				if len(rep.Mismatches) < maxListed {
					rep.Mismatches = append(rep.Mismatches, Mismatch{Entity: entity, ID: id, EventID: rec.Event})
				} else {
					rep.more++
				}
			default:
				rep.Checked++
			}
		}
	}
}
