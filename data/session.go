package data

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// Area is a treatment area, with its own safe needle depth range.
type Area string

// The treatment areas clinics chart.
const (
	AreaForehead    Area = "forehead"
	AreaUnderEye    Area = "under_eye"
	AreaNose        Area = "nose"
	AreaCheeks      Area = "cheeks"
	AreaAroundMouth Area = "around_mouth"
	AreaJaw         Area = "jaw"
	AreaNeck        Area = "neck"
	AreaDecolletage Area = "decolletage"
	AreaHands       Area = "hands"
	AreaAcneScars   Area = "acne_scar_zone"
	AreaAbdomen     Area = "abdomen"
	AreaThighs      Area = "thighs"
	AreaOtherBody   Area = "other_body"
)

// Areas lists every area in the order forms show them.
var Areas = []Area{
	AreaForehead, AreaUnderEye, AreaNose, AreaCheeks, AreaAroundMouth, AreaJaw,
	AreaNeck, AreaDecolletage, AreaHands, AreaAcneScars, AreaAbdomen, AreaThighs,
	AreaOtherBody,
}

var areaLabels = map[Area]string{
	AreaForehead:    "Forehead",
	AreaUnderEye:    "Under-eye",
	AreaNose:        "Nose",
	AreaCheeks:      "Cheeks",
	AreaAroundMouth: "Around the mouth",
	AreaJaw:         "Jawline",
	AreaNeck:        "Neck",
	AreaDecolletage: "Décolletage",
	AreaHands:       "Hands",
	AreaAcneScars:   "Acne-scar zone",
	AreaAbdomen:     "Abdomen",
	AreaThighs:      "Thighs",
	AreaOtherBody:   "Other body area",
}

// Label is the area as a person reads it.
func (a Area) Label() string {
	if l, ok := areaLabels[a]; ok {
		return l
	}
	return string(a)
}

func knownArea(a Area) bool { _, ok := areaLabels[a]; return ok }

// Depth limits every treatment must respect, in millimetres.
const (
	MinDepthMM = 0.1
	MaxDepthMM = 3.0
)

// AreaTreatment is one area treated in a session and the needle depth used.
type AreaTreatment struct {
	Area    Area
	DepthMM float64
}

// Recommendation is a catalogue product recommended in a session, to start
// a number of days after the treatment day.
type Recommendation struct {
	ProductID int64
	StartDay  int
	// Product is filled in by the store when a session is read.
	Product Product
}

// Session is one treatment, charted by the technician right after it.
type Session struct {
	ID              int64
	ClientID        int64
	TechnicianID    int64
	StartedAt       time.Time
	Areas           []AreaTreatment
	Device          string
	NeedleLot       string
	Passes          int
	NumbingAgent    string
	NumbingMinutes  int
	GlideSerum      string
	ProductsApplied string
	Reaction        string
	Notes           string // clinical notes, for the clinic only
	// AftercareNotes are the technician's personal words printed on the
	// client's aftercare sheet.
	AftercareNotes string
	NextDue        Date
	// Warnings are the contraindication warnings shown before treating;
	// OverrideReason is why treatment went ahead anyway.
	Warnings        []string
	OverrideReason  string
	Recommendations []Recommendation
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// Version rises with every saved change (an amendment too); UpdatedBy
	// is the staff member who made the last one (SystemActor: NeedleDesk
	// itself). UpdateSession saves only over the version that was read, so
	// a change made since is never overwritten unseen (ErrConflict).
	Version   int64
	UpdatedBy int64

	// TechnicianName is filled in by the store when a session is read.
	TechnicianName string
	// Amendments counts the earlier versions the store keeps because the
	// session was changed after its treatment day; read only.
	Amendments int
	// SummaryOnly is set by the store when the reader's role may see only
	// a summary (see Summary): the clinical details are empty, not absent.
	// A summary cannot be saved back.
	SummaryOnly bool
	// Withheld names the clinical details a summary leaves out. Those
	// fields read as empty although something may have been recorded, so
	// a screen asks Hidden before it says "none"; nil on a whole session.
	Withheld []SessionDetail
}

// SessionDetail names one clinical detail of a session, for saying which
// details a summary withheld.
type SessionDetail string

