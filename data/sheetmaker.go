package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// SheetRenderer turns a plan into a document; pdf.RenderAftercare is one.
// data does not import pdf, so the caller hands the renderer in.
type SheetRenderer func(w io.Writer, p AftercarePlan) error

// SheetMaker builds, renders and keeps aftercare sheets. It is the one path
// the app and the command line share, so both hand over the same document.
type SheetMaker struct {
	Sources  SheetSources
	Sheets   SheetStore
	Render   SheetRenderer
	Now      Clock          // nil means time.Now
	Location *time.Location // the clinic's zone; nil means local time
}

// Plan works out the aftercare plan of a session, for a preview or a sheet.
func (m SheetMaker) Plan(ctx context.Context, actor, sessionID int64) (AftercarePlan, error) {
	src, err := m.Sources.SheetInput(ctx, actor, sessionID)
	if err != nil {
		return AftercarePlan{}, err
	}
	settings, err := m.Sources.Settings(ctx, actor)
	if err != nil {
		return AftercarePlan{}, err
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	in := src.aftercareInput()
	in.Settings, in.MadeAt, in.Location = settings, now(), m.Location
	return BuildAftercarePlan(in), nil
}

// Make renders a new sheet for the session and keeps it as the session's
// next version.
func (m SheetMaker) Make(ctx context.Context, actor, sessionID int64) (Sheet, error) {
	plan, err := m.Plan(ctx, actor, sessionID)
	if err != nil {
		return Sheet{}, fmt.Errorf("preparing the aftercare sheet: %w", err)
	}
	var buf bytes.Buffer
	if err := m.Render(&buf, plan); err != nil {
		return Sheet{}, fmt.Errorf("rendering the aftercare sheet: %w", err)
	}
	sh := Sheet{SessionID: sessionID, PDF: buf.Bytes(), Basis: plan.Basis()}
	if err := m.Sheets.KeepSheet(ctx, actor, &sh); err != nil {
		return Sheet{}, err
	}
	return sh, nil
}

// Kept returns the sheet already handed over for the session, making and
// keeping one first when there is none. Handing a kept sheet over again is
// recorded as a reprint.
func (m SheetMaker) Kept(ctx context.Context, actor, sessionID int64) (Sheet, error) {
	sh, err := m.Sheets.LatestSheet(ctx, actor, sessionID)
	if errors.Is(err, ErrNotFound) {
		return m.Make(ctx, actor, sessionID)
	}
	if err != nil {
		return Sheet{}, err
	}
	return m.Sheets.ReprintSheet(ctx, actor, sh.ID)
}

// Freshness compares a kept sheet with the sheet its session would get
// now, from the record and the settings as they are.
func (m SheetMaker) Freshness(ctx context.Context, actor int64, sh Sheet) (SheetFreshness, error) {
	if sh.Basis == nil {
		return SheetFreshness{}, nil
	}
	plan, err := m.Plan(ctx, actor, sh.SessionID)
	if err != nil {
		return SheetFreshness{}, fmt.Errorf("checking the kept sheet against the record: %w", err)
	}
	return SheetFreshness{Known: true, Changed: sh.Basis.Changes(plan.Basis())}, nil
}

// LatestFreshness reads the newest kept sheet of a session, without
// recording a reprint, and compares it with the sheet the session would
// get now. It returns ErrNotFound when the session has no kept sheet
// (the next hand-over makes the first one). The sheet comes back without
// its bytes.
func (m SheetMaker) LatestFreshness(ctx context.Context, actor, sessionID int64) (Sheet, SheetFreshness, error) {
	sh, err := m.Sheets.LatestSheet(ctx, actor, sessionID)
	if err != nil {
		return Sheet{}, SheetFreshness{}, err
	}
	sh.PDF = nil
	f, err := m.Freshness(ctx, actor, sh)
	return sh, f, err
}

// SheetFreshnessByID is Freshness for a kept sheet named by its ID, as the
// client record lists them. The sheet comes back without its bytes.
func (m SheetMaker) SheetFreshnessByID(ctx context.Context, actor, sheetID int64) (Sheet, SheetFreshness, error) {
	sh, err := m.Sheets.Sheet(ctx, actor, sheetID)
	if err != nil {
		return Sheet{}, SheetFreshness{}, err
	}
	sh.PDF = nil
	f, err := m.Freshness(ctx, actor, sh)
	return sh, f, err
}
