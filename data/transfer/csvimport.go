package transfer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"needledesk/data"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// ImportColumns are the columns a client spreadsheet must have.
var ImportColumns = []string{"given_name", "family_name", "date_of_birth", "phone", "email", "notes"}

// OptionalImportColumns may appear too, in any order.
var OptionalImportColumns = []string{
	"address", "skin_type", "concerns", "allergies", "medications", "medical_notes",
	"consent_signed_on", "consent_form_version", "email_reminders",
}

// ImportedRow is a spreadsheet row that passed every check.
type ImportedRow struct {
	Line   int
	Client data.Client
}

// ErrBadHeader means the spreadsheet cannot be read at all.
var ErrBadHeader = errors.New("the spreadsheet's header row is not usable")

// Limits that keep a row's memory small whatever the file: a row longer
// than this, or a quoted field still open after this many lines, cannot
// be split into columns, and is refused.
const (
	maxImportRowBytes = 1 << 20
	maxImportRowLines = 200
)

// CSVOptions change how ClientCSV reads.
type CSVOptions struct {
	// Size is the file's size in bytes, for Progress; 0 when unknown.
	Size int64
	// Progress, when set, is told how many bytes of the file have been
	// read, of Size, as rows are read.
	Progress func(done, total int64)
}

// ClientCSV reads a client spreadsheet one row at a time, so memory stays
// small whatever the file's size. It reads UTF-8 (with or without a byte
// order mark) and UTF-16 with its byte order mark; anything else gets a
// plain message. A row whose quotes do not match up is refused on its own
// line, and reading starts again on the next line, so one stray quote
// never swallows the rows after it.
type ClientCSV struct {
	in      *bufio.Reader
	count   *countingReader
	opts    CSVOptions
	today   data.Date
	cols    map[string]int
	names   []string // the header's columns
	width   int
	line    int          // the last line read from in
	pending []sourceLine // lines read ahead, to be read again
	done    bool
}

type sourceLine struct {
	n    int
	text string
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// NewClientCSV checks the file's encoding and its header row. An error
// (matching ErrBadHeader) means the file cannot be imported at all.
func NewClientCSV(r io.Reader, today data.Date, opts CSVOptions) (*ClientCSV, error) {
	count := &countingReader{r: r}
	in := bufio.NewReaderSize(count, 64<<10)
	c := &ClientCSV{count: count, opts: opts, today: today}
	var err error
	if c.in, err = decodeText(in); err != nil {
		return nil, err
	}
	fields, _, _, problem, err := c.readRecord()
	switch {
	case err != nil:
		return nil, fmt.Errorf("reading the spreadsheet: %w", err)
	case c.done && fields == nil:
		return nil, fmt.Errorf("the file is empty: %w", ErrBadHeader)
	case problem != "":
		return nil, fmt.Errorf("line 1: header: %s: %w", problem, ErrBadHeader)
	}
	if c.cols, err = importHeader(fields); err != nil {
		return nil, err
	}
	c.width, c.names = len(fields), fields
	return c, nil
}

// decodeText looks at the file's first bytes: a UTF-8 byte order mark is
// dropped, UTF-16 with its mark is decoded, and UTF-32, UTF-16 without a
// mark or old Mac line endings are refused in plain words.
func decodeText(in *bufio.Reader) (*bufio.Reader, error) {
	head, _ := in.Peek(4096)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = in.Discard(3)
		head = head[3:]
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(head, []byte{0, 0, 0xFE, 0xFF}):
		return nil, fmt.Errorf("the file is saved as UTF-32 text, which NeedleDesk does not read; save the spreadsheet as \"CSV UTF-8\": %w", ErrBadHeader)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(in, unicode.BOMOverride(dec)), 64<<10), nil
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, fmt.Errorf("the file holds zero bytes, as UTF-16 text without a byte order mark (or a file that is not text) does; save the spreadsheet as \"CSV UTF-8\": %w", ErrBadHeader)
	}
	first, _, _ := bytes.Cut(head, []byte{'\n'})
	if i := bytes.IndexByte(first, '\r'); i >= 0 && i < len(first)-1 {
		return nil, fmt.Errorf("the file's lines end with a carriage return only (an old Mac format), so its rows cannot be told apart; save the spreadsheet as \"CSV UTF-8\": %w", ErrBadHeader)
	}
	return in, nil
}