// The clinical details of a session: what staff without
// PermSessionDetails do not see.
const (
	DetailDepths          SessionDetail = "depths" // the depth of each area; the areas themselves stay
	DetailDevice          SessionDetail = "device"
	DetailNeedleLot       SessionDetail = "needle_lot"
	DetailPasses          SessionDetail = "passes"
	DetailNumbing         SessionDetail = "numbing" // the agent and how long it was on
	DetailGlideSerum      SessionDetail = "glide_serum"
	DetailProductsApplied SessionDetail = "products_applied"
	DetailReaction        SessionDetail = "reaction"
	DetailNotes           SessionDetail = "notes"    // the clinical notes
	DetailWarnings        SessionDetail = "warnings" // the warnings shown and the reason for going ahead
)

// ClinicalDetails lists every clinical detail, in the order a session
// form shows them.
var ClinicalDetails = []SessionDetail{
	DetailDepths, DetailDevice, DetailNeedleLot, DetailPasses, DetailNumbing, DetailGlideSerum,
	DetailProductsApplied, DetailReaction, DetailNotes, DetailWarnings,
}

// Hidden reports whether detail d was withheld from this reader: its
// field is empty whatever was recorded, so it must not be read as "none".
func (s Session) Hidden(d SessionDetail) bool { return slices.Contains(s.Withheld, d) }

// Summary is the session as staff without PermSessionDetails see it: when,
// by whom, which areas, the products recommended, the personal aftercare
// words and the next visit. Depths, device, needle lot, passes, numbing,
// glide serum, products applied, reaction, clinical notes, warnings and
// the override reason are left empty, and Withheld names them all, so an
// empty field of a summary never reads as nothing recorded.
func (s Session) Summary() Session {
	out := Session{
		ID: s.ID, ClientID: s.ClientID, TechnicianID: s.TechnicianID, StartedAt: s.StartedAt,
		AftercareNotes: s.AftercareNotes, NextDue: s.NextDue, Recommendations: s.Recommendations,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, TechnicianName: s.TechnicianName,
		Version: s.Version, UpdatedBy: s.UpdatedBy,
		Amendments: s.Amendments, SummaryOnly: true, Withheld: slices.Clone(ClinicalDetails),
	}
	for _, a := range s.Areas {
		out.Areas = append(out.Areas, AreaTreatment{Area: a.Area})
	}
	return out
}

// SessionAmendment is an earlier version of a session, kept when someone
// changed the session after its treatment day.
type SessionAmendment struct {
	ID            int64
	SessionID     int64
	ChangedAt     time.Time // when the change that replaced this version was saved
	ChangedBy     int64     // who saved that change
	ChangedByName string
	// Earlier is the session as it stood before the change, with its
	// technician's name and its recommendations' products.
	Earlier Session
}

// Day is the session's treatment day in the clinic's local time.
func (s Session) Day() Date { return DateOf(s.StartedAt.In(time.Local)) }

// JoinReasons keeps every reason given for going ahead despite warnings
// (at the start of the session form, before saving, in an earlier
// version), each once, in the order given, one to a line.
func JoinReasons(reasons ...string) string {
	var out []string
	for _, r := range reasons {
		if r = strings.TrimSpace(r); r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return strings.Join(out, "\n")
}

// DoNotTreat is a decision, at the check before treating, not to treat
// the client, with the reason; it is kept in the audit trail.
type DoNotTreat struct {
	ClientID int64
	Reason   string
}

// Validate asks for a reason that fits on one line of the audit trail.
func (d DoNotTreat) Validate() error {
	var p problems
	if d.ClientID <= 0 {
		p.add("client", "say which client was not treated")
	}
	reason := d.Detail()
	if reason == "" {
		p.add("reason", "write why the client is not being treated")
	}
	p.text("reason", reason, textRule{max: MaxAuditDetail})
	return p.err()
}

// Detail is the reason as the audit trail keeps it: one line, spaces and
// line breaks run together.
func (d DoNotTreat) Detail() string {
	return strings.Join(strings.FieldsFunc(d.Reason, unicode.IsSpace), " ")
}

// DefaultNextDue is the treatment day plus the clinic's follow-up interval.
func DefaultNextDue(startedAt time.Time, s Settings) Date {
	return DateOf(startedAt).AddDays(s.FollowUpDays)
}
