package pii

//go:generate go run ./gen -o regions_gen.go

import "sort"

// Region code quality, from a GB/T 2260 table look-up.
const (
	regionNone  = iota // unknown prefecture: not a resident ID
	regionPref         // prefecture known, county not in any revision we hold
	regionExact        // code found in a GB/T 2260 revision (2002-2016) or the 2023 codes
)

// regionQuality classifies a 6-digit region code.
//
// The tables hold GB/T 2260 revisions from 2002 on. IDs issued earlier keep
// their original county code even after the county was abolished (the
// standard's own example 440524 is 潮阳县, renamed in 1993). Rejecting those
// would miss real IDs of everyone born before the 1990s, so a code whose
// prefecture (first four digits) exists in any revision is accepted with
// lower confidence. A random six-digit code passes this fallback with
// probability about 3.7% (366 prefectures of 10 000), and the ID must still
// pass the date and MOD 11-2 checks, so random strings stay out.
func regionQuality(code int) int {
	if code <= 0 || code > 999999 || code%100 == 0 && code%10000 == 0 {
		return regionNone
	}
	if i := sort.Search(len(regionCodes), func(i int) bool { return regionCodes[i] >= uint32(code) }); i < len(regionCodes) && regionCodes[i] == uint32(code) {
		return regionExact
	}
	p := uint16(code / 100)
	if i := sort.Search(len(prefectureCodes), func(i int) bool { return prefectureCodes[i] >= p }); i < len(prefectureCodes) && prefectureCodes[i] == p {
		return regionPref
	}
	return regionNone
}

// provinceKnown reports whether the two-digit province code exists.
func provinceKnown(p int) bool {
	i := sort.Search(len(prefectureCodes), func(i int) bool { return int(prefectureCodes[i])/100 >= p })
	return i < len(prefectureCodes) && int(prefectureCodes[i])/100 == p
}

// divisionSet maps division names (广东省, 广东, 朝阳区, ...) for address anchoring.
var divisionSet = func() map[string]struct{} {
	m := make(map[string]struct{}, len(divisionNames))
	for _, n := range divisionNames {
		m[n] = struct{}{}
	}
	return m
}()

// maxDivisionRunes is the longest division name looked up, in runes.
const maxDivisionRunes = 9
