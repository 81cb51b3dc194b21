package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Sheet is an aftercare sheet as it was handed to the client: the exact PDF
// bytes, kept so the clinic can show later what the client was given.
type Sheet struct {
	ID        int64
	SessionID int64
	Version   int // 1 for the first sheet of a session, then 2, 3...
	MadeAt    time.Time
	MadeBy    int64
	SHA256    string // hex
	PDF       []byte
	// Basis fingerprints the plan the sheet was made from (see
	// SheetBasis); nil for sheets kept before NeedleDesk noted it.
	Basis SheetBasis
}

// SheetInfo describes a kept sheet without its bytes, for lists.
type SheetInfo struct {
	ID         int64
	SessionID  int64
	Version    int
	MadeAt     time.Time
	MadeBy     int64
	MadeByName string
	SHA256     string
	Size       int
}

// SumPDF is the hex SHA-256 the store keeps beside a sheet's bytes.
func SumPDF(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// SheetStore keeps the aftercare sheets handed over.
type SheetStore interface {
	// KeepSheet stores the bytes and the basis and fills in ID, Version,
	// MadeAt and SHA256.
	KeepSheet(ctx context.Context, actor int64, s *Sheet) error
	// LatestSheet is the newest sheet of a session; ErrNotFound if none.
	LatestSheet(ctx context.Context, sessionID int64) (Sheet, error)
	Sheet(ctx context.Context, id int64) (Sheet, error)
	// ReprintSheet reads a kept sheet to hand over again (open, save or
	// print) and records ActionReprint.
	ReprintSheet(ctx context.Context, actor, id int64) (Sheet, error)
	// SheetInput reads the whole session (recommendations with their
	// products) and its client, as a sheet needs them, for anyone allowed
	// PermSheetMake, even a role that otherwise sees session summaries.
	SheetInput(ctx context.Context, actor, sessionID int64) (Session, Client, error)
	// ClientSheets lists every sheet made for a client's sessions, newest first.
	ClientSheets(ctx context.Context, clientID int64) ([]SheetInfo, error)
}
