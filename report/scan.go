package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan"
)

// The self-inspection report: what `scruple scan --format html` writes for
// a company auditing what it already holds. Same page, same language
// support, same charts as the crawl report; its sections are the scan's:
// what to correct first, findings per type and class, per file, per table
// and column, and what could not be read.

// Scan statuses, the verdict of a self-inspection.
const (
	ScanClean      = "clean"      // nothing found in what was read
	ScanFound      = "found"      // personal information found
	ScanCritical   = "critical"   // credentials (C3), bulk personal data or a minor's data found
	ScanIncomplete = "incomplete" // some files could not be read: the scan cannot vouch for them
)

// ScanReport is the model of a self-inspection report.
type ScanReport struct {
	Lang        string
	GeneratedAt time.Time
	Tool        string
	// Subject names what was scanned.
	Subject string
	// Status is one of the Scan* constants; Incomplete is also set when it
	// is ScanCritical or ScanFound but some files failed.
	Status     string
	Incomplete bool
	Summary    *scan.Summary
	Skipped    []Count
	ByType     []Bar
	ByClass    []Bar
	// First lists what to correct first, most urgent first.
	First []Priority
	// Files are the files and parts with findings, most urgent first;
	// FilesOmitted those beyond the limit (counted in the totals).
	Files        []*ScanFile
	FilesOmitted int
	Tables       []*ScanTable
	// Failed are the parts that could not be read (never quoting content).
	Failed        []ScanFailure
	FailedOmitted int
}

// Priority is one thing to correct.
type Priority struct {
	Where, Why, Action, Anchor string
}

// ScanFile is one file or part with findings.
type ScanFile struct {
	Name, Anchor, Format, Encoding string
	Findings, Sensitive, C3        int
	ByType                         []Count
	Bulk, Minor                    bool
	Subjects                       int
	Examples                       []ScanExample
	NotRedacted                    bool
	Redacted                       string
	score                          int
	types                          map[pii.Type]int
}

// ScanExample is one finding's place and type; never its value.
type ScanExample struct {
	Where, Type, Class string
}

// ScanTable is a database table's summary.
type ScanTable struct {
	Name, Anchor    string
	Key             []string
	Rows, Estimated int64
	Sampled         bool
	Findings        int
	Columns         []ScanColumn
}

// ScanColumn is one column of a table.
type ScanColumn struct {
	Name, Type       string
	Values, Binary   int64
	Findings         int
	ByType           []Count
	Skipped          string
	Sensitive, C3    bool
	FindingsPerValue float64
}

// ScanFailure is a part that could not be read.
type ScanFailure struct {
	Name, Err string
}

// scanLimits bound the lists of a scan report.
const (
	scanFiles    = 500
	scanKept     = 20_000 // files kept in memory to choose the 500 from
	scanExamples = 5
	scanFailures = 200
	scanFirst    = 15
)

// ScanWriter is a scan.Writer that writes the self-inspection report when
// the scan closes. It keeps per file counters and a few examples, never
// the findings themselves, so a scan of millions of values costs a bounded
// report.
type ScanWriter struct {
	w       io.Writer
	r       *ScanReport
	t       *translator
	det     *pii.Detector
	files   map[string]*ScanFile
	order   []*ScanFile
	dropped int
}

// NewScanWriter returns a writer of the report in lang ("zh" or "en") for
// a scan of subject (the paths named).
func NewScanWriter(w io.Writer, lang, subject string) (*ScanWriter, error) {
	lang, err := ParseLang(lang)
	if err != nil {
		return nil, err
	}
	return &ScanWriter{w: w, t: newTranslator(lang), det: pii.New(pii.Options{}), files: map[string]*ScanFile{},
		r: &ScanReport{Lang: lang, GeneratedAt: time.Now().UTC(), Tool: "scruple " + scruple.Version, Subject: subject}}, nil
}

var _ scan.Writer = (*ScanWriter)(nil)

