package urls

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// URLYear returns the latest year a URL names in a date-like path segment
// or query value (2026-11, 2026-11-03, 20261103, a 4-digit year segment
// followed by a 1-2 digit month segment as in /cal/2026/11, or ?year=2026),
// and false when it names none. Years outside 1000..9999 are not dates.
//
// Calendars and event archives generate a page for every month or day with
// links to the next one: a crawl that follows them marches away from today
// forever. A date far in the future is the tell (past dates are real
// archives; a crawler bounds those by the novelty of their text).
func URLYear(u *url.URL) (int, bool) {
	best, found := 0, false
	see := func(y int) {
		if y >= 1000 && y <= 9999 && (!found || y > best) {
			best, found = y, true
		}
	}
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	for i, s := range segs {
		if y, ok := dateYear(s); ok {
			// A lone 4-digit segment counts as a year only when a month
			// follows (/2026/11): /post/3456 is an id.
			if len(s) == 4 && (i+1 >= len(segs) || !isMonth(segs[i+1])) {
				continue
			}
			see(y)
		}
	}
	for _, kv := range strings.FieldsFunc(u.RawQuery, func(r rune) bool { return r == '&' || r == ';' }) {
		k, v, _ := strings.Cut(kv, "=")
		if v, err := url.QueryUnescape(v); err == nil {
			// A 4-digit value is a year only under a year-like name
			// (?year=2031); ?id=2099 is an id.
			if y, ok := dateYear(v); ok && (len(v) > 4 || yearName(k)) {
				see(y)
			}
		}
	}
	return best, found
}

// dateYear reads the year of YYYY, YYYY-MM, YYYY-MM-DD (or with / . _
// separators) and YYYYMMDD.
func dateYear(s string) (int, bool) {
	if len(s) < 4 || !digits(s[:4]) {
		return 0, false
	}
	y, _ := strconv.Atoi(s[:4])
	rest := s[4:]
	switch {
	case rest == "":
		return y, true
	case len(rest) == 4 && digits(rest): // YYYYMMDD
		return y, isMonth(rest[:2]) && isDay(rest[2:])
	case len(rest) >= 2 && strings.ContainsRune("-/._", rune(rest[0])):
		m, d, _ := strings.Cut(rest[1:], rest[:1])
		if !isMonth(m) {
			return 0, false
		}
		return y, d == "" || isDay(strings.SplitN(d, "T", 2)[0])
	}
	return 0, false
}

func yearName(k string) bool {
	k = strings.ToLower(k)
	return k == "y" || strings.Contains(k, "year") || k == "yr" || strings.Contains(k, "date")
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isMonth(s string) bool {
	n, err := strconv.Atoi(s)
	return len(s) <= 2 && digits(s) && err == nil && n >= 1 && n <= 12
}

func isDay(s string) bool {
	n, err := strconv.Atoi(s)
	return len(s) <= 2 && digits(s) && err == nil && n >= 1 && n <= 31
}

// FutureDate returns a reason when u names a year more than maxYears after
// now's year, and "" otherwise.
func FutureDate(u *url.URL, now time.Time, maxYears int) string {
	if maxYears < 0 {
		return ""
	}
	y, ok := URLYear(u)
	if !ok || y <= now.Year()+maxYears {
		return ""
	}
	return "trap: date " + strconv.Itoa(y) + " in the URL is more than " + strconv.Itoa(maxYears) +
		" years ahead (a calendar marching away from today)"
}
