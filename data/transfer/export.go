package transfer

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"needledesk/data"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// A client export answers a data access request: everything NeedleDesk
// keeps about one client. record.json holds it exactly as stored, for
// programs; client.csv and sessions.csv hold the same for a spreadsheet;
// sheets/ holds every aftercare sheet handed over, byte for byte.

// The identity of record.json, so a reader can tell what it holds.
const (
	ClientExportFormat  = "needledesk-client-export"
	ClientExportVersion = 1
)

// ClientExport is record.json. Its field names are part of NeedleDesk's
// promise to the clinic's other programs: they only ever gain fields. Text
// is exactly as stored; dates are YYYY-MM-DD and instants RFC 3339 in UTC,
// both "" when not set; lists are [] when empty, never null.
type ClientExport struct {
	Format     string            `json:"format"`
	Version    int               `json:"version"`
	ExportedAt string            `json:"exported_at"`
	Client     ExportedClient    `json:"client"`
	Sessions   []ExportedSession `json:"sessions"` // oldest first
	Sheets     []ExportedSheet   `json:"sheets"`   // oldest first
}

// ExportedClient is the client's own record.
type ExportedClient struct {
	ID                int64                     `json:"id"`
	GivenName         string                    `json:"given_name"`
	FamilyName        string                    `json:"family_name"`
	FullName          string                    `json:"full_name"`
	DateOfBirth       string                    `json:"date_of_birth"`
	Phone             string                    `json:"phone"`
	Email             string                    `json:"email"`
	EmailReminders    bool                      `json:"email_reminders"` // agreed to booking confirmations and reminders by e-mail
	Address           string                    `json:"address"`
	SkinType          string                    `json:"skin_type"` // I to VI, "" when not recorded
	Concerns          []string                  `json:"concerns"`  // codes, as the import reads them
	Allergies         string                    `json:"allergies"`
	Medications       string                    `json:"medications"`
	MedicalNotes      string                    `json:"medical_notes"`
	Contraindications ExportedContraindications `json:"contraindications"`
	Consent           ExportedConsent           `json:"consent"`
	Notes             string                    `json:"notes"`
	CreatedAt         string                    `json:"created_at"`
	UpdatedAt         string                    `json:"updated_at"`
	ArchivedAt        string                    `json:"archived_at"` // "" while the client is current
}

// ExportedContraindications are the screening answers.
type ExportedContraindications struct {
	Isotretinoin        bool   `json:"isotretinoin"`
	IsotretinoinStopped string `json:"isotretinoin_stopped"`
	PregnantOrNursing   bool   `json:"pregnant_or_nursing"`
	Anticoagulants      bool   `json:"anticoagulants"`
	KeloidTendency      bool   `json:"keloid_tendency"`
	ActiveInfection     bool   `json:"active_infection"`
	MetalAllergy        bool   `json:"metal_allergy"`
	RecentActives       bool   `json:"recent_actives"`
	RecentActivesOn     string `json:"recent_actives_on"`
	RecentActivesWhat   string `json:"recent_actives_what"`
}

// ExportedConsent is the signed consent form.
type ExportedConsent struct {
	SignedOn    string `json:"signed_on"`
	FormVersion string `json:"form_version"`
}

// ExportedSession is one treatment.
type ExportedSession struct {
	ID              int64                    `json:"id"`
	StartedAt       string                   `json:"started_at"`
	TechnicianID    int64                    `json:"technician_id"`
	Technician      string                   `json:"technician"`
	Areas           []ExportedArea           `json:"areas"`
	Device          string                   `json:"device"`
	NeedleLot       string                   `json:"needle_lot"`
	Passes          int                      `json:"passes"`
	NumbingAgent    string                   `json:"numbing_agent"`
	NumbingMinutes  int                      `json:"numbing_minutes"`
	GlideSerum      string                   `json:"glide_serum"`
	ProductsApplied string                   `json:"products_applied"`
	Reaction        string                   `json:"reaction"`
	Notes           string                   `json:"notes"`
	AftercareNotes  string                   `json:"aftercare_notes"`
	NextDue         string                   `json:"next_due"`
	Warnings        []string                 `json:"warnings"`
	OverrideReason  string                   `json:"override_reason"`
	Recommendations []ExportedRecommendation `json:"recommendations"`
	CreatedAt       string                   `json:"created_at"`
	UpdatedAt       string                   `json:"updated_at"`
}

