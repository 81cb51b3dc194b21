// Package sessiondoc is how both stores keep an earlier version of a
// session (session_version.earlier): one JSON document with its own
// names, so renaming a Go field never loses a version, and a clinic moved
// between SQLite and PostgreSQL reads its amendments as they were kept.
package sessiondoc

import (
	"encoding/json"
	"fmt"
	"time"

	"needledesk/data"
)

// timeLayout is the stores' own: RFC 3339 in UTC, nine-digit fraction.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// Doc is a kept version of a session. Products are kept by ID (they are
// never deleted) and read back with their current details.
type Doc struct {
	ClientID        int64     `json:"client_id"`
	TechnicianID    int64     `json:"technician_id"`
	StartedAt       string    `json:"started_at"`
	Areas           []areaDoc `json:"areas"`
	Device          string    `json:"device"`
	NeedleLot       string    `json:"needle_lot"`
	Passes          int       `json:"passes"`
	NumbingAgent    string    `json:"numbing_agent"`
	NumbingMinutes  int       `json:"numbing_minutes"`
	GlideSerum      string    `json:"glide_serum"`
	ProductsApplied string    `json:"products_applied"`
	Reaction        string    `json:"reaction"`
	Notes           string    `json:"notes"`
	AftercareNotes  string    `json:"aftercare_notes"`
	NextDue         string    `json:"next_due"`
	Warnings        []string  `json:"warnings"`
	OverrideReason  string    `json:"override_reason"`
	Recommendations []recDoc  `json:"recommendations"`
	CreatedAt       string    `json:"created_at,omitempty"`
	UpdatedAt       string    `json:"updated_at,omitempty"` // when this version was saved
}

type areaDoc struct {
	Area    string  `json:"area"`
	DepthMM float64 `json:"depth_mm"`
}

type recDoc struct {
	ProductID int64 `json:"product_id"`
	StartDay  int   `json:"start_day"`
}

// Of is what a version of the session says, without the times it was
// saved at.
func Of(s data.Session) Doc {
	d := Doc{
		ClientID: s.ClientID, TechnicianID: s.TechnicianID, StartedAt: s.StartedAt.UTC().Format(timeLayout),
		Device: s.Device, NeedleLot: s.NeedleLot, Passes: s.Passes, NumbingAgent: s.NumbingAgent,
		NumbingMinutes: s.NumbingMinutes, GlideSerum: s.GlideSerum, ProductsApplied: s.ProductsApplied,
		Reaction: s.Reaction, Notes: s.Notes, AftercareNotes: s.AftercareNotes, NextDue: s.NextDue.String(),
		Warnings: s.Warnings, OverrideReason: s.OverrideReason,
		Areas: []areaDoc{}, Recommendations: []recDoc{},
	}
	if d.Warnings == nil {
		d.Warnings = []string{}
	}
	for _, a := range s.Areas {
		d.Areas = append(d.Areas, areaDoc{Area: string(a.Area), DepthMM: a.DepthMM})
	}
	for _, r := range s.Recommendations {
		d.Recommendations = append(d.Recommendations, recDoc{ProductID: r.ProductID, StartDay: r.StartDay})
	}
	return d
}

// Earlier is the document to keep when before is replaced by after: the
// JSON of before with the times it was created and saved at, and changed
// false (nothing to keep) when after says the same as before.
func Earlier(before, after data.Session) (doc string, changed bool, err error) {
	earlier := Of(before)
	later, err := json.Marshal(Of(after))
	if err != nil {
		return "", false, fmt.Errorf("encoding the session: %w", err)
	}
	same, err := json.Marshal(earlier)
	if err != nil {
		return "", false, fmt.Errorf("encoding the session: %w", err)
	}
	if string(same) == string(later) {
		return "", false, nil
	}
	earlier.CreatedAt = before.CreatedAt.UTC().Format(timeLayout)
	earlier.UpdatedAt = before.UpdatedAt.UTC().Format(timeLayout)
	b, err := json.Marshal(earlier)
	if err != nil {
		return "", false, fmt.Errorf("encoding the earlier version: %w", err)
	}
	return string(b), true, nil
}

// Decode turns a kept document back into session id; products are filled
// in by the caller.
func Decode(doc string, id int64) (data.Session, error) {
	var d Doc
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return data.Session{}, fmt.Errorf("an earlier version of session %d is damaged: %w", id, err)
	}
	return d.Session(id)
}

// Session turns a kept version back into a session; products are filled
// in by the caller.
func (d Doc) Session(id int64) (data.Session, error) {
	s := data.Session{
		ID: id, ClientID: d.ClientID, TechnicianID: d.TechnicianID,
		Device: d.Device, NeedleLot: d.NeedleLot, Passes: d.Passes, NumbingAgent: d.NumbingAgent,
		NumbingMinutes: d.NumbingMinutes, GlideSerum: d.GlideSerum, ProductsApplied: d.ProductsApplied,
		Reaction: d.Reaction, Notes: d.Notes, AftercareNotes: d.AftercareNotes,
		Warnings: d.Warnings, OverrideReason: d.OverrideReason,
	}
	for _, a := range d.Areas {
		s.Areas = append(s.Areas, data.AreaTreatment{Area: data.Area(a.Area), DepthMM: a.DepthMM})
	}
	for _, r := range d.Recommendations {
		s.Recommendations = append(s.Recommendations, data.Recommendation{ProductID: r.ProductID, StartDay: r.StartDay})
	}
	var errs [4]error
	s.StartedAt, errs[0] = parseTime(d.StartedAt)
	s.NextDue, errs[1] = parseDate(d.NextDue)
	s.CreatedAt, errs[2] = parseTime(d.CreatedAt)
	s.UpdatedAt, errs[3] = parseTime(d.UpdatedAt)
	for _, err := range errs {
		if err != nil {
			return s, fmt.Errorf("an earlier version of session %d is damaged: %w", id, err)
		}
	}
	return s, nil
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q is damaged: %w", s, err)
	}
	return t.UTC(), nil
}

func parseDate(s string) (data.Date, error) {
	if s == "" {
		return data.Date{}, nil
	}
	d, err := data.ParseDate(s)
	if err != nil {
		return data.Date{}, fmt.Errorf("stored date %q is damaged: %w", s, err)
	}
	return d, nil
}
