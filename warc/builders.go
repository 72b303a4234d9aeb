package warc

import (
	"sort"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/decide"
)

// request drafts the request record of an exchange.
func (w *Writer) request(ex *Exchange, date time.Time) *draft {
	d := newDraft(TypeRequest, date)
	d.add(fieldTargetURI, ex.URL)
	d.add(fieldContentType, ContentHTTPRequest)
	d.add(fieldIPAddress, ipOf(ex.RemoteAddr))
	d.add(fieldProtocol, protocol(ex.Proto))
	d.write(requestHead(ex))
	d.payload = 1 // a GET has an empty payload
	return d
}

// response drafts the response record of an exchange whose head and body
// passed the screen, or a revisit record when an identical payload is
// already archived (identical-payload-digest profile).
func (w *Writer) response(ex *Exchange, head []byte, date time.Time, req *draft) *draft {
	payload := sha256Digest(ex.Body)
	if orig, ok := w.dedup.get(payload); ok && len(ex.Body) > 0 {
		d := newDraft(TypeRevisit, date)
		d.add(fieldTargetURI, ex.URL)
		d.add(fieldContentType, ContentHTTPResponse)
		d.add(fieldIPAddress, ipOf(ex.RemoteAddr))
		d.add(fieldProtocol, protocol(ex.Proto))
		d.add(fieldProfile, RevisitProfile)
		d.add(fieldRefersTo, orig.id)
		d.add(fieldRefersToURI, orig.uri)
		d.add(fieldRefersToDate, orig.date)
		d.add(fieldPayloadDigest, payload)
		if req != nil {
			d.add(fieldConcurrentTo, req.id)
		}
		d.status, d.httpMime = ex.Status, ex.Header.Get("Content-Type")
		d.write(head)
		return d
	}
	d := newDraft(TypeResponse, date)
	d.add(fieldTargetURI, ex.URL)
	d.add(fieldContentType, ContentHTTPResponse)
	d.add(fieldIPAddress, ipOf(ex.RemoteAddr))
	d.add(fieldProtocol, protocol(ex.Proto))
	if req != nil {
		d.add(fieldConcurrentTo, req.id)
	}
	d.status, d.httpMime = ex.Status, ex.Header.Get("Content-Type")
	d.write(head)
	d.write(ex.Body)
	d.payload, d.payloadDigest = 1, payload
	return d
}

// conversion drafts the conversion record of a page: its stored,
// policy-applied text. WARC-Refers-To names the request, since no record
// holds the response it was converted from.
func conversion(uri, text string, date time.Time, req *draft) *draft {
	d := newDraft(TypeConversion, date)
	d.add(fieldTargetURI, uri)
	d.add(fieldContentType, ContentText)
	if req != nil {
		d.add(fieldRefersTo, req.id)
	}
	d.write([]byte(text))
	d.payload = 0 // the payload of a conversion record is its block (WARC 1.1 §6.3)
	return d
}

// Finding is one finding as a metadata record lists it: where it lies in
// the conversion record's text (or the title) and what the policy did.
// Values are never part of it. Start and End are -1 for a finding that
// could not be placed in the stored text; findings whose spans overlapped
// share the span of the one placeholder that masks them all.
type Finding struct {
	Type       string  `json:"type"`
	Field      string  `json:"field,omitempty"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Action     string  `json:"action"`
	Level      string  `json:"level,omitempty"`
	Sensitive  bool    `json:"sensitive"`
	Confidence float64 `json:"confidence"`
	// Consent names the consent a kept value was stored under; the value
	// itself is masked in the archive (Withheld).
	Consent  string `json:"consent,omitempty"`
	Withheld bool   `json:"withheld,omitempty"`
}

// warcText returns the title and text a WARC archives for a record, with
// their findings. It is the stored text with every value kept under a
// consent masked as a redaction would mask it: WARC files are append-only
// and cannot honour a withdrawal, so such values never enter them.
func warcText(r *scruple.Record) (title, text string, out []Finding) {
	var tf, xf []scruple.Finding
	for _, f := range r.Findings {
		if f.Field == "title" {
			tf = append(tf, f)
		} else {
			xf = append(xf, f)
		}
	}
	title, out = mask(r.Title, tf, "title", out)
	text, out = mask(r.Text, xf, "", out)
	return cleanValue(title), text, out
}

// mask returns s with every withheld value replaced by "[type]" and the
// findings placed in the result. Findings whose spans overlap (or nest) form
// one group: when any of them is withheld the whole group is masked as one
// placeholder, so no overlapping finding can leave part of a kept value
// written; adjacent spans stay apart. A finding that is not a span of s (a
// zero-length one included) is listed without a place (Start and End -1),
// and when it was kept under a consent the whole of s is withheld, since
// where its value lies is unknown.
func mask(s string, fs []scruple.Finding, field string, out []Finding) (string, []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Start != fs[j].Start {
			return fs[i].Start < fs[j].Start
		}
		return fs[i].End > fs[j].End
	})
	// A zero-length span is no place: its value lies nowhere in s.
	placed := func(f scruple.Finding) bool { return f.Start >= 0 && f.Start < f.End && f.End <= len(s) }
	consented := func(f scruple.Finding) bool { return f.Consent != "" || f.Subject != "" }
	withheld := func(f scruple.Finding) bool {
		return consented(f) || f.Action != string(decide.Keep) && s[f.Start:f.End] != "["+f.Type+"]"
	}
	listed := func(f scruple.Finding, start, end int, w bool) Finding {
		return Finding{Type: f.Type, Field: field, Start: start, End: end, Action: f.Action, Level: f.Level,
			Sensitive: f.Sensitive, Confidence: f.Confidence, Consent: f.Consent, Withheld: w && f.Action == string(decide.Keep)}
	}
	for _, f := range fs {
		if !placed(f) && consented(f) {
			// A kept value that cannot be found: nothing of s is written.
			ph := "[" + f.Type + "]"
			for _, g := range fs {
				out = append(out, listed(g, 0, len(ph), true))
			}
			return ph, out
		}
	}
	var b strings.Builder
	last := 0 // end of s written so far
	for i := 0; i < len(fs); {
		if !placed(fs[i]) {
			out = append(out, listed(fs[i], -1, -1, false))
			i++
			continue
		}
		// The group: every placed finding that overlaps the spans so far.
		start, end := fs[i].Start, fs[i].End
		j, w, typ := i, false, ""
		for ; j < len(fs); j++ {
			f := fs[j]
			if !placed(f) {
				continue
			}
			if j > i && f.Start >= end {
				break
			}
			end = max(end, f.End)
			if withheld(f) && !w {
				w, typ = true, f.Type
			}
		}
		b.WriteString(s[last:start])
		at := b.Len()
		if w {
			b.WriteString("[" + typ + "]")
		} else {
			b.WriteString(s[start:end])
		}
		for _, f := range fs[i:j] {
			switch {
			case !placed(f):
				out = append(out, listed(f, -1, -1, false))
			case w:
				out = append(out, listed(f, at, b.Len(), true))
			default:
				out = append(out, listed(f, at+f.Start-start, at+f.End-start, false))
			}
		}
		last, i = end, j
	}
	b.WriteString(s[last:])
	return b.String(), out
}

// fields is a warc-fields block (WARC 1.1 §7: "name: value" lines).
type fields struct{ b strings.Builder }

func (f *fields) add(name, value string) {
	if value == "" {
		return
	}
	f.b.WriteString(name)
	f.b.WriteString(": ")
	f.b.WriteString(cleanValue(value))
	f.b.WriteString("\r\n")
}

func (f *fields) bytes() []byte { return []byte(f.b.String()) }
