package data

import "fmt"

// The records the stores hand to an export and take from an import; the
// file formats themselves are in data/transfer.

// ClientRecord is everything kept about one client, read from the store at
// one moment.
type ClientRecord struct {
	Client   Client
	Sessions []Session   // complete, with areas, recommendations and technician
	Sheets   []KeptSheet // every sheet made for the client's sessions
}

// KeptSheet is a kept aftercare sheet with its bytes.
type KeptSheet struct {
	SheetInfo
	PDF []byte
}

// ClinicWalker receives a whole clinic record by record, for the owner's
// export: first Totals, then every client, then every session. A callback
// that returns an error stops the walk with that error. Nil callbacks are
// skipped.
type ClinicWalker struct {
	Totals  func(clients, sessions int) error
	Client  func(Client) error
	Session func(Session) error
}

// RowProblem is one line of an import's report: a reason a row was
// refused, or (Skipped) why a good row was not added.
type RowProblem struct {
	Line    int // the header is line 1
	EndLine int // the row's last line, when it spans several; 0 or Line otherwise
	Field   string
	Reason  string
	// Skipped marks a row left out on purpose, such as a client already in
	// the clinic; it is not refused.
	Skipped bool
}

func (p RowProblem) String() string {
	where := fmt.Sprintf("line %d", p.Line)
	if p.EndLine > p.Line {
		where = fmt.Sprintf("lines %d to %d", p.Line, p.EndLine)
	}
	if p.Skipped {
		return fmt.Sprintf("%s: skipped: %s", where, p.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", where, p.Field, p.Reason)
}

// ImportRow is one row of a client spreadsheet as ClientCSV reads it:
// a client ready to save, a row refused with its problems, or a blank
// line. Every data line of the file belongs to exactly one ImportRow.
type ImportRow struct {
	Line, EndLine int // the lines it spans; EndLine == Line for most rows
	Client        Client
	Problems      []RowProblem // not empty: the row is refused
	Blank         bool
}

// ImportOptions change how a store imports rows.
type ImportOptions struct {
	// AllOrNothing imports nothing when any row is refused.
	AllOrNothing bool
	// Report, when set, is told each refused row's problems and each
	// skipped row as it is met, in file order.
	Report func(RowProblem)
}

// ImportResult accounts for every row of an import: Imported + Refused +
// Skipped + Blank = Rows, and the rows cover every data line, from
// FirstLine to LastLine.
type ImportResult struct {
	FirstLine, LastLine int
	Rows                int
	Imported            int
	Refused             int
	Skipped             int // already in the clinic
	Blank               int
	// RolledBack is set when AllOrNothing undid the import because rows
	// were refused.
	RolledBack bool
}

// Lines is how many data lines the rows covered.
func (r ImportResult) Lines() int {
	if r.LastLine == 0 {
		return 0
	}
	return r.LastLine - r.FirstLine + 1
}
