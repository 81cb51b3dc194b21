package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ImportColumns are the columns a client spreadsheet must have.
var ImportColumns = []string{"given_name", "family_name", "date_of_birth", "phone", "email", "notes"}

// OptionalImportColumns may appear too, in any order.
var OptionalImportColumns = []string{
	"address", "skin_type", "concerns", "allergies", "medications", "medical_notes",
	"consent_signed_on", "consent_form_version",
}

// ImportedRow is a spreadsheet row that passed every check.
type ImportedRow struct {
	Line   int
	Client Client
}

// RowProblem is one reason a spreadsheet row was refused.
type RowProblem struct {
	Line   int // the header is line 1
	Field  string
	Reason string
}

func (p RowProblem) String() string { return fmt.Sprintf("line %d: %s: %s", p.Line, p.Field, p.Reason) }

// ErrBadHeader means the spreadsheet cannot be read at all.
var ErrBadHeader = errors.New("the spreadsheet's header row is not usable")

// ParseClientsCSV reads a client spreadsheet. Each row is checked on its own:
// good rows come back ready to save, each refused row with every reason. An
// error is returned only when the file cannot be read as a whole (a missing
// header or required column).
func ParseClientsCSV(r io.Reader, today Date) ([]ImportedRow, []RowProblem, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("the file is empty: %w", ErrBadHeader)
		}
		return nil, nil, fmt.Errorf("line 1: header: %v: %w", err, ErrBadHeader)
	}
	cols, err := importHeader(header)
	if err != nil {
		return nil, nil, err
	}
	var good []ImportedRow
	var bad []RowProblem
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			bad = append(bad, RowProblem{pe.StartLine, "row", "the quotes in this row do not match up (" + pe.Err.Error() + ")"})
			continue
		}
		if err != nil {
			return good, bad, fmt.Errorf("reading the spreadsheet: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			bad = append(bad, RowProblem{line, "row", fmt.Sprintf("has %d columns but the header has %d", len(rec), len(header))})
			continue
		}
		c, problems := clientFromRow(rec, cols, today)
		if len(problems) > 0 {
			for _, p := range problems {
				bad = append(bad, RowProblem{line, p.Field, p.Message})
			}
			continue
		}
		good = append(good, ImportedRow{Line: line, Client: c})
	}
	return good, bad, nil
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

func clientFromRow(rec []string, cols map[string]int, today Date) (Client, []FieldError) {
	get := func(name string) string {
		if i := cols[name]; i > 0 {
			return rec[i-1]
		}
		return ""
	}
	var p problems
	c := Client{
		GivenName:    get("given_name"),
		FamilyName:   get("family_name"),
		Phone:        get("phone"),
		Email:        get("email"),
		Notes:        get("notes"),
		Address:      get("address"),
		Allergies:    get("allergies"),
		Medications:  get("medications"),
		MedicalNotes: get("medical_notes"),
		Consent:      Consent{FormVersion: get("consent_form_version")},
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
	for _, s := range strings.Split(get("concerns"), ";") {
		if s = strings.TrimSpace(s); s != "" {
			c.Concerns = append(c.Concerns, Concern(s))
		}
	}
	if len(p) > 0 {
		return c, p
	}
	return c, FieldProblems(c.Validate(today))
}

func importDate(p *problems, field, s string) Date {
	if strings.TrimSpace(s) == "" {
		return Date{}
	}
	d, err := ParseDate(strings.TrimSpace(s))
	if err != nil {
		p.add(field, "is not a real date in the form YYYY-MM-DD")
	}
	return d
}

// ParseSkinType reads a Fitzpatrick type written as I to VI or 1 to 6.
func ParseSkinType(s string) (SkinType, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	for t := SkinType(1); t <= 6; t++ {
		if s == t.String() || s == strconv.Itoa(int(t)) {
			return t, nil
		}
	}
	return 0, fmt.Errorf("must be a Fitzpatrick type from I to VI")
}
