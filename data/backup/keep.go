package backup

import (
	"sort"
	"time"

	"needledesk/data"
)

// Keep says which backups to keep under b (see data.BackupSettings),
// given the times they were made (in any order; of two with the same
// time, the later in the slice counts as the newer). Days, weeks and
// months are those of now's time zone. A backup dated after now is always
// kept and takes no place: the computer's clock may have been wrong, and
// deleting what we cannot place is not ours to do.
// The newest backup not after now is always kept.
func Keep(b data.BackupSettings, times []time.Time, now time.Time) []bool {
	keep := make([]bool, len(times))
	order := make([]int, 0, len(times)) // newest first, future ones left out
	for i, t := range times {
		if t.After(now) {
			keep[i] = true
			continue
		}
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, c int) bool {
		ta, tc := times[order[a]], times[order[c]]
		if ta.Equal(tc) {
			return order[a] > order[c]
		}
		return ta.After(tc)
	})
	if len(order) > 0 {
		keep[order[0]] = true
	}
	loc := now.Location()
	rules := []struct {
		n   int
		key func(time.Time) int
	}{
		{b.KeepDaily, func(t time.Time) int { y, m, d := t.Date(); return y*10000 + int(m)*100 + d }},
		{b.KeepWeekly, func(t time.Time) int { y, w := t.ISOWeek(); return y*100 + w }},
		{b.KeepMonthly, func(t time.Time) int { y, m, _ := t.Date(); return y*100 + int(m) }},
	}
	for _, r := range rules {
		seen := map[int]bool{}
		for _, i := range order {
			if len(seen) >= r.n {
				break
			}
			k := r.key(times[i].In(loc))
			if !seen[k] {
				seen[k] = true
				keep[i] = true
			}
		}
	}
	return keep
}