// Next reads the next row. It returns io.EOF after the last one, and
// another error only when the file cannot be read any further.
func (c *ClientCSV) Next() (data.ImportRow, error) {
	fields, start, end, problem, err := c.readRecord()
	if err != nil {
		return data.ImportRow{}, fmt.Errorf("reading the spreadsheet: %w", err)
	}
	if c.opts.Progress != nil {
		c.opts.Progress(c.count.n, c.opts.Size)
	}
	row := data.ImportRow{Line: start, EndLine: end}
	refuse := func(field, reason string) data.ImportRow {
		row.Problems = append(row.Problems, data.RowProblem{Line: start, EndLine: end, Field: field, Reason: reason})
		return row
	}
	switch {
	case fields == nil && c.done:
		return data.ImportRow{}, io.EOF
	case problem != "":
		return refuse("row", problem), nil
	case len(fields) == 1 && strings.TrimSpace(fields[0]) == "" && end == start:
		row.Blank = true
		return row, nil
	case len(fields) != c.width:
		return refuse("row", fmt.Sprintf("has %d columns but the header has %d", len(fields), c.width)), nil
	}
	for i, f := range fields {
		if !utf8.ValidString(f) {
			refuse(c.names[i], notUTF8)
		}
	}
	if len(row.Problems) > 0 {
		return row, nil
	}
	client, problems := clientFromRow(fields, c.cols, c.today)
	for _, p := range problems {
		refuse(p.Field, p.Message)
	}
	row.Client = client
	return row, nil
}

// readLine gives the next line without its line ending, from the lines
// read ahead first. ok is false at the end of the file. A line longer
// than maxImportRowBytes is cut there (the row is refused as too long).
func (c *ClientCSV) readLine() (l sourceLine, ok bool, err error) {
	if len(c.pending) > 0 {
		l, c.pending = c.pending[0], c.pending[1:]
		return l, true, nil
	}
	var b []byte
	for {
		chunk, err := c.in.ReadSlice('\n')
		if len(b)+len(chunk) <= maxImportRowBytes+1 {
			b = append(b, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			if len(b) == 0 {
				return l, false, nil
			}
			err = nil
		}
		if err != nil {
			return l, false, err
		}
		break
	}
	c.line++
	b = bytes.TrimSuffix(bytes.TrimSuffix(b, []byte{'\n'}), []byte{'\r'})
	return sourceLine{n: c.line, text: string(b)}, true, nil
}

// readRecord reads one row's fields. A row that cannot be split into
// fields comes back with a problem and only its first line used: the
// lines after it are read again as rows of their own.
func (c *ClientCSV) readRecord() (fields []string, start, end int, problem string, err error) {
	first, ok, err := c.readLine()
	if err != nil || !ok {
		c.done = err == nil
		return nil, 0, 0, "", err
	}
	lines := []sourceLine{first}
	text := first.text
	for {
		var open bool
		fields, open, problem = splitFields(text)
		switch {
		case problem == "" && !open && len(lines) > 1 && c.width > 0 && len(fields) != c.width:
			problem = fmt.Sprintf("the quotes in this row do not match up: a quoted field runs on over %d lines, giving %d columns instead of %d",
				len(lines), len(fields), c.width)
		case problem == "" && open && len(text) > maxImportRowBytes:
			problem = "the quotes in this row do not match up: a quote is still open after 1 MB"
		case problem == "" && open && len(lines) >= maxImportRowLines:
			problem = fmt.Sprintf("the quotes in this row do not match up: a quote is still open %d lines later", maxImportRowLines)
		case problem == "" && open:
			next, ok, err := c.readLine()
			if err != nil {
				return nil, 0, 0, "", err
			}
			if ok {
				lines = append(lines, next)
				text += "\n" + next.text
				continue
			}
			problem = "the quotes in this row do not match up: a quote is never closed before the end of the file"
		}
		if problem != "" && len(lines) > 1 {
			problem += fmt.Sprintf(" (a quote opened on line %d; the lines after it are read as rows of their own)", first.n)
			c.pending = append(lines[1:len(lines):len(lines)], c.pending...)
			lines = lines[:1]
		}
		if len(text) > maxImportRowBytes && problem == "" {
			problem = "is longer than 1 MB"
		}
		return fields, first.n, lines[len(lines)-1].n, problem, nil
	}
}

// splitFields splits one row's text (RFC 4180: commas, fields in double
// quotes with "" for a quote, line breaks inside quotes). open reports a
// quoted field still open at the end of text; problem a quote that is
// misplaced.
func splitFields(text string) (fields []string, open bool, problem string) {
	var f strings.Builder
	i := 0
	for {
		if i < len(text) && text[i] == '"' {
			i++
			for {
				j := strings.IndexByte(text[i:], '"')
				if j < 0 {
					return nil, true, ""
				}
				f.WriteString(text[i : i+j])
				i += j + 1
				if i < len(text) && text[i] == '"' {
					f.WriteByte('"')
					i++
					continue
				}
				break
			}
			if i < len(text) && text[i] != ',' {
				return nil, false, "the quotes in this row do not match up: a quoted field has a quote in its middle"
			}
		} else {
			j := strings.IndexByte(text[i:], ',')
			if j < 0 {
				j = len(text) - i
			}
			part := text[i : i+j]
			if strings.IndexByte(part, '"') >= 0 {
				return nil, false, "the quotes in this row do not match up: a field that does not start with a quote has one inside"
			}
			f.WriteString(part)
			i += j
		}
		fields = append(fields, f.String())
		f.Reset()
		if i >= len(text) {
			return fields, false, ""
		}
		i++ // the comma
		if i == len(text) {
			return append(fields, ""), false, ""
		}
	}
}

// notUTF8 is the refusal for text in another encoding.
const notUTF8 = "is not UTF-8 text; the file may be saved in another encoding (such as Windows-1252): save the spreadsheet as \"CSV UTF-8\""

// ParseClientsCSV reads a whole client spreadsheet: good rows come back
// ready to save, each refused row with every reason. An error is returned
// only when the file cannot be read as a whole (a missing header or
// required column, an encoding NeedleDesk does not read). For large files
// use ClientCSV, which reads one row at a time.
func ParseClientsCSV(r io.Reader, today data.Date) ([]ImportedRow, []data.RowProblem, error) {
	c, err := NewClientCSV(r, today, CSVOptions{})
	if err != nil {
		return nil, nil, err
	}
	var good []ImportedRow
	var bad []data.RowProblem
	for {
		row, err := c.Next()
		if errors.Is(err, io.EOF) {
			return good, bad, nil
		}
		if err != nil {
			return good, bad, err
		}
		switch {
		case row.Blank:
		case len(row.Problems) > 0:
			bad = append(bad, row.Problems...)
		default:
			good = append(good, ImportedRow{Line: row.Line, Client: row.Client})
		}
	}
}

// importHeader maps column names to their positions and refuses unknown or
// missing columns, so a typo never silently drops a field.
func importHeader(header []string) (map[string]int, error) {
	known := map[string]bool{}
	for _, c := range append(append([]string{}, ImportColumns...), OptionalImportColumns...) {
		known[c] = true
	}
	cols := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case !utf8.ValidString(h):
			return nil, fmt.Errorf("line 1: header: it %s: %w", notUTF8, ErrBadHeader)
		case !known[name]:
			return nil, fmt.Errorf("line 1: header: unknown column %q (expected %s): %w",
				h, strings.Join(ImportColumns, ", "), ErrBadHeader)
		case cols[name] != 0:
			return nil, fmt.Errorf("line 1: header: column %q appears twice: %w", name, ErrBadHeader)
		}
		cols[name] = i + 1 // +1 so the zero value means "absent"
	}
	for _, c := range ImportColumns {
		if cols[c] == 0 {
			return nil, fmt.Errorf("line 1: header: the required column %q is missing: %w", c, ErrBadHeader)
		}
	}
	return cols, nil
}