// ExportedArea is one area treated and the needle depth used.
type ExportedArea struct {
	Area    string  `json:"area"`  // code
	Label   string  `json:"label"` // as a person reads it
	DepthMM float64 `json:"depth_mm"`
}

// ExportedRecommendation is a product recommended in a session.
type ExportedRecommendation struct {
	ProductID int64  `json:"product_id"`
	Product   string `json:"product"`
	Brand     string `json:"brand"`
	StartDay  int    `json:"start_day"` // days after the treatment day
}

// ExportedSheet describes one aftercare sheet handed over; File is where
// its exact bytes are in the export folder.
type ExportedSheet struct {
	ID        int64  `json:"id"`
	SessionID int64  `json:"session_id"`
	Version   int    `json:"version"`
	MadeAt    string `json:"made_at"`
	MadeByID  int64  `json:"made_by_id"`
	MadeBy    string `json:"made_by"`
	SHA256    string `json:"sha256"`
	SizeBytes int    `json:"size_bytes"`
	File      string `json:"file"`
	pdf       []byte // not in the JSON: the exporter writes it to File
}

// NewClientExport lays a record out for export. at is when the export is
// made; loc is the clinic's zone, which names sheets by treatment day.
func NewClientExport(rec data.ClientRecord, at time.Time, loc *time.Location) ClientExport {
	loc = orLocal(loc)
	sessions := slices.Clone(rec.Sessions)
	slices.SortStableFunc(sessions, func(a, b data.Session) int {
		return cmp.Or(a.StartedAt.Compare(b.StartedAt), cmp.Compare(a.ID, b.ID))
	})
	days := map[int64]data.Date{}
	x := ClientExport{
		Format: ClientExportFormat, Version: ClientExportVersion, ExportedAt: instant(at),
		Client:   exportClient(rec.Client),
		Sessions: make([]ExportedSession, 0, len(sessions)),
		Sheets:   make([]ExportedSheet, 0, len(rec.Sheets)),
	}
	for _, s := range sessions {
		x.Sessions = append(x.Sessions, exportSession(s))
		days[s.ID] = data.DateOf(s.StartedAt.In(loc))
	}
	sheets := slices.Clone(rec.Sheets)
	slices.SortStableFunc(sheets, func(a, b data.KeptSheet) int {
		return cmp.Or(a.MadeAt.Compare(b.MadeAt), cmp.Compare(a.ID, b.ID))
	})
	for _, sh := range sheets {
		day, ok := days[sh.SessionID]
		if !ok { // cannot happen for a record read at one moment; name it by its own day
			day = data.DateOf(sh.MadeAt.In(loc))
		}
		x.Sheets = append(x.Sheets, ExportedSheet{
			ID: sh.ID, SessionID: sh.SessionID, Version: sh.Version, MadeAt: instant(sh.MadeAt),
			MadeByID: sh.MadeBy, MadeBy: sh.MadeByName, SHA256: sh.SHA256, SizeBytes: len(sh.PDF),
			File: SheetFileName(day, sh.SessionID, sh.Version), pdf: sh.PDF,
		})
	}
	return x
}

// SheetFileName is where a sheet goes in a client export:
// sheets/2026-11-22-session-17-v2.pdf, named by its session's treatment day.
func SheetFileName(day data.Date, sessionID int64, version int) string {
	return fmt.Sprintf("sheets/%s-session-%d-v%d.pdf", day, sessionID, version)
}

func exportClient(c data.Client) ExportedClient {
	k := c.Contra
	concerns := make([]string, 0, len(c.Concerns))
	for _, cn := range c.Concerns {
		concerns = append(concerns, string(cn))
	}
	return ExportedClient{
		ID: c.ID, GivenName: c.GivenName, FamilyName: c.FamilyName, FullName: c.FullName(),
		DateOfBirth: c.DateOfBirth.String(), Phone: c.Phone, Email: c.Email, EmailReminders: c.EmailReminders,
		Address: c.Address, SkinType: c.SkinType.String(), Concerns: concerns,
		Allergies: c.Allergies, Medications: c.Medications, MedicalNotes: c.MedicalNotes,
		Contraindications: ExportedContraindications{
			Isotretinoin: k.Isotretinoin, IsotretinoinStopped: k.IsotretinoinStopped.String(),
			PregnantOrNursing: k.PregnantOrNursing, Anticoagulants: k.Anticoagulants,
			KeloidTendency: k.KeloidTendency, ActiveInfection: k.ActiveInfection, MetalAllergy: k.MetalAllergy,
			RecentActives: k.RecentActives, RecentActivesOn: k.RecentActivesOn.String(),
			RecentActivesWhat: k.RecentActivesWhat,
		},
		Consent: ExportedConsent{SignedOn: c.Consent.SignedOn.String(), FormVersion: c.Consent.FormVersion},
		Notes:   c.Notes, CreatedAt: instant(c.CreatedAt), UpdatedAt: instant(c.UpdatedAt),
		ArchivedAt: instant(c.ArchivedAt),
	}
}

