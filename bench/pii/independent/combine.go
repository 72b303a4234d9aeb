package independent

import (
	"fmt"
	"io"
	"sort"
)

// Combine writes Markdown tables of several seeds' summaries side by side:
// recall and precision per type, recall per kind, hard negatives per family.
func Combine(w io.Writer, ss []Summary) {
	sort.Slice(ss, func(i, j int) bool { return ss[i].Seed < ss[j].Seed })
	head := func(first string, cols ...string) {
		fmt.Fprintf(w, "| %s |", first)
		for _, s := range ss {
			role := "tuning"
			if s.HeldOut {
				role = "held out"
			}
			for _, c := range cols {
				fmt.Fprintf(w, " seed %d (%s) %s |", s.Seed, role, c)
			}
		}
		fmt.Fprint(w, "\n|---|")
		for range ss {
			for range cols {
				fmt.Fprint(w, "---:|")
			}
		}
		fmt.Fprintln(w)
	}
	union := func(get func(Summary) []string) []string {
		m := map[string]bool{}
		for _, s := range ss {
			for _, k := range get(s) {
				m[k] = true
			}
		}
		return keys(m)
	}
	if len(ss) > 0 {
		fmt.Fprintf(w, "scruple commit %s\n\n", ss[0].Commit)
	}
	head("type", "recall (values)", "precision (findings)")
	for _, k := range union(func(s Summary) []string { return append(keys(s.RecallType), keys(s.PrecType)...) }) {
		fmt.Fprintf(w, "| %s |", k)
		for _, s := range ss {
			c, p := s.RecallType[k], s.PrecType[k]
			r, pr := "-", "-"
			if c.Total > 0 {
				r = fmt.Sprintf("%.3f (%d)", c.Recall(), c.Total)
			}
			if n := p.TP + p.WrongType + p.HardNeg + p.Unlabelled; n > 0 {
				pr = fmt.Sprintf("%.3f (%d)", p.Precision(), n)
			}
			if k == "cn_uscc" {
				r = fmt.Sprintf("%.3f (%d, non-personal)", s.Org.Recall(), s.Org.Total)
			}
			fmt.Fprintf(w, " %s | %s |", r, pr)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, "| **all** |")
	for _, s := range ss {
		fmt.Fprintf(w, " **%.3f** (%d) | **%.3f** (%d) |", s.Overall.Recall, s.Overall.Positives, s.Overall.Precision, s.Overall.Findings)
	}
	fmt.Fprint(w, "\n\n")
	head("document kind", "recall, all types", "recall, names")
	for _, k := range union(func(s Summary) []string { return keys(s.RecallKind) }) {
		fmt.Fprintf(w, "| %s |", k)
		for _, s := range ss {
			c, n := s.RecallKind[k], s.NamesKind[k]
			names := "-"
			if n.Total > 0 {
				names = fmt.Sprintf("%.3f (%d)", n.Recall(), n.Total)
			}
			fmt.Fprintf(w, " %.3f (%d) | %s |", c.Recall(), c.Total, names)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	head("hard-negative family", "reported / values")
	for _, k := range union(func(s Summary) []string { return keys(s.NegFamilies) }) {
		fmt.Fprintf(w, "| %s |", k)
		for _, s := range ss {
			if f := s.NegFamilies[k]; f != nil {
				fmt.Fprintf(w, " %d / %d |", f.Reported, f.Total)
			} else {
				fmt.Fprint(w, " - |")
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, "| **all** |")
	for _, s := range ss {
		fmt.Fprintf(w, " **%d / %d** |", s.Overall.HardNegReported, s.Overall.HardNegatives)
	}
	fmt.Fprintln(w)
}
