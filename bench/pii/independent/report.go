package independent

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Count is recall or precision arithmetic for one row.
type Count struct {
	Total, Found, Partial int
}

// Recall is found / total.
func (c Count) Recall() float64 {
	if c.Total == 0 {
		return 0
	}
	return float64(c.Found) / float64(c.Total)
}

// Prec counts distinct findings of a type.
type Prec struct {
	TP, WrongType, HardNeg, Unlabelled, Neutral, NonPersonal int
}

// Precision is TP / (TP + false positives); neutral findings and
// non-personal findings on negatives are not counted.
func (p Prec) Precision() float64 {
	d := p.TP + p.WrongType + p.HardNeg + p.Unlabelled
	if d == 0 {
		return 0
	}
	return float64(p.TP) / float64(d)
}

// NegFamily counts a hard-negative family.
type NegFamily struct {
	Total, Reported, NonPersonal int
	Examples                     []string `json:",omitempty"`
}

// Summary is the machine-readable report (summary.json).
type Summary struct {
	Seed        uint64                `json:"seed"`
	Commit      string                `json:"commit"`
	HeldOut     bool                  `json:"held_out"`
	Files       int                   `json:"files"`
	Skipped     []string              `json:"skipped,omitempty"`
	Errors      []string              `json:"errors,omitempty"`
	RecallType  map[string]Count      `json:"recall_by_type"`
	RecallKind  map[string]Count      `json:"recall_by_kind"`
	NamesKind   map[string]Count      `json:"name_recall_by_kind"`
	RecallForm  map[string]Count      `json:"recall_by_type_and_form"`
	Org         Count                 `json:"cn_uscc_expected_non_personal"`
	PrecType    map[string]Prec       `json:"precision_by_type"`
	NegFamilies map[string]*NegFamily `json:"hard_negatives"`
	Overall     struct {
		Recall, Precision float64
		Positives, Found  int
		Findings, FP      int
		HardNegatives     int
		HardNegReported   int
	} `json:"overall"`
	Misses   map[string][]string `json:"miss_examples,omitempty"`    // type -> masked examples (tuning seed only)
	FPs      map[string][]string `json:"fp_examples,omitempty"`      // type -> masked examples (tuning seed only)
	WrongTyp map[string]int      `json:"wrong_type_pairs,omitempty"` // "labelled->reported"
}

