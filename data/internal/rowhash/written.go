package rowhash

import "needledesk/data"

// Written is an audit row about to be written that records a write of a
// record: its hash goes in Hash.
type Written struct {
	Entity data.Entity
	ID     int64
	Hash   *string
}

// FillWritten sets the hash of each of writes about a hashed record,
// reading each kind of record once for the lot with sums (a store's
// hashes of the records ids of entity as they now stand).
func FillWritten(writes []Written, sums func(entity data.Entity, ids []int64) (map[int64]string, error)) error {
	byEntity := map[data.Entity][]int64{}
	for _, w := range writes {
		if Hashed(w.Entity) && w.ID != 0 {
			byEntity[w.Entity] = append(byEntity[w.Entity], w.ID)
		}
	}
	for entity, ids := range byEntity {
		hashes, err := sums(entity, ids)
		if err != nil {
			return err
		}
		for _, w := range writes {
			if w.Entity == entity && w.ID != 0 {
				*w.Hash = hashes[w.ID]
			}
		}
	}
	return nil
}
