package data

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
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

// SheetInput is what an aftercare sheet is made from: what the sheet
// prints, and what decides what it prints, and nothing else. Receptionists
// make sheets too, and may not see a session's clinical details, so none
// of them is here: no needle depth (the areas are names only; the chart
// keeps the depths), device, needle lot, passes, numbing, glide serum,
// products applied, reaction, clinical notes, warnings or reason for
// going ahead. Of the client it holds the name, the allergies that clash
// with a recommended product and three screening answers, each because
// the sheet prints something that comes from it (see SheetClient).
type SheetInput struct {
	Session SheetSession
	Client  SheetClient
}

// SheetSession is the part of a session a sheet prints.
type SheetSession struct {
	ID, ClientID   int64
	StartedAt      time.Time
	TechnicianName string
	Areas          []Area // in the order charted
	// Recommendations carry their Product: the product plan checks the
	// category, name and key ingredients against the precautions.
	Recommendations []Recommendation
	AftercareNotes  string // the technician's words for the client
	NextDue         Date
	// NextVisit is the client's next booked appointment after the
	// session, with whom (NextVisitWith); zero when none is booked.
	NextVisit     time.Time
	NextVisitWith string
}

// SheetClient is the part of a client's record a sheet prints, or needs to
// decide what it prints.
//
// The client's allergies are clinical details, yet the sheet must not
// differ with who prints it, and it prints, for each recommended product
// that clashes with an allergy, "do not use" naming the allergy as the
// record lists it. So Allergies holds exactly those entries of the
// client's list that clash with a recommended product (SheetAllergies),
// each as the list gives it; the matcher reads each entry on its own,
// so the plan finds the same clashes in them as in the whole list, and
// an allergy no recommended product touches stays in the record.
//
// Of the screening answers the sheet uses only three, each of which
// prints lines of its own: pregnancy or breastfeeding (its health line,
// retinoids listed as not to use, the precautions' wording), blood
// thinners and keloid scarring (their health lines).
type SheetClient struct {
	ID                    int64
	GivenName, FamilyName string
	Allergies             []string
	PregnantOrNursing     bool
	Anticoagulants        bool
	KeloidTendency        bool
}

// SheetAllergies is the part of a client's allergy list a sheet needs: the
// entries that clash with one of the recommended products, in the list's
// order, each as the list gives it.
func SheetAllergies(allergies string, recs []Recommendation) []string {
	clashing := map[string]bool{}
	for _, cl := range AllergyClashes(Client{Allergies: allergies}, recs) {
		clashing[cl.Allergy] = true
	}
	var out []string
	for _, a := range splitAllergies(allergies) {
		if clashing[a] && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// aftercareInput is the sheet's input as BuildAftercarePlan reads it: a
// session and a client that hold only what the sheet is made from, every
// other field empty.
func (in SheetInput) aftercareInput() AftercareInput {
	s, c := in.Session, in.Client
	ses := Session{ID: s.ID, ClientID: s.ClientID, StartedAt: s.StartedAt, TechnicianName: s.TechnicianName,
		Recommendations: s.Recommendations, AftercareNotes: s.AftercareNotes, NextDue: s.NextDue}
	for _, a := range s.Areas {
		ses.Areas = append(ses.Areas, AreaTreatment{Area: a})
	}
	// One entry a line: an entry of the list never holds a line break, so
	// the matcher reads back the same entries.
	cl := Client{ID: c.ID, GivenName: c.GivenName, FamilyName: c.FamilyName,
		Allergies: strings.Join(c.Allergies, "\n"),
		Contra: Contraindications{PregnantOrNursing: c.PregnantOrNursing, Anticoagulants: c.Anticoagulants,
			KeloidTendency: c.KeloidTendency}}
	return AftercareInput{Session: ses, Client: cl, PersonalNotes: s.AftercareNotes,
		NextVisit: s.NextVisit, NextVisitWith: s.NextVisitWith}
}
