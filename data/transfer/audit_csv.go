package transfer

import (
	"encoding/csv"
	"fmt"
	"io"
	"needledesk/data"
	"strconv"
	"strings"
	"time"
)

// auditCSVHeader names the columns of an audit export.
// The names come last, so the columns of older exports keep their places.
var auditCSVHeader = []string{"event", "time", "staff_id", "staff", "action", "record", "record_id", "client_id", "detail",
	"record_name", "client"}

// utf8BOM starts the file so that Excel reads it as UTF-8 (Zoë, 王芳)
// rather than in the computer's old code page; other spreadsheets and
// encoding/csv readers that strip it read the same text.
const utf8BOM = "\ufeff"

// WriteAuditCSV writes events as CSV for the clinic owner: a header row,
// then one row per event, its time in RFC 3339 in the computer's local
// zone (with the offset, so it stays exact), who did it by name, and the
// names of the record and the client the event concerns, as the audit
// screen shows them. staffName turns an actor ID into a name; where it is
// nil or gives none, the event's ActorName is written. Text
// that a spreadsheet would run as a formula is defused (see
// spreadsheetSafe). Quoting of commas, quotes and line breaks is
// encoding/csv's, lines end in CRLF as RFC 4180 says.
func WriteAuditCSV(w io.Writer, events []data.AuditEvent, staffName func(int64) string) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return fmt.Errorf("writing the audit export: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(auditCSVHeader); err != nil {
		return fmt.Errorf("writing the audit export: %w", err)
	}
	row := make([]string, len(auditCSVHeader))
	for _, e := range events {
		name := ""
		if staffName != nil {
			name = staffName(e.ActorID)
		}
		if name == "" {
			name = e.ActorName
		}
		row = append(row[:0],
			strconv.FormatInt(e.ID, 10),
			e.At.Local().Format(time.RFC3339),
			strconv.FormatInt(e.ActorID, 10),
			spreadsheetSafe(name),
			spreadsheetSafe(string(e.Action)),
			spreadsheetSafe(string(e.Entity)),
			strconv.FormatInt(e.EntityID, 10),
			strconv.FormatInt(e.ClientID, 10),
			spreadsheetSafe(e.Detail),
			spreadsheetSafe(e.RecordName),
			spreadsheetSafe(e.ClientName),
		)
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("writing the audit export: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing the audit export: %w", err)
	}
	return nil
}

// spreadsheetSafe puts an apostrophe before text a spreadsheet would take
// for a formula (=, +, -, @, and tab or carriage return, which some
// spreadsheets skip before looking), so a detail such as
// "=HYPERLINK(...)" shows as text instead of running when the owner opens
// the file. The apostrophe is the spreadsheets' own "this is text" mark.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