// File implements scan.Writer.
func (sw *ScanWriter) File(r *scan.FileResult) error {
	if r.Err != nil {
		if len(sw.r.Failed) < scanFailures {
			sw.r.Failed = append(sw.r.Failed, ScanFailure{Name: safeReason(sw.det, r.Name()), Err: safeReason(sw.det, r.Err.Error())})
		} else {
			sw.r.FailedOmitted++
		}
		return nil
	}
	if len(r.Findings) == 0 && !r.Signals.Bulk && !r.Signals.Minor {
		return nil
	}
	name := r.Name()
	f := sw.files[name]
	if f == nil {
		if len(sw.order) >= scanKept {
			sw.dropped++
			return nil
		}
		f = &ScanFile{Name: safeReason(sw.det, name), Format: r.Format, Encoding: r.Encoding, types: map[pii.Type]int{}}
		sw.files[name] = f
		sw.order = append(sw.order, f)
	}
	for i := range r.Findings {
		x := &r.Findings[i]
		f.Findings++
		f.types[x.Type]++
		if x.Sensitive {
			f.Sensitive++
		}
		if x.Level == pii.C3 {
			f.C3++
		}
		if len(f.Examples) < scanExamples {
			f.Examples = append(f.Examples, ScanExample{Where: safeReason(sw.det, x.Where()), Type: string(x.Type), Class: scan.Class(x)})
		}
	}
	f.Bulk = f.Bulk || r.Signals.Bulk
	f.Minor = f.Minor || r.Signals.Minor
	f.Subjects = max(f.Subjects, r.Signals.Subjects)
	f.NotRedacted = f.NotRedacted || r.NotRedacted
	if r.Redacted != "" {
		f.Redacted = safeReason(sw.det, r.Redacted)
	}
	return nil
}

// Close implements scan.Writer: it renders the report.
func (sw *ScanWriter) Close(s *scan.Summary) error {
	r := sw.r
	r.Summary = s
	t := sw.t
	for _, k := range sortedKeys(s.Skipped) {
		r.Skipped = append(r.Skipped, Count{Label: safeReason(sw.det, k), N: int64(s.Skipped[k])})
	}
	types := make([]pii.Type, 0, len(s.ByType))
	for k := range s.ByType {
		types = append(types, k)
	}
	largestFirst(types, func(t pii.Type) (int64, string) { return int64(s.ByType[t]), string(t) })
	for _, k := range types {
		cls := "n"
		if pii.Info(k).Sensitive {
			cls = "sensitive"
		}
		r.ByType = append(r.ByType, Bar{Label: string(k), Segments: []Segment{{cls, int64(s.ByType[k])}}})
	}
	for _, l := range []pii.Level{pii.C3, pii.C2, pii.C1, ""} {
		key := "class." + string(l)
		if l == "" {
			key = "class.none"
		}
		r.ByClass = append(r.ByClass, Bar{Label: t.t(key), Segments: []Segment{{"n", int64(s.ByLevel[l])}}})
	}
	r.ByClass = append(r.ByClass,
		Bar{Label: t.t("class.sensitive"), Segments: []Segment{{"sensitive", int64(s.Sensitive)}}},
		Bar{Label: t.t("scan.nonpersonal"), Segments: []Segment{{"nonpersonal", int64(s.NonPersonal)}}})

	for _, f := range sw.order {
		f.score = fileScore(f)
		for typ, n := range f.types {
			f.ByType = append(f.ByType, Count{Label: string(typ), N: int64(n)})
		}
		sort.Slice(f.ByType, func(i, j int) bool { return f.ByType[i].N > f.ByType[j].N })
	}
	sort.SliceStable(sw.order, func(i, j int) bool { return sw.order[i].score > sw.order[j].score })
	for i, f := range sw.order {
		f.Anchor = fmt.Sprintf("f%d", i+1)
	}
	r.Files = sw.order[:min(len(sw.order), scanFiles)]
	r.FilesOmitted = len(sw.order) - len(r.Files) + sw.dropped
	for i, ts := range s.Tables {
		r.Tables = append(r.Tables, sw.table(ts, i))
	}
	r.First = sw.priorities()
	switch {
	case s.Findings == 0 && s.Failed == 0:
		r.Status = ScanClean
	case s.Findings == 0:
		r.Status = ScanIncomplete
	case s.ByLevel[pii.C3] > 0 || len(s.Bulk) > 0 || len(s.Minor) > 0:
		r.Status = ScanCritical
	default:
		r.Status = ScanFound
	}
	r.Incomplete = s.Failed > 0
	return r.WriteHTML(sw.w)
}

