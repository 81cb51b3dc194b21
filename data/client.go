package data

import (
	"strings"
	"time"
	"unicode"
)

// SkinType is the Fitzpatrick scale, I to VI; 0 means not recorded.
type SkinType int

// String gives the Roman numeral clinics write, or "" when not recorded.
func (s SkinType) String() string {
	names := [...]string{"", "I", "II", "III", "IV", "V", "VI"}
	if s < 0 || int(s) >= len(names) {
		return "?"
	}
	return names[s]
}

// Concern is a reason a client comes for treatment.
type Concern string

// The skin concerns a client can record.
const (
	ConcernAcneScars    Concern = "acne_scars"
	ConcernOtherScars   Concern = "other_scars"
	ConcernStretchMarks Concern = "stretch_marks"
	ConcernPores        Concern = "enlarged_pores"
	ConcernLines        Concern = "fine_lines"
	ConcernPigmentation Concern = "pigmentation"
	ConcernLaxity       Concern = "laxity"
	ConcernOther        Concern = "other"
)

// Concerns lists every concern in the order forms show them.
var Concerns = []Concern{
	ConcernAcneScars, ConcernOtherScars, ConcernStretchMarks, ConcernPores,
	ConcernLines, ConcernPigmentation, ConcernLaxity, ConcernOther,
}

var concernLabels = map[Concern]string{
	ConcernAcneScars:    "Acne scars",
	ConcernOtherScars:   "Other scars",
	ConcernStretchMarks: "Stretch marks",
	ConcernPores:        "Enlarged pores",
	ConcernLines:        "Fine lines and wrinkles",
	ConcernPigmentation: "Pigmentation",
	ConcernLaxity:       "Loss of firmness",
	ConcernOther:        "Other",
}

// Label is the concern as a person reads it.
func (c Concern) Label() string {
	if l, ok := concernLabels[c]; ok {
		return l
	}
	return string(c)
}

// Contraindications are the client's answers to the screening questions
// asked before every treatment.
type Contraindications struct {
	// Isotretinoin is true when the client takes it or took it recently;
	// IsotretinoinStopped is the day they stopped (zero while still taking it).
	Isotretinoin        bool
	IsotretinoinStopped Date
	PregnantOrNursing   bool
	Anticoagulants      bool // blood thinners or a bleeding disorder
	KeloidTendency      bool
	ActiveInfection     bool // skin infection, cold sores or inflamed acne in the area
	MetalAllergy        bool
	// RecentActives covers retinoids, peels, laser or injectables in the area.
	RecentActives     bool
	RecentActivesOn   Date
	RecentActivesWhat string
}

// Consent records the signed consent form.
type Consent struct {
	SignedOn    Date
	FormVersion string
}

// Client is a person the clinic treats.
type Client struct {
	ID           int64
	GivenName    string
	FamilyName   string
	DateOfBirth  Date
	Phone        string
	Email        string
	Address      string
	SkinType     SkinType
	Concerns     []Concern
	Allergies    string
	Medications  string
	MedicalNotes string
	Contra       Contraindications
	Consent      Consent
	Notes        string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ArchivedAt   time.Time // zero while the client is current
	// Version rises with every saved change to the record; UpdatedBy is
	// the staff member who made the last one (SystemActor: NeedleDesk
	// itself). UpdateClient saves only over the version that was read,
	// so a change made since is never overwritten unseen (ErrConflict).
	Version   int64
	UpdatedBy int64

	// EmailReminders is the client's consent to booking confirmations and
	// reminders by e-mail; without it none are sent.
	EmailReminders bool
}

// NoReminderAddress is the refusal of consent to e-mail reminders for a
// client with no e-mail address to send them to.
const NoReminderAddress = "needs the client's e-mail address: give one, or leave e-mail reminders off"

// reminderProblem is what is wrong with the client's consent to e-mail
// reminders, or "" when nothing is.
func (c Client) reminderProblem() string {
	if c.EmailReminders && strings.TrimSpace(c.Email) == "" {
		return NoReminderAddress
	}
	return ""
}

// FullName is the name as the clinic addresses the client. Chinese,
// Japanese and Korean names are written family name first with no space
// (王芳, 佐藤さくら); others given name first.
func (c Client) FullName() string {
	switch {
	case c.FamilyName == "":
		return c.GivenName
	case c.GivenName == "":
		return c.FamilyName
	case eastAsian(c.GivenName) && eastAsian(c.FamilyName):
		return c.FamilyName + c.GivenName
	}
	return c.GivenName + " " + c.FamilyName
}

// NameSeparator joins a client's given and family names when a store reads
// them as one text (U+001F, the unit separator, which validation keeps out
// of every name).
const NameSeparator = "\x1f"

// JoinedFullName is FullName of the given and family names a store read
// joined by NameSeparator, with any direction controls taken out; false
// when the text holds no separator.
func JoinedFullName(joined string) (string, bool) {
	given, family, ok := strings.Cut(joined, NameSeparator)
	if !ok {
		return "", false
	}
	return Client{GivenName: NeutralisedName(given), FamilyName: NeutralisedName(family)}.FullName(), true
}

// eastAsian reports whether s is written only in Han, kana or Hangul.
func eastAsian(s string) bool {
	for _, r := range s {
		if !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return false
		}
	}
	return s != ""
}

// Archived reports whether the client has been archived.
func (c Client) Archived() bool { return !c.ArchivedAt.IsZero() }

// ClientSummary is one row of a client list: enough to recognise the person
// at the front desk without loading the whole record.
type ClientSummary struct {
	ID          int64
	GivenName   string
	FamilyName  string
	DateOfBirth Date
	Phone       string
	Email       string
	Notes       string
	LastSession time.Time // zero when never treated
	NextDue     Date      // zero when no session is planned
	Archived    bool
}

// FullName is the name as the clinic addresses the client.
func (c ClientSummary) FullName() string {
	return Client{GivenName: c.GivenName, FamilyName: c.FamilyName}.FullName()
}

// ArchiveState picks current clients, archived ones, or both.
type ArchiveState int

// Archive states a client list can show.
const (
	CurrentOnly ArchiveState = iota
	ArchivedOnly
	AnyState
)

// ClientFilter narrows a client list. Zero fields do not filter.
type ClientFilter struct {
	Text    string // matches name, phone or e-mail; accent- and case-insensitive
	State   ArchiveState
	DueFrom Date // next session due on or after (zero: no lower bound)
	DueTo   Date // next session due on or before (zero: no upper bound)
	Offset  int
	Limit   int // 0 means the store's default page size
}
