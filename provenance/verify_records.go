package provenance

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/scruple/scruple"
)

// unmatched is a records.jsonl line whose digest matched no slot.
type unmatched struct {
	line int64
	url  string // "" when the line is not a JSON record
	data []byte // kept to tell a re-encoded record from an altered one
}

// readRecords matches records.jsonl against the slots: first by digest
// (the common case, which never parses JSON), then the leftovers by URL, then
// by position, so that an edit that breaks a record's URL or JSON is still
// reported as that record altered rather than as one added and one removed.
func (v *bundleVerifier) readRecords(r io.Reader) {
	v.byDigest = make(map[[32]byte]int32, len(v.slots))
	for i := range v.slots {
		if !v.slots[i].removed {
			v.byDigest[v.slots[i].digest] = int32(i)
		}
	}
	var lineSlot []int32 // slot of each line (index line-1), -1 none
	var left []unmatched
	lr := newLineReader(r)
	for {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			v.recordProblem(Problem{Kind: ProblemAltered, File: RecordsFile, Line: lr.n + 1, Message: err.Error()})
			break
		}
		n := lr.n
		d, id, _ := recordLineDigest(line)
		if s, ok := v.byDigest[d]; ok && v.slots[s].line == 0 {
			v.assign(s, n)
			lineSlot = append(lineSlot, s)
			if id != v.slots[s].entry {
				v.recordProblem(Problem{Kind: ProblemAltered, File: RecordsFile, Line: n, URL: v.slots[s].url,
					Message: fmt.Sprintf("record %s has id %d but its log entry is %d", v.slots[s].url, id, v.slots[s].entry)})
			}
			continue
		}
		lineSlot = append(lineSlot, -1)
		u := unmatched{line: n, data: append([]byte(nil), line...)}
		var head struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(line, &head) == nil {
			u.url = head.URL
		}
		left = append(left, u)
	}
	v.rep.Records = lr.n
	if lr.noNewline {
		v.recordProblem(Problem{Kind: ProblemAltered, File: RecordsFile, Line: lr.n,
			Message: "last line has no final newline: the file was truncated or edited"})
	}
	left = v.matchByURL(left, lineSlot)
	v.matchByPosition(left, lineSlot)
	v.checkOrder(lineSlot)
	sort.SliceStable(v.recProbs, func(i, j int) bool { return v.recProbs[i].Line < v.recProbs[j].Line })
	for _, p := range v.recProbs {
		v.rep.add(p)
	}
	for i := range v.slots {
		s := &v.slots[i]
		if s.line == 0 && !s.removed {
			v.rep.add(Problem{Kind: ProblemRemoved, File: RecordsFile, URL: s.url, Message: fmt.Sprintf(
				"record %s (log entry %d) is missing from records.jsonl and no purge removed it", s.url, s.entry)})
		}
	}
}

func (v *bundleVerifier) assign(s int32, line int64) { v.slots[s].line = line }

func (v *bundleVerifier) recordProblem(p Problem) { v.recProbs = append(v.recProbs, p) }

// matchByURL handles lines whose digest matched nothing but whose URL names
// a slot: the record was altered, is a repeat, or was purged yet kept.
func (v *bundleVerifier) matchByURL(left []unmatched, lineSlot []int32) []unmatched {
	var rest []unmatched
	for _, u := range left {
		s, ok := v.byURL[u.url]
		if u.url == "" || !ok {
			rest = append(rest, u)
			continue
		}
		sl := &v.slots[s]
		switch {
		case sl.removed:
			v.recordProblem(Problem{Kind: ProblemAdded, File: RecordsFile, Line: u.line, URL: u.url, Message: fmt.Sprintf(
				"record %s was deleted by purge log entry %d but is present", u.url, sl.latest)})
		case sl.line != 0:
			v.recordProblem(Problem{Kind: ProblemAdded, File: RecordsFile, Line: u.line, URL: u.url, Message: fmt.Sprintf(
				"record %s repeats line %d (a second, different copy)", u.url, sl.line)})
		default:
			v.assign(s, u.line)
			lineSlot[u.line-1] = s
			v.recordProblem(Problem{Kind: ProblemAltered, File: RecordsFile, Line: u.line, URL: u.url,
				Message: v.alteredMessage(sl, u.data)})
		}
	}
	return rest
}