func (sw *ScanWriter) table(ts *scan.TableSummary, i int) *ScanTable {
	x := &ScanTable{Name: safeReason(sw.det, ts.Database+"/"+ts.Table), Anchor: fmt.Sprintf("t%d", i+1),
		Key: ts.Key, Rows: ts.Rows, Estimated: ts.Estimated, Sampled: ts.Sampled}
	for _, c := range ts.Columns {
		col := ScanColumn{Name: safeReason(sw.det, c.Name), Type: c.Type, Values: c.Values, Binary: c.Binary,
			Findings: c.Findings(), Skipped: c.Skipped}
		for typ, n := range c.ByType {
			col.ByType = append(col.ByType, Count{Label: string(typ), N: int64(n)})
			col.Sensitive = col.Sensitive || pii.Info(typ).Sensitive
			col.C3 = col.C3 || pii.Info(typ).Level == pii.C3
		}
		sort.Slice(col.ByType, func(i, j int) bool { return col.ByType[i].N > col.ByType[j].N })
		if c.Values > 0 {
			col.FindingsPerValue = float64(col.Findings) / float64(c.Values)
		}
		x.Findings += col.Findings
		x.Columns = append(x.Columns, col)
	}
	return x
}

// fileScore orders what to correct first: authentication data (never to be
// held), then bulk personal data and minors' data (the cases PIPL treats
// hardest), then sensitive values, then the rest, by count.
func fileScore(f *ScanFile) int {
	s := f.Findings + 10*f.Sensitive
	if f.C3 > 0 {
		s += 1_000_000_000
	}
	if f.Bulk {
		s += 100_000_000
	}
	if f.Minor {
		s += 10_000_000
	}
	return s
}

// priorities lists the most urgent places, files and table columns
// together, with why and what to do.
func (sw *ScanWriter) priorities() []Priority {
	type cand struct {
		p     Priority
		score int
	}
	var cs []cand
	t := sw.t
	for _, f := range sw.r.Files {
		why, action := []string{}, ""
		switch {
		case f.C3 > 0:
			why = append(why, t.f("scan.why.c3", f.C3))
			action = t.t("scan.do.delete")
		case f.Bulk:
			action = t.t("scan.do.bulk")
		case f.Minor:
			action = t.t("scan.do.minor")
		case f.Sensitive > 0:
			action = t.t("scan.do.redact")
		default:
			action = t.t("scan.do.review")
		}
		if f.Bulk {
			why = append(why, t.f("scan.why.bulk", f.Subjects))
		}
		if f.Minor {
			why = append(why, t.t("scan.why.minor"))
		}
		if f.Sensitive > 0 {
			why = append(why, t.f("scan.why.sensitive", f.Sensitive))
		}
		why = append(why, t.f("scan.why.count", f.Findings))
		if f.NotRedacted && (f.Sensitive > 0 || f.C3 > 0) {
			action += " " + t.t("scan.do.notredacted")
		}
		cs = append(cs, cand{Priority{Where: f.Name, Why: strings.Join(why, "; "), Action: action, Anchor: f.Anchor}, f.score})
	}
	for _, tb := range sw.r.Tables {
		for _, c := range tb.Columns {
			if c.Findings == 0 {
				continue
			}
			score := c.Findings
			why := []string{t.f("scan.why.column", c.Findings, c.Values)}
			action := t.t("scan.do.column")
			if c.Sensitive {
				score += 10 * c.Findings
				why = append(why, t.t("scan.why.sensitivecol"))
			}
			if c.C3 {
				score += 1_000_000_000
				action = t.t("scan.do.delete")
			}
			cs = append(cs, cand{Priority{Where: tb.Name + "/" + c.Name, Why: strings.Join(why, "; "), Action: action,
				Anchor: tb.Anchor}, score})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].score > cs[j].score })
	var out []Priority
	for i := 0; i < len(cs) && i < scanFirst; i++ {
		out = append(out, cs[i].p)
	}
	return out
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// WriteHTML renders the self-inspection report (see Report.WriteHTML).
func (r *ScanReport) WriteHTML(w io.Writer) error {
	return render(w, newTranslator(r.Lang), scanTemplate, r, nil)
}