func exportSession(s data.Session) ExportedSession {
	areas := make([]ExportedArea, 0, len(s.Areas))
	for _, a := range s.Areas {
		areas = append(areas, ExportedArea{Area: string(a.Area), Label: a.Area.Label(), DepthMM: a.DepthMM})
	}
	recs := make([]ExportedRecommendation, 0, len(s.Recommendations))
	for _, r := range s.Recommendations {
		recs = append(recs, ExportedRecommendation{ProductID: r.ProductID, Product: r.Product.Name,
			Brand: r.Product.Brand, StartDay: r.StartDay})
	}
	warnings := append([]string{}, s.Warnings...)
	return ExportedSession{
		ID: s.ID, StartedAt: instant(s.StartedAt), TechnicianID: s.TechnicianID, Technician: s.TechnicianName,
		Areas: areas, Device: s.Device, NeedleLot: s.NeedleLot, Passes: s.Passes,
		NumbingAgent: s.NumbingAgent, NumbingMinutes: s.NumbingMinutes, GlideSerum: s.GlideSerum,
		ProductsApplied: s.ProductsApplied, Reaction: s.Reaction, Notes: s.Notes,
		AftercareNotes: s.AftercareNotes, NextDue: s.NextDue.String(), Warnings: warnings,
		OverrideReason: s.OverrideReason, Recommendations: recs,
		CreatedAt: instant(s.CreatedAt), UpdatedAt: instant(s.UpdatedAt),
	}
}

// instant is RFC 3339 in UTC, or "" for the zero time.
func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func orLocal(loc *time.Location) *time.Location {
	if loc == nil {
		return time.Local
	}
	return loc
}

// WriteJSON writes record.json: indented, UTF-8, with <, > and & as
// themselves rather than \u003c escapes, so the text reads as it was typed.
func (x ClientExport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return fmt.Errorf("writing the record as JSON: %w", err)
	}
	return nil
}

// ReadClientExport reads record.json back, for checks and for programs
// that take an export in.
func ReadClientExport(r io.Reader) (ClientExport, error) {
	var x ClientExport
	dec := json.NewDecoder(r)
	if err := dec.Decode(&x); err != nil {
		return x, fmt.Errorf("reading the export: %w", err)
	}
	if x.Format != ClientExportFormat {
		return x, fmt.Errorf("this is not a NeedleDesk client export (format %q): %w", x.Format, data.ErrInvalid)
	}
	if x.Version < 1 || x.Version > ClientExportVersion {
		return x, fmt.Errorf("this export is version %d; this NeedleDesk reads up to %d: %w",
			x.Version, ClientExportVersion, data.ErrInvalid)
	}
	return x, nil
}

// CSVTable writes records of one kind as a spreadsheet: a UTF-8 byte order
// mark (so Excel does not read Zoë as ZoÃ«), a header row, then one row per
// record. Every cell that a spreadsheet program would take for a formula
// (starting with = + - @, a tab or a carriage return) is written with an
// apostrophe in front, so opening the file never runs anything; encoding/csv
// quotes cells holding commas, quotes or line breaks.
type CSVTable[T any] struct {
	w    *csv.Writer
	cols []csvColumn[T]
	loc  *time.Location
	row  []string
}

type csvColumn[T any] struct {
	name  string
	value func(T, *time.Location) string
}

// NewClientsCSV starts clients.csv: one row per client, every field.
// Times are shown in loc, the clinic's zone.
func NewClientsCSV(w io.Writer, loc *time.Location) (*CSVTable[data.Client], error) {
	return newCSVTable(w, clientColumns, loc)
}

// NewSessionsCSV starts sessions.csv: one row per session, its areas in
// one cell ("Cheeks: 0.75 mm; Forehead: 0.25 mm") so each treatment reads
// along one line, and its recommendations likewise.
func NewSessionsCSV(w io.Writer, loc *time.Location) (*CSVTable[data.Session], error) {
	return newCSVTable(w, sessionColumns, loc)
}

