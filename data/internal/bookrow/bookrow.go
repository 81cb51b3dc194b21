// Package bookrow reads the parts of an appointment's row that both
// stores' book reads return alike, and orders a day as both do. A busy
// day is a thousand rows, so each part comes joined in few values (each
// value the driver makes costs more than its bytes), and is read here
// without time.Parse or a slice of fields.
package bookrow

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"needledesk/data"
)

// TimeLayout is how both stores keep an instant: fixed width, UTC.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// Stamps splits the start, created and updated instants, joined end to
// end in that order.
func Stamps(a *data.Appointment, joined string) error {
	n := len(TimeLayout)
	if len(joined) != 3*n {
		return fmt.Errorf("its times %q do not read", joined)
	}
	var err error
	if a.Start, err = Stamp(joined[:n]); err != nil {
		return err
	}
	if a.CreatedAt, err = Stamp(joined[n : 2*n]); err != nil {
		return err
	}
	a.UpdatedAt, err = Stamp(joined[2*n:])
	return err
}

// Stamp reads one instant as the stores write it, without time.Parse
// (which took a fifth of a busy day's read); anything else goes through
// time.Parse, which also says what is wrong with a damaged one.
func Stamp(s string) (time.Time, error) {
	if len(s) != len(TimeLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
		s[16] != ':' || s[19] != '.' || s[29] != 'Z' {
		return slowStamp(s)
	}
	num := func(from, to int) int {
		n := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d, h, mi, sec, nano := num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19), num(20, 29)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || nano < 0 {
		return slowStamp(s)
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, nano, time.UTC)
	if t.Day() != d { // 31 April and the like
		return slowStamp(s)
	}
	return t, nil
}

func slowStamp(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q is damaged: %w", s, err)
	}
	return t.UTC(), nil
}

// Texts reads the note, the cancellation's note, the warnings and the
// reason they were overridden, as one JSON array of the four; the stores
// send it only when one of them is set (valid false otherwise).
func Texts(a *data.Appointment, texts string, valid bool) error {
	if !valid {
		return nil
	}
	var raw [4]json.RawMessage
	var parts struct {
		note, cancelNote, override string
		warnings                   []string
	}
	err := json.Unmarshal([]byte(texts), &raw)
	if err == nil {
		err = errors.Join(json.Unmarshal(raw[0], &parts.note), json.Unmarshal(raw[1], &parts.cancelNote),
			json.Unmarshal(raw[2], &parts.warnings), json.Unmarshal(raw[3], &parts.override))
	}
	if err != nil {
		return fmt.Errorf("its notes do not read: %w", err)
	}
	a.Note, a.Cancel.Note, a.OverrideReason = data.Neutralised(parts.note), data.Neutralised(parts.cancelNote), data.Neutralised(parts.override)
	if len(parts.warnings) > 0 {
		a.Warnings = parts.warnings
	}
	return nil
}

// ClientName sets the client's name from the given and family names
// joined by U+001F, as each appointment keeps a copy of it.
func ClientName(a *data.Appointment, joined string) error {
	name, ok := data.JoinedFullName(joined)
	if !ok {
		return fmt.Errorf("appointment %d: its client's names do not read", a.ID)
	}
	a.ClientName = name
	return nil
}

// OrderByTechnicianWithinStarts orders appointments that arrive by start
// so that those starting together go by technician's name, and by their
// order of arrival between two of one name. A day has a few dozen starts
// with dozens of appointments each: each run is ordered as positions,
// compared by the technician's rank, and the appointments, which are
// large, are moved once.
func OrderByTechnicianWithinStarts(as []data.Appointment) {
	names := make([]string, 0, 64)
	seen := make(map[string]bool, 64)
	for i := range as {
		if n := as[i].TechnicianName; !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	slices.Sort(names)
	rankOf := make(map[int64]int, len(names))
	for i := range as {
		if _, ok := rankOf[as[i].TechnicianID]; !ok {
			r, _ := slices.BinarySearch(names, as[i].TechnicianName)
			rankOf[as[i].TechnicianID] = r
		}
	}
	rank := make([]int, len(as))
	for i := range as {
		rank[i] = rankOf[as[i].TechnicianID]
	}
	var order []int
	var run []data.Appointment
	for start := 0; start < len(as); {
		end := start + 1
		for end < len(as) && as[end].Start.Equal(as[start].Start) {
			end++
		}
		if end-start > 1 {
			order = order[:0]
			for i := start; i < end; i++ {
				order = append(order, i)
			}
			slices.SortFunc(order, func(x, y int) int {
				if c := rank[x] - rank[y]; c != 0 {
					return c
				}
				return x - y
			})
			run = append(run[:0], as[start:end]...)
			for k, i := range order {
				as[start+k] = run[i-start]
			}
		}
		start = end
	}
}
