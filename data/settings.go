package data

// PaperSize is the page size aftercare sheets print on.
type PaperSize string

// Supported paper sizes.
const (
	PaperA4     PaperSize = "A4"
	PaperLetter PaperSize = "Letter"
)

// DateFormats are the date layouts (Go reference layouts) the clinic can
// choose from, keyed by how they read.
var DateFormats = []string{"02/01/2006", "01/02/2006", "2006-01-02", "2 Jan 2006", "02.01.2006"}

// DepthRange is the usual needle depth for an area, in millimetres. A depth
// outside it gets a warning, never a block.
type DepthRange struct {
	MinMM float64
	MaxMM float64
}

// Settings are the clinic's own details and preferences.
type Settings struct {
	ClinicName   string
	Address      string
	Phone        string
	Email        string
	Website      string
	Logo         []byte // PNG or JPEG, kept in the database so backups carry it
	PaperSize    PaperSize
	Printer      string // the print queue sheets go to, as the print service names it; "" for the default
	DateFormat   string
	FollowUpDays int
	DepthRanges  map[Area]DepthRange
	Aftercare    AftercareSettings
	Backups      BackupSettings
	// IdleLockMinutes is how long NeedleDesk may sit unused before it
	// locks itself and hides client records.
	IdleLockMinutes int
	// Mail is the clinic's own mail server and the words of the
	// confirmations and reminders sent to clients.
	Mail EmailSettings
	// TimeZone is the clinic's IANA time zone (Europe/London): the
	// appointment book keeps instants in UTC and shows them on this clock.
	TimeZone string
	// MinIntervalDays is the shortest time between two needling sessions;
	// a booking sooner after the last one is warned of.
	MinIntervalDays int
	// OpeningHours are the clinic's hours on each weekday, on its clock; a
	// booking outside them asks for confirmation.
	OpeningHours WeekHours
	// Version rises with every save (the store keeps it beside the
	// document); SaveSettings saves only over the version that was read,
	// so a change made since is never overwritten unseen (ErrConflict).
	Version int64
}

// SignInSettings are the few settings the sign-in screen needs before
// anyone signs in (SettingsStore.SignInSettings): the window's title, when
// it locks itself, and how dates read.
type SignInSettings struct {
	ClinicName      string
	IdleLockMinutes int
	DateFormat      string
}

// SignIn picks the settings the sign-in screen needs.
func (s Settings) SignIn() SignInSettings {
	return SignInSettings{ClinicName: s.ClinicName, IdleLockMinutes: s.IdleLockMinutes, DateFormat: s.DateFormat}
}

// Settings is the default settings with these in place, for screens to
// work with until the whole settings are read for the person who signs in.
func (f SignInSettings) Settings() Settings {
	s := DefaultSettings()
	s.ClinicName, s.IdleLockMinutes, s.DateFormat = f.ClinicName, f.IdleLockMinutes, f.DateFormat
	return s
}

// DefaultDepthRanges are the cautious trainer-guide ranges from the facts sheet.
func DefaultDepthRanges() map[Area]DepthRange {
	return map[Area]DepthRange{
		AreaForehead:    {0.25, 0.5},
		AreaUnderEye:    {0.2, 0.3},
		AreaNose:        {0.25, 0.5},
		AreaCheeks:      {0.5, 1.0},
		AreaAroundMouth: {0.25, 0.5},
		AreaJaw:         {0.5, 1.0},
		AreaNeck:        {0.25, 0.5},
		AreaDecolletage: {0.25, 0.5},
		AreaHands:       {0.25, 0.5},
		AreaAcneScars:   {0.5, 1.5},
		AreaAbdomen:     {0.5, 2.0},
		AreaThighs:      {0.5, 2.0},
		AreaOtherBody:   {0.5, 2.0},
	}
}

// DefaultSettings is what a new database starts with.
func DefaultSettings() Settings {
	return Settings{
		PaperSize:       PaperA4,
		DateFormat:      "02/01/2006",
		FollowUpDays:    28,
		DepthRanges:     DefaultDepthRanges(),
		Aftercare:       DefaultAftercareSettings(),
		Backups:         DefaultBackupSettings(),
		IdleLockMinutes: DefaultIdleMinutes,
		Mail:            DefaultEmailSettings(),
		TimeZone:        SystemTimeZone(),
		MinIntervalDays: 28,
		OpeningHours:    DefaultOpeningHours(),
	}
}

// DepthRangeFor returns the clinic's range for an area, falling back to the
// default when the clinic has not set one.
func (s Settings) DepthRangeFor(a Area) DepthRange {
	if r, ok := s.DepthRanges[a]; ok {
		return r
	}
	return DefaultDepthRanges()[a]
}
