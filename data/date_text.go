package data

import "strings"

// FormatDatesIn shows the calendar dates written in text as YYYY-MM-DD in
// the clinic's date format. Warnings are kept as the words shown when the
// session was charted, with their dates in that neutral form (the date
// format can change later); screens pass them through here. A date that
// is part of a longer run (a file name such as
// needledesk-2026-11-29T093000Z.db, a longer number) or that does not
// exist stays as it is.
func (s Settings) FormatDatesIn(text string) string {
	const n = len("2006-01-02")
	var b strings.Builder
	rest := text
	for {
		i := isoDateAt(rest, n)
		if i < 0 {
			break
		}
		d, err := ParseDate(rest[i : i+n])
		if err != nil {
			b.WriteString(rest[:i+n])
			rest = rest[i+n:]
			continue
		}
		b.WriteString(rest[:i])
		b.WriteString(s.FormatDate(d))
		rest = rest[i+n:]
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(rest)
	return b.String()
}

// isoDateAt finds the first dddd-dd-dd in s that stands on its own: not
// joined to letters, digits or the marks file names and times are made of.
func isoDateAt(s string, n int) int {
	for i := 0; i+n <= len(s); i++ {
		if !isoDateShape(s[i:i+n]) || (i > 0 && joins(s[i-1])) || (i+n < len(s) && joins(s[i+n])) {
			continue
		}
		return i
	}
	return -1
}

// isoDateShape reports whether s is four digits, a hyphen, two digits, a
// hyphen and two digits.
func isoDateShape(s string) bool {
	for i := range len(s) {
		switch i {
		case 4, 7:
			if s[i] != '-' {
				return false
			}
		default:
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
	}
	return true
}

// joins reports whether byte c, next to a date, makes it part of a longer
// token: letters, digits, and - _ / as in file names and paths.
func joins(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
		c == '-' || c == '_' || c == '/'
}