func newCSVTable[T any](w io.Writer, cols []csvColumn[T], loc *time.Location) (*CSVTable[T], error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, fmt.Errorf("writing a spreadsheet: %w", err)
	}
	t := &CSVTable[T]{w: csv.NewWriter(w), cols: cols, loc: orLocal(loc), row: make([]string, len(cols))}
	for i, c := range cols {
		t.row[i] = c.name
	}
	if err := t.w.Write(t.row); err != nil {
		return nil, fmt.Errorf("writing a spreadsheet: %w", err)
	}
	return t, nil
}

// Columns are the header row's names.
func (t *CSVTable[T]) Columns() []string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	return names
}

// Write adds one row.
func (t *CSVTable[T]) Write(v T) error {
	for i, c := range t.cols {
		t.row[i] = SpreadsheetSafe(c.value(v, t.loc))
	}
	if err := t.w.Write(t.row); err != nil {
		return fmt.Errorf("writing a spreadsheet: %w", err)
	}
	return nil
}

// Flush writes out what is buffered and reports any write error so far.
func (t *CSVTable[T]) Flush() error {
	t.w.Flush()
	if err := t.w.Error(); err != nil {
		return fmt.Errorf("writing a spreadsheet: %w", err)
	}
	return nil
}

// SpreadsheetSafe puts an apostrophe before text a spreadsheet program
// would run as a formula. The apostrophe is what Excel and LibreOffice
// themselves use to mark a cell as text.
func SpreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Cell formats shared by both tables.
func csvTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func csvInt(n int64) string { return strconv.FormatInt(n, 10) }