func (v *bundleVerifier) alteredMessage(sl *slot, data []byte) string {
	var r scruple.Record
	if json.Unmarshal(data, &r) == nil && RecordDigest(&r) == hex.EncodeToString(sl.digest[:]) {
		return fmt.Sprintf("record %s is not in canonical encoding (re-encoded): its bytes are not the ones log entry %d vouches for",
			sl.url, sl.latest)
	}
	return fmt.Sprintf("record %s was altered: its digest does not match log entry %d", sl.url, sl.latest)
}

// matchByPosition pairs a line that matched nothing with the unmatched slot
// that belongs right after the previous line's slot, when the next matched
// line's slot comes after it: the line stands where that record should be.
func (v *bundleVerifier) matchByPosition(left []unmatched, lineSlot []int32) {
	if len(left) == 0 {
		return
	}
	next := make([]int32, len(lineSlot)+1) // next[i]: slot of the first matched line at index >= i
	next[len(lineSlot)] = int32(len(v.slots))
	for i := len(lineSlot) - 1; i >= 0; i-- {
		next[i] = next[i+1]
		if lineSlot[i] >= 0 {
			next[i] = lineSlot[i]
		}
	}
	for _, u := range left {
		i := int(u.line - 1)
		cand := int32(0)
		for j := i - 1; j >= 0; j-- {
			if lineSlot[j] >= 0 {
				cand = lineSlot[j] + 1
				break
			}
		}
		for cand < int32(len(v.slots)) && v.slots[cand].removed {
			cand++
		}
		if cand < int32(len(v.slots)) && v.slots[cand].line == 0 && cand < next[i+1] {
			v.assign(cand, u.line)
			lineSlot[i] = cand
			sl := &v.slots[cand]
			v.recordProblem(Problem{Kind: ProblemAltered, File: RecordsFile, Line: u.line, URL: sl.url, Message: fmt.Sprintf(
				"record %s was altered (this line matches no log entry; log entry %d expects that record here)", sl.url, sl.entry)})
			continue
		}
		what := "a line that is not a JSON record"
		if u.url != "" {
			what = "record " + u.url
		}
		v.recordProblem(Problem{Kind: ProblemAdded, File: RecordsFile, Line: u.line, URL: u.url,
			Message: what + " has no signed log entry"})
	}
}

// checkOrder reports the lines that are out of log order: those outside a
// longest increasing run of slots, so that one record moved far is one
// problem, not one per record it jumped over.
func (v *bundleVerifier) checkOrder(lineSlot []int32) {
	var lines []int // indexes into lineSlot of matched lines
	sorted := true
	last := int32(-1)
	for i, s := range lineSlot {
		if s < 0 {
			continue
		}
		lines = append(lines, i)
		if s < last {
			sorted = false
		}
		last = s
	}
	if sorted {
		return
	}
	// Longest increasing subsequence (patience sorting), O(n log n).
	tails := []int{}                // tails[k]: index into lines of the smallest tail of a run of length k+1
	prev := make([]int, len(lines)) // predecessor in the run
	for k, i := range lines {
		s := lineSlot[i]
		j := sort.Search(len(tails), func(j int) bool { return lineSlot[lines[tails[j]]] >= s })
		if j > 0 {
			prev[k] = tails[j-1]
		} else {
			prev[k] = -1
		}
		if j == len(tails) {
			tails = append(tails, k)
		} else {
			tails[j] = k
		}
	}
	inRun := make([]bool, len(lines))
	for k := tails[len(tails)-1]; k >= 0; k = prev[k] {
		inRun[k] = true
	}
	var runLines []int // lineSlot indexes of the in-order run, slots increasing
	for k, i := range lines {
		if inRun[k] {
			runLines = append(runLines, i)
		}
	}
	for k, i := range lines {
		if inRun[k] {
			continue
		}
		s := lineSlot[i]
		// The first in-order line whose record comes after this one is where
		// it belongs.
		before := ""
		if j := sort.Search(len(runLines), func(j int) bool { return lineSlot[runLines[j]] > s }); j < len(runLines) {
			i2 := runLines[j]
			before = fmt.Sprintf(" (it belongs before line %d, %s)", i2+1, v.slots[lineSlot[i2]].url)
		}
		sl := &v.slots[s]
		v.recordProblem(Problem{Kind: ProblemReordered, File: RecordsFile, Line: int64(i + 1), URL: sl.url, Message: fmt.Sprintf(
			"record %s (log entry %d) is out of log order%s", sl.url, sl.entry, before)})
	}
}
