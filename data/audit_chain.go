package data

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// AuditChainReport is what walking the audit trail's hash chain found:
// every event carries the hash of the one before it, so a changed,
// removed or moved event, or events cut off the end, break the chain at
// the first bad event.
type AuditChainReport struct {
	// Chained is false for a database from before the chain, which has
	// nothing to check yet; the store chains its events when it opens.
	Chained bool
	// Events is how many events were found intact, up to the first
	// problem.
	Events int64
	// BadEventID is the first event that is wrong or missing; 0 when the
	// trail is intact, or when the problem is not with one event.
	BadEventID int64
	// Problem says what is wrong in plain words, naming the event, such as
	// "audit event 1234 was changed"; "" when the trail is intact.
	Problem string
}

// OK reports a chained trail with nothing wrong.
func (r AuditChainReport) OK() bool { return r.Chained && r.Problem == "" }

// The audit trail's hash chain, the same for every store: each event
// stores the hash of the event before it (ChainGenesis for the first) and
// its own, the SHA-256 of the previous hash's 32 bytes followed by the
// event's canonical encoding (ChainEvent.Encode). A store keeps the
// newest event's ID and hash and the number of events in a head record,
// so that events removed from the end show too. data/sqlite and
// data/postgres write and verify the chain with this code, so a trail
// moved from one to the other still verifies.

// ChainGenesis is what the first event chains on: nothing.
var ChainGenesis = strings.Repeat("0", 2*sha256.Size)

// ChainEvent is an event as stored, the fields the hash covers, with the
// time as its stored text so that what is checked is exactly what is
// kept.
type ChainEvent struct {
	ID                 int64
	At                 string
	Actor              int64
	Action, Entity     string
	EntityID, ClientID int64
	Detail             string
	RowHash            string // the written row's hash; "" for most events
}

// The tag that starts every encoding, so that a hash of this format can
// never equal one of a later format; an event with a row hash is encoded
// as version 2, the row hash last.
const (
	chainTag   = "needledesk audit event v1\x00"
	chainTagV2 = "needledesk audit event v2\x00"
)