func csvBool(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

var clientColumns = []csvColumn[data.Client]{
	{"id", func(c data.Client, _ *time.Location) string { return csvInt(c.ID) }},
	{"given_name", func(c data.Client, _ *time.Location) string { return c.GivenName }},
	{"family_name", func(c data.Client, _ *time.Location) string { return c.FamilyName }},
	{"date_of_birth", func(c data.Client, _ *time.Location) string { return c.DateOfBirth.String() }},
	{"phone", func(c data.Client, _ *time.Location) string { return c.Phone }},
	{"email", func(c data.Client, _ *time.Location) string { return c.Email }},
	{"address", func(c data.Client, _ *time.Location) string { return c.Address }},
	{"skin_type", func(c data.Client, _ *time.Location) string { return c.SkinType.String() }},
	{"concerns", func(c data.Client, _ *time.Location) string { return concernLabelList(c.Concerns) }},
	{"allergies", func(c data.Client, _ *time.Location) string { return c.Allergies }},
	{"medications", func(c data.Client, _ *time.Location) string { return c.Medications }},
	{"medical_notes", func(c data.Client, _ *time.Location) string { return c.MedicalNotes }},
	{"isotretinoin", func(c data.Client, _ *time.Location) string { return csvBool(c.Contra.Isotretinoin) }},
	{"isotretinoin_stopped", func(c data.Client, _ *time.Location) string { return c.Contra.IsotretinoinStopped.String() }},
	{"pregnant_or_nursing", func(c data.Client, _ *time.Location) string { return csvBool(c.Contra.PregnantOrNursing) }},
	{"anticoagulants", func(c data.Client, _ *time.Location) string { return csvBool(c.Contra.Anticoagulants) }},
	{"keloid_tendency", func(c data.Client, _ *time.Location) string { return csvBool(c.Contra.KeloidTendency) }},
	{"active_infection", func(c data.Client, _ *time.Location) string { return csvBool(c.Contra.ActiveInfection) }},
	{"metal_allergy", func(c data.Client, _ *time.Location) string { return csvBool(c.Contra.MetalAllergy) }},
	{"recent_actives", func(c data.Client, _ *time.Location) string { return csvBool(c.Contra.RecentActives) }},
	{"recent_actives_on", func(c data.Client, _ *time.Location) string { return c.Contra.RecentActivesOn.String() }},
	{"recent_actives_what", func(c data.Client, _ *time.Location) string { return c.Contra.RecentActivesWhat }},
	{"consent_signed_on", func(c data.Client, _ *time.Location) string { return c.Consent.SignedOn.String() }},
	{"consent_form_version", func(c data.Client, _ *time.Location) string { return c.Consent.FormVersion }},
	{"notes", func(c data.Client, _ *time.Location) string { return c.Notes }},
	{"created_at", func(c data.Client, loc *time.Location) string { return csvTime(c.CreatedAt, loc) }},
	{"updated_at", func(c data.Client, loc *time.Location) string { return csvTime(c.UpdatedAt, loc) }},
	{"archived_at", func(c data.Client, loc *time.Location) string { return csvTime(c.ArchivedAt, loc) }},
	// Columns added later go last, so a program reading by position still finds the others.
	{"email_reminders", func(c data.Client, _ *time.Location) string { return csvBool(c.EmailReminders) }},
}

var sessionColumns = []csvColumn[data.Session]{
	{"id", func(s data.Session, _ *time.Location) string { return csvInt(s.ID) }},
	{"client_id", func(s data.Session, _ *time.Location) string { return csvInt(s.ClientID) }},
	{"started_at", func(s data.Session, loc *time.Location) string { return csvTime(s.StartedAt, loc) }},
	{"technician", func(s data.Session, _ *time.Location) string { return s.TechnicianName }},
	{"areas", func(s data.Session, _ *time.Location) string { return AreaList(s.Areas) }},
	{"device", func(s data.Session, _ *time.Location) string { return s.Device }},
	{"needle_lot", func(s data.Session, _ *time.Location) string { return s.NeedleLot }},
	{"passes", func(s data.Session, _ *time.Location) string { return strconv.Itoa(s.Passes) }},
	{"numbing_agent", func(s data.Session, _ *time.Location) string { return s.NumbingAgent }},
	{"numbing_minutes", func(s data.Session, _ *time.Location) string { return strconv.Itoa(s.NumbingMinutes) }},
	{"glide_serum", func(s data.Session, _ *time.Location) string { return s.GlideSerum }},
	{"products_applied", func(s data.Session, _ *time.Location) string { return s.ProductsApplied }},
	{"reaction", func(s data.Session, _ *time.Location) string { return s.Reaction }},
	{"notes", func(s data.Session, _ *time.Location) string { return s.Notes }},
	{"aftercare_notes", func(s data.Session, _ *time.Location) string { return s.AftercareNotes }},
	{"next_due", func(s data.Session, _ *time.Location) string { return s.NextDue.String() }},
	{"warnings", func(s data.Session, _ *time.Location) string { return strings.Join(s.Warnings, "\n") }},
	{"override_reason", func(s data.Session, _ *time.Location) string { return s.OverrideReason }},
	{"recommendations", func(s data.Session, _ *time.Location) string { return recommendationList(s.Recommendations) }},
	{"created_at", func(s data.Session, loc *time.Location) string { return csvTime(s.CreatedAt, loc) }},
	{"updated_at", func(s data.Session, loc *time.Location) string { return csvTime(s.UpdatedAt, loc) }},
}

// AreaList is a session's areas on one line, in the order charted:
// "Cheeks: 0.75 mm; Forehead: 0.25 mm".
func AreaList(areas []data.AreaTreatment) string {
	parts := make([]string, len(areas))
	for i, a := range areas {
		parts[i] = a.Area.Label() + ": " + data.FormatMM(a.DepthMM) + " mm"
	}
	return strings.Join(parts, "; ")
}

func concernLabelList(cs []data.Concern) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.Label()
	}
	return strings.Join(parts, "; ")
}

// recommendationList reads "Vitamin C Serum (Lumen Lab) from day 7; ...".
func recommendationList(recs []data.Recommendation) string {
	parts := make([]string, len(recs))
	for i, r := range recs {
		name := r.Product.Name
		if name == "" {
			name = fmt.Sprintf("product %d", r.ProductID)
		}
		if r.Product.Brand != "" {
			name += " (" + r.Product.Brand + ")"
		}
		parts[i] = fmt.Sprintf("%s from day %d", name, r.StartDay)
	}
	return strings.Join(parts, "; ")
}

// ExportFolderName names a client's export folder:
// client-42-zoe-obrien-2026-11-22. The name is folded to letters and digits
// of any script joined by hyphens, so it is a safe file name everywhere.
func ExportFolderName(c data.Client, on data.Date) string {
	return fmt.Sprintf("client-%d-%s%s", c.ID, nameSlug(c.FullName()), on)
}

// nameSlug is "zoe-obrien-" for Zoë O'Brien, "" for a name with nothing
// usable. At most 40 characters.
func nameSlug(name string) string {
	var b strings.Builder
	dash := false
	n := 0
	for _, r := range data.FoldForSearch(name) {
		switch {
		case r == '\'':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			n++
		default:
			dash = true
		}
		if n >= 40 {
			break
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return b.String() + "-"
}
