package data

import "time"

// The outbox holds the messages NeedleDesk owes clients (booking
// confirmations and reminders). A message is queued in the same
// transaction as the booking it is about and sent later by a background
// worker, so a booking made offline still gets its e-mail once the
// clinic's server can be reached, and a cancelled booking never sends one.

// Channel is how a message reaches a client. Only e-mail is built; the
// column leaves room for a second channel (an SMS gateway) later.
type Channel string

// The channels.
const (
	ChannelEmail Channel = "email"
)

// MessageKind says what a message is for.
type MessageKind string

// The kinds of message.
const (
	MessageConfirmation MessageKind = "confirmation" // sent when booked (or moved)
	MessageReminder     MessageKind = "reminder"     // sent some hours before
	MessageTest         MessageKind = "test"         // the owner's "Send a test message"
)

// OutboxState is where a message is in its life.
type OutboxState string

// The states of a message. A message is claimed (sending) by one worker at
// a time; a claim that is not finished within its lease becomes queued
// again, so a worker that dies mid-send delays a message but never loses it.
const (
	OutboxQueued    OutboxState = "queued"
	OutboxSending   OutboxState = "sending"
	OutboxSent      OutboxState = "sent"
	OutboxFailed    OutboxState = "failed"    // given up after the last retry; LastError says why
	OutboxWithdrawn OutboxState = "withdrawn" // its appointment was cancelled or moved before it went
)

// OutboxMessage is one queued message as the owner's Outbox screen and the
// appointment show it.
type OutboxMessage struct {
	ID            int64
	AppointmentID int64
	ClientID      int64
	Channel       Channel
	Kind          MessageKind
	To            string    // the address it goes to, as it was when queued
	SendAfter     time.Time // UTC; not before this instant
	State         OutboxState
	Attempts      int
	NextAttempt   time.Time // UTC; when a queued message that failed is tried again
	LastError     string    // the server's words for the last failure
	SentAt        time.Time // UTC; zero until sent
	Created       time.Time // UTC

	// Who and which visit it is about, as the records say now (the owner's
	// Outbox screen names them): the client's name, "" when there is no
	// client, and the appointment's start (UTC), zero when there is none.
	ClientName       string
	AppointmentStart time.Time
}

// OutboxItem is a claimed message with everything needed to write it,
// read in the claim's transaction so the message says what the book says
// at the moment it is sent.
type OutboxItem struct {
	Message OutboxMessage

	ClientName     string
	Start          time.Time // the appointment's start, UTC
	Minutes        int       // its length
	TechnicianName string
	TreatmentName  string
	RoomName       string
	// Sequence rises each time the appointment is moved, so a calendar
	// that took the first invitation updates it (RFC 5545 SEQUENCE).
	Sequence int
	// UID is the appointment's calendar identity, the same in every
	// message about it.
	UID string

	// The clinic, as the message and its calendar entry name it.
	ClinicName    string
	ClinicAddress string
	ClinicPhone   string
	ClinicEmail   string
	TimeZone      string // IANA name, e.g. Europe/London
	DateFormat    string // the clinic's date layout (one of DateFormats)
	Email         EmailSettings
}

// Security is how NeedleDesk talks to the clinic's mail server.
type Security string

// The choices of connection security.
const (
	SecurityStartTLS Security = "starttls" // plain connection upgraded with STARTTLS (usually port 587)
	SecurityTLS      Security = "tls"      // TLS from the first byte (usually port 465)
	SecurityNone     Security = "none"     // no encryption: only for a server on this computer or in tests
)

// EmailSettings are the clinic's own mail server and the words of its
// messages. Only owners see and change them.
type EmailSettings struct {
	Host     string
	Port     int
	Security Security
	User     string
	Password string
	From     string // the address messages come from

	// ReminderHours is how long before the appointment the reminder goes.
	ReminderHours int
	// The messages' words, with placeholders such as {client}, {date},
	// {time}, {technician}, {treatment}, {clinic}, {address}, {phone}.
	ConfirmationSubject string
	ConfirmationBody    string
	ReminderSubject     string
	ReminderBody        string
}