// Encode appends the canonical encoding: the tag, then every field in a
// fixed order, integers as 8 bytes big-endian and text as its length (8
// bytes) and its UTF-8 bytes, so no two different events encode alike.
func (e ChainEvent) Encode(b []byte) []byte {
	text := func(s string) {
		b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	number := func(n int64) { b = binary.BigEndian.AppendUint64(b, uint64(n)) }
	if e.RowHash != "" {
		b = append(b, chainTagV2...)
	} else {
		b = append(b, chainTag...)
	}
	number(e.ID)
	text(e.At)
	number(e.Actor)
	text(e.Action)
	text(e.Entity)
	number(e.EntityID)
	number(e.ClientID)
	text(e.Detail)
	if e.RowHash != "" {
		text(e.RowHash)
	}
	return b
}

// ChainHasher hashes events one after another, reusing its buffer.
type ChainHasher struct{ buf []byte }

// Hash is the hash of e following the event whose hash is prev (hex). A
// prev that is not a hash gives ok false: the stored link was damaged.
func (h *ChainHasher) Hash(prev string, e ChainEvent) (hash string, ok bool) {
	var p [sha256.Size]byte
	if len(prev) != 2*sha256.Size {
		return "", false
	}
	if _, err := hex.Decode(p[:], []byte(prev)); err != nil {
		return "", false
	}
	h.buf = e.Encode(append(h.buf[:0], p[:]...))
	sum := sha256.Sum256(h.buf)
	return hex.EncodeToString(sum[:]), true
}

// IsChainHash reports text shaped like a stored hash: 64 hex digits.
func IsChainHash(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size
}

// ChainHead is a store's head record of its trail.
type ChainHead struct {
	LastID, Events int64
	Hash           string
}

// StoredChainEvent is an event with its stored links.
type StoredChainEvent struct {
	ChainEvent
	PrevHash, Hash string
}

// ChainSource is what verifying a store's trail reads.
type ChainSource struct {
	// Head is the head record; nil when it is missing.
	Head *ChainHead
	// Events gives every event in ID order to yield until it returns
	// false.
	Events func(yield func(StoredChainEvent) bool) error
	// MaxID is the highest event ID in the trail.
	MaxID func() (int64, error)
}

// VerifyChain walks a trail oldest first and reports the first event
// that was changed, removed or moved, or events removed from the end.
func VerifyChain(src ChainSource) (AuditChainReport, error) {
	rep := AuditChainReport{Chained: true}
	last := StoredChainEvent{Hash: ChainGenesis}
	var h ChainHasher
	var brk *chainBreak
	err := src.Events(func(ev StoredChainEvent) bool {
		want, ok := h.Hash(ev.PrevHash, ev.ChainEvent)
		selfOK := ok && want == ev.Hash
		if !selfOK || ev.PrevHash != last.Hash {
			brk = &chainBreak{ev: ev, selfOK: selfOK, prevID: last.ID, prevHash: last.Hash}
			return false
		}
		last = ev
		rep.Events++
		return true
	})
	switch {
	case err != nil:
		return rep, err
	case brk != nil && src.Head != nil && brk.ev.ID > src.Head.LastID:
		rep.BadEventID = brk.ev.ID
		rep.Problem = fmt.Sprintf("audit event %d was added outside NeedleDesk", brk.ev.ID)
	case brk != nil:
		rep.BadEventID, rep.Problem, err = brk.diagnose(src.MaxID)
	case src.Head == nil:
		rep.BadEventID = last.ID
		rep.Problem = "the audit trail's head record is missing, so events removed from the end would not show"
	default:
		rep.BadEventID, rep.Problem = checkChainHead(*src.Head, last, rep.Events)
	}
	return rep, err
}

// chainBreak is the first event whose links do not hold, with what the
// walk knew just before it.
type chainBreak struct {
	ev       StoredChainEvent
	selfOK   bool
	prevID   int64
	prevHash string
}

// diagnose names the first bad event and says what happened to it.
func (b *chainBreak) diagnose(maxIDOf func() (int64, error)) (int64, string, error) {
	id := b.ev.ID
	switch {
	case !IsChainHash(b.ev.Hash) && !IsChainHash(b.ev.PrevHash):
		return id, fmt.Sprintf("audit event %d was added outside NeedleDesk", id), nil
	case b.ev.PrevHash == b.prevHash:
		return id, fmt.Sprintf("audit event %d was changed", id), nil
	case id > b.prevID+2:
		return b.prevID + 1, fmt.Sprintf("audit events %d to %d are missing", b.prevID+1, id-1), nil
	case id == b.prevID+2:
		return b.prevID + 1, fmt.Sprintf("audit event %d is missing", b.prevID+1), nil
	}
	maxID, err := maxIDOf()
	if err != nil {
		return 0, "", err
	}
	if was, ok := chainWrittenAs(b.ev, maxID); ok {
		return id, fmt.Sprintf("audit event %d is out of order: it was written as event %d", id, was), nil
	}
	if b.selfOK && b.ev.PrevHash == ChainGenesis {
		return id, fmt.Sprintf("audit event %d starts the trail again: the trail's head record was damaged before it was written", id), nil
	}
	if b.selfOK && b.prevID > 0 {
		return b.prevID, fmt.Sprintf("audit event %d was changed", b.prevID), nil
	}
	return id, fmt.Sprintf("audit event %d was changed", id), nil
}

// chainWrittenAs finds the ID an event had when it was written, trying
// every ID up to maxID.
func chainWrittenAs(ev StoredChainEvent, maxID int64) (int64, bool) {
	var h ChainHasher
	e := ev.ChainEvent
	for k := int64(1); k <= maxID; k++ {
		e.ID = k
		if hash, ok := h.Hash(ev.PrevHash, e); !ok {
			return 0, false
		} else if hash == ev.Hash && k != ev.ID {
			return k, true
		}
	}
	return 0, false
}

// checkChainHead compares the intact chain's end with the head record.
func checkChainHead(h ChainHead, last StoredChainEvent, events int64) (int64, string) {
	switch {
	case h.LastID > last.ID && last.ID == 0:
		return 1, fmt.Sprintf("all %d audit events were removed", h.Events)
	case h.LastID > last.ID:
		return last.ID + 1, fmt.Sprintf("audit events after %d were removed (the trail ended at %d)", last.ID, h.LastID)
	case h.LastID < last.ID:
		return h.LastID + 1, fmt.Sprintf("audit events after %d were added outside NeedleDesk, or the trail's head record was changed", h.LastID)
	case h.Hash != last.Hash:
		return last.ID, fmt.Sprintf("audit event %d does not match the trail's head record: one of them was changed", last.ID)
	case h.Events != events:
		return last.ID, fmt.Sprintf("the trail's head record counts %d audit events up to event %d, but there are %d: it was changed", h.Events, last.ID, events)
	}
	return 0, ""
}
