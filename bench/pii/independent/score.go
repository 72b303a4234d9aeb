package independent

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Finding is one line of `scruple scan --format json --show-values`.
type Finding struct {
	Path       string  `json:"path"`
	Type       string  `json:"type"`
	Value      string  `json:"value"`
	Masked     string  `json:"masked"`
	Personal   bool    `json:"personal"`
	Confidence float64 `json:"confidence"`
	Skipped    string  `json:"skipped"`
	Error      string  `json:"error"`
}

// ReadFindings parses the scanner's JSON Lines; lines that are not findings
// (skipped files, errors) are returned apart.
func ReadFindings(rd io.Reader) (fs []Finding, other []Finding, err error) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var f Finding
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			return nil, nil, fmt.Errorf("scan output line: %w", err)
		}
		if f.Type == "" {
			other = append(other, f)
			continue
		}
		fs = append(fs, f)
	}
	return fs, other, sc.Err()
}

// ReadTruth parses truth.jsonl.
func ReadTruth(rd io.Reader) ([]Item, error) {
	var out []Item
	dec := json.NewDecoder(rd)
	for {
		var it Item
		if err := dec.Decode(&it); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
}

// Label is a distinct labelled value of one file, with its outcome.
type Label struct {
	Item
	norm, loose string
	Rel         int    `json:"rel"`                // best RelNone/RelPartial/RelFound
	GotType     string `json:"got_type,omitempty"` // type of a finding of another type on it
	Reported    bool   `json:"reported,omitempty"` // a hard negative reported as personal
	NonPersonal bool   `json:"non_personal,omitempty"`
}

// Outcome of one distinct finding.
const (
	OutTP          = "tp"
	OutWrongType   = "wrong_type"
	OutHardNeg     = "hard_negative"
	OutNonPersonal = "non_personal_on_negative"
	OutNeutral     = "neutral"
	OutUnlabelled  = "unlabelled"
)

// Scored is a distinct finding with its outcome.
type Scored struct {
	File, Type, Norm, Masked string
	Personal                 bool
	Outcome                  string
	Family                   string // hard negative family, or the labelled type for wrong_type
}

// Result is everything the report needs.
type Result struct {
	Labels   []*Label
	Findings []*Scored
}

type fileLabels struct{ pos, neg, neu []*Label }

// Score matches findings to the labels, file by file.
func Score(items []Item, fs []Finding) Result {
	var res Result
	byFile := map[string]*fileLabels{}
	seen := map[string]*Label{}
	for _, it := range items {
		typ := it.Type
		norm := Norm(typ, it.Value)
		if it.Role != Pos && typ == "" {
			norm = Loose(it.Value)
		}
		key := strings.Join([]string{it.File, it.Role, typ, it.Family, norm}, "\x00")
		if l, ok := seen[key]; ok {
			l.Forms = union(l.Forms, it.Forms)
			continue
		}
		l := &Label{Item: it, norm: norm, loose: Loose(it.Value)}
		l.Forms = union(nil, it.Forms)
		seen[key] = l
		res.Labels = append(res.Labels, l)
		fl := byFile[it.File]
		if fl == nil {
			fl = &fileLabels{}
			byFile[it.File] = fl
		}
		switch {
		case it.Role == Pos || typ != "": // cn_uscc negatives are expected as cn_uscc
			fl.pos = append(fl.pos, l)
			if it.Role == Neg {
				fl.neg = append(fl.neg, l)
			}
		case it.Role == Neg:
			fl.neg = append(fl.neg, l)
		default:
			fl.neu = append(fl.neu, l)
		}
	}
	dedup := map[string]bool{}
	for _, f := range fs {
		norm := Norm(f.Type, f.Value)
		key := f.Path + "\x00" + f.Type + "\x00" + norm
		if dedup[key] {
			continue
		}
		dedup[key] = true
		s := &Scored{File: f.Path, Type: f.Type, Norm: norm, Masked: MaskTyped(f.Type, f.Value), Personal: f.Personal}
		res.Findings = append(res.Findings, s)
		fl := byFile[f.Path]
		if fl == nil {
			fl = &fileLabels{}
		}
		s.Outcome = OutUnlabelled
		// 1. the same type on a labelled value
		best, bestRel := (*Label)(nil), RelNone
		for _, l := range fl.pos {
			if l.Type != f.Type {
				continue
			}
			if rel := Relate(f.Type, l.norm, norm); rel > bestRel {
				best, bestRel = l, rel
			}
		}
		if best != nil {
			if bestRel > best.Rel {
				best.Rel = bestRel
			}
			s.Outcome = OutTP
			continue
		}
		loose := Loose(f.Value)
		// 2. part of a labelled value of the same type (an address's
		// street without its building) or a labelled value of another type
		for _, l := range fl.pos {
			if l.Type == f.Type && overlaps(l.loose, loose) {
				s.Outcome = OutTP
				if l.Rel < RelPartial {
					l.Rel = RelPartial
				}
				break
			}
		}
		for _, l := range fl.pos {
			if s.Outcome == OutUnlabelled && l.Role == Pos && overlaps(l.loose, loose) {
				s.Outcome, s.Family = OutWrongType, l.Type
				if l.GotType == "" {
					l.GotType = f.Type
				}
			}
		}
		if s.Outcome != OutUnlabelled {
			continue
		}
		// 3. a hard negative
		for _, l := range fl.neg {
			if overlaps(l.loose, loose) {
				s.Family = l.Family
				if f.Personal {
					s.Outcome = OutHardNeg
					l.Reported = true
				} else {
					s.Outcome = OutNonPersonal
					l.NonPersonal = true
				}
				break
			}
		}
		if s.Outcome != OutUnlabelled {
			continue
		}
		// 4. an ambiguous value: not scored
		for _, l := range fl.neu {
			if overlaps(l.loose, loose) {
				s.Outcome, s.Family = OutNeutral, l.Family
				break
			}
		}
	}
	return res
}

// overlaps: one loose form holds the other (a finding inside a negative, or
// a negative inside a finding), at least two characters long.
func overlaps(label, found string) bool {
	if len([]rune(found)) < 2 || label == "" {
		return false
	}
	if label == found {
		return true
	}
	if len([]rune(found)) < 4 && !hasHan(found) {
		return false
	}
	if strings.Contains(label, found) || strings.Contains(found, label) {
		return true
	}
	// a Chinese finding straddling the edge of a labelled value: most of it
	// comes from the value (于教书 from ...于教书先生...)
	n := len([]rune(found))
	return hasHan(found) && n >= 3 && coverage(found, label)*float64(n) >= 2 && coverage(found, label) >= 0.6
}

func union(a, b []string) []string {
	m := map[string]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		m[x] = true
	}
	out := make([]string, 0, len(m))
	for x := range m {
		out = append(out, x)
	}
	sort.Strings(out)
	return out
}