// Summarise aggregates a Result. With examples, it keeps up to n masked
// examples per row (never for held-out seeds).
func Summarise(res Result, examples int) Summary {
	s := Summary{RecallType: map[string]Count{}, RecallKind: map[string]Count{}, NamesKind: map[string]Count{},
		RecallForm: map[string]Count{}, PrecType: map[string]Prec{}, NegFamilies: map[string]*NegFamily{},
		Misses: map[string][]string{}, FPs: map[string][]string{}, WrongTyp: map[string]int{}}
	add := func(m map[string]Count, k string, l *Label) {
		c := m[k]
		c.Total++
		switch l.Rel {
		case RelFound:
			c.Found++
		case RelPartial:
			c.Partial++
		}
		m[k] = c
	}
	files := map[string]bool{}
	for _, l := range res.Labels {
		files[l.File] = true
		switch {
		case l.Role == Pos:
			add(s.RecallType, l.Type, l)
			add(s.RecallKind, l.Kind, l)
			if l.Type == "person_name" {
				add(s.NamesKind, l.Kind, l)
			}
			for _, f := range l.Forms {
				add(s.RecallForm, l.Type+" / "+f, l)
			}
			if len(l.Forms) == 0 {
				add(s.RecallForm, l.Type+" / (plain)", l)
			}
			s.Overall.Positives++
			if l.Rel == RelFound {
				s.Overall.Found++
			} else if examples > 0 && len(s.Misses[l.Type]) < examples {
				how := "missed"
				if l.Rel == RelPartial {
					how = "partial"
				}
				if l.GotType != "" {
					how = "reported as " + l.GotType
				}
				s.Misses[l.Type] = append(s.Misses[l.Type], fmt.Sprintf("%s %s [%s] %s", l.File, MaskTyped(l.Type, l.Value), strings.Join(l.Forms, ","), how))
			}
		case l.Role == Neg:
			if l.Type != "" {
				s.Org.Total++
				if l.Rel >= RelPartial {
					s.Org.Found++
				}
			}
			nf := s.NegFamilies[l.Family]
			if nf == nil {
				nf = &NegFamily{}
				s.NegFamilies[l.Family] = nf
			}
			nf.Total++
			s.Overall.HardNegatives++
			if l.Reported {
				nf.Reported++
				s.Overall.HardNegReported++
			}
			if l.NonPersonal {
				nf.NonPersonal++
			}
		}
	}
	for _, f := range res.Findings {
		p := s.PrecType[f.Type]
		switch f.Outcome {
		case OutTP:
			p.TP++
		case OutWrongType:
			p.WrongType++
			s.WrongTyp[f.Family+" -> "+f.Type]++
		case OutHardNeg:
			p.HardNeg++
			if nf := s.NegFamilies[f.Family]; nf != nil && examples > 0 && len(nf.Examples) < examples {
				nf.Examples = append(nf.Examples, fmt.Sprintf("%s %s as %s", f.File, f.Masked, f.Type))
			}
		case OutUnlabelled:
			p.Unlabelled++
		case OutNeutral:
			p.Neutral++
		case OutNonPersonal:
			p.NonPersonal++
		}
		if examples > 0 && (f.Outcome == OutUnlabelled || f.Outcome == OutWrongType) && len(s.FPs[f.Type]) < examples {
			s.FPs[f.Type] = append(s.FPs[f.Type], fmt.Sprintf("%s %s (%s %s)", f.File, f.Masked, f.Outcome, f.Family))
		}
		s.PrecType[f.Type] = p
	}
	tp, fp := 0, 0
	for _, p := range s.PrecType {
		tp += p.TP
		fp += p.WrongType + p.HardNeg + p.Unlabelled
	}
	s.Overall.Findings, s.Overall.FP = tp+fp, fp
	if s.Overall.Positives > 0 {
		s.Overall.Recall = float64(s.Overall.Found) / float64(s.Overall.Positives)
	}
	if tp+fp > 0 {
		s.Overall.Precision = float64(tp) / float64(tp+fp)
	}
	s.Files = len(files)
	return s
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Print writes the human-readable report.
func (s Summary) Print(w io.Writer, minForm int) {
	held := "tuning seed"
	if s.HeldOut {
		held = "HELD-OUT seed (aggregates only)"
	}
	fmt.Fprintf(w, "independent PI corpus, seed %d (%s), scruple %s\n", s.Seed, held, s.Commit)
	fmt.Fprintf(w, "files labelled: %d; scanner skipped: %d; scanner errors: %d\n\n", s.Files, len(s.Skipped), len(s.Errors))
	for _, x := range s.Skipped {
		fmt.Fprintf(w, "  skipped: %s\n", x)
	}
	for _, x := range s.Errors {
		fmt.Fprintf(w, "  error: %s\n", x)
	}
	fmt.Fprintf(w, "RECALL BY TYPE (distinct values per file; found = same type, value matched; partial = part of it)\n")
	fmt.Fprintf(w, "%-16s %7s %7s %7s %8s\n", "type", "values", "found", "partial", "recall")
	for _, k := range keys(s.RecallType) {
		c := s.RecallType[k]
		fmt.Fprintf(w, "%-16s %7d %7d %7d %8.3f\n", k, c.Total, c.Found, c.Partial, c.Recall())
	}
	fmt.Fprintf(w, "%-16s %7d %7d %7s %8.3f\n", "ALL", s.Overall.Positives, s.Overall.Found, "", s.Overall.Recall)
	fmt.Fprintf(w, "%-16s %7d %7d %7s %8.3f  (organisation codes, expected as non-personal cn_uscc)\n\n", "cn_uscc (org)", s.Org.Total, s.Org.Found, "", s.Org.Recall())
	fmt.Fprintf(w, "RECALL BY DOCUMENT KIND (all types | names only)\n")
	fmt.Fprintf(w, "%-18s %7s %8s %7s %8s\n", "kind", "values", "recall", "names", "recall")
	for _, k := range keys(s.RecallKind) {
		c, n := s.RecallKind[k], s.NamesKind[k]
		fmt.Fprintf(w, "%-18s %7d %8.3f %7d %8.3f\n", k, c.Total, c.Recall(), n.Total, n.Recall())
	}
	fmt.Fprintf(w, "\nPRECISION BY TYPE (distinct findings per file)\n")
	fmt.Fprintf(w, "%-16s %6s %6s %6s %6s %6s %6s %6s %9s\n", "type", "found", "TP", "wrong", "hardng", "unlab", "neutr", "nonpers", "precision")
	for _, k := range keys(s.PrecType) {
		p := s.PrecType[k]
		fmt.Fprintf(w, "%-16s %6d %6d %6d %6d %6d %6d %6d %9.3f\n", k, p.TP+p.WrongType+p.HardNeg+p.Unlabelled+p.Neutral+p.NonPersonal, p.TP, p.WrongType, p.HardNeg, p.Unlabelled, p.Neutral, p.NonPersonal, p.Precision())
	}
	fmt.Fprintf(w, "%-16s %6d %6s %6s %6s %6s %6s %6s %9.3f\n", "ALL (scored)", s.Overall.Findings, "", "", "", "", "", "", s.Overall.Precision)
	if len(s.WrongTyp) > 0 {
		fmt.Fprintf(w, "\nWRONG TYPE (labelled -> reported: distinct findings)\n")
		for _, k := range keys(s.WrongTyp) {
			fmt.Fprintf(w, "  %-36s %d\n", k, s.WrongTyp[k])
		}
	}
	fmt.Fprintf(w, "\nHARD NEGATIVES (distinct per file; reported = a personal finding on it)\n")
	fmt.Fprintf(w, "%-18s %7s %9s %12s\n", "family", "values", "reported", "non-personal")
	for _, k := range keys(s.NegFamilies) {
		f := s.NegFamilies[k]
		fmt.Fprintf(w, "%-18s %7d %9d %12d\n", k, f.Total, f.Reported, f.NonPersonal)
		for _, e := range f.Examples {
			fmt.Fprintf(w, "    e.g. %s\n", e)
		}
	}
	fmt.Fprintf(w, "%-18s %7d %9d\n", "ALL", s.Overall.HardNegatives, s.Overall.HardNegReported)
	fmt.Fprintf(w, "\nRECALL BY TYPE AND SURFACE FORM (rows with >= %d values)\n", minForm)
	for _, k := range keys(s.RecallForm) {
		if c := s.RecallForm[k]; c.Total >= minForm {
			fmt.Fprintf(w, "  %-48s %6d %8.3f\n", k, c.Total, c.Recall())
		}
	}
	if len(s.Misses) > 0 {
		fmt.Fprintf(w, "\nMISSED OR PARTIAL (masked examples, tuning seed only)\n")
		for _, k := range keys(s.Misses) {
			for _, e := range s.Misses[k] {
				fmt.Fprintf(w, "  %-14s %s\n", k, e)
			}
		}
	}
	if len(s.FPs) > 0 {
		fmt.Fprintf(w, "\nFALSE POSITIVES (masked examples, tuning seed only)\n")
		for _, k := range keys(s.FPs) {
			for _, e := range s.FPs[k] {
				fmt.Fprintf(w, "  %-14s %s\n", k, e)
			}
		}
	}
	fmt.Fprintf(w, "\nSUMMARY seed %d: recall %.3f (%d/%d), precision %.3f (%d false of %d), hard negatives reported %d of %d\n",
		s.Seed, s.Overall.Recall, s.Overall.Found, s.Overall.Positives, s.Overall.Precision, s.Overall.FP, s.Overall.Findings, s.Overall.HardNegReported, s.Overall.HardNegatives)
}