func clientFromRow(rec []string, cols map[string]int, today data.Date) (data.Client, []data.FieldError) {
	get := func(name string) string {
		if i := cols[name]; i > 0 {
			return rec[i-1]
		}
		return ""
	}
	var p problems
	c := data.Client{
		GivenName:    get("given_name"),
		FamilyName:   get("family_name"),
		Phone:        get("phone"),
		Email:        get("email"),
		Notes:        get("notes"),
		Address:      get("address"),
		Allergies:    get("allergies"),
		Medications:  get("medications"),
		MedicalNotes: get("medical_notes"),
		Consent:      data.Consent{FormVersion: get("consent_form_version")},
	}
	c.DateOfBirth = importDate(&p, "date_of_birth", get("date_of_birth"))
	c.Consent.SignedOn = importDate(&p, "consent_signed_on", get("consent_signed_on"))
	if s := strings.TrimSpace(get("skin_type")); s != "" {
		t, err := ParseSkinType(s)
		if err != nil {
			p.add("skin_type", err.Error())
		}
		c.SkinType = t
	}
	if ok, err := ParseYesNo(get("email_reminders")); err != nil {
		p.add("email_reminders", err.Error())
	} else {
		c.EmailReminders = ok
	}
	for _, s := range strings.Split(get("concerns"), ";") {
		if s = strings.TrimSpace(s); s != "" {
			c.Concerns = append(c.Concerns, data.Concern(s))
		}
	}
	if len(p) > 0 {
		return c, p
	}
	return c, data.FieldProblems(c.Validate(today))
}

func importDate(p *problems, field, s string) data.Date {
	if strings.TrimSpace(s) == "" {
		return data.Date{}
	}
	d, err := data.ParseDate(strings.TrimSpace(s))
	if err != nil {
		p.add(field, "is not a real date in the form YYYY-MM-DD")
	}
	return d
}

// ParseYesNo reads a yes-or-no cell: yes, true or 1; no, false or 0 (in
// any case); an empty cell is no.
func ParseYesNo(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "1":
		return true, nil
	case "no", "false", "0", "":
		return false, nil
	}
	return false, fmt.Errorf("must be yes or no (or true or false, 1 or 0), not %q", s)
}

// ParseSkinType reads a Fitzpatrick type written as I to VI or 1 to 6.
func ParseSkinType(s string) (data.SkinType, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	for t := data.SkinType(1); t <= 6; t++ {
		if s == t.String() || s == strconv.Itoa(int(t)) {
			return t, nil
		}
	}
	return 0, fmt.Errorf("must be a Fitzpatrick type from I to VI")
}

// problems gathers a row's field errors while it is read (as data's
// validators do with their own).
type problems []data.FieldError

func (p *problems) add(field, message string) {
	*p = append(*p, data.FieldError{Field: field, Message: message})
}
