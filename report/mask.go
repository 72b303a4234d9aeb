package report

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
)

// The bundle holds no raw personal value except those kept under a consent,
// and the report shows none at all. Two layers make sure of it: the spans
// of every finding (kept ones too) are masked in samples, and every free text
// taken from the bundle goes through the detector before it is shown, so a
// value the crawler missed, or a bundle edited by hand, still cannot reach
// the page. Masks use the crawler's own form ("[cn_mobile]").

// maskDetected replaces every value the detector finds in s by its mask.
func maskDetected(det *pii.Detector, s string) string {
	return det.Mask(s)
}

// safeReason masks a reason or other short free text and bounds its length.
func safeReason(det *pii.Detector, s string) string {
	return maskDetected(det, truncate(s, 300))
}

// safeURL masks personal values in a URL's path, query and fragment. The
// scheme and host are kept: hosts are the crawl's subject, not a person.
func safeURL(det *pii.Detector, u string) string {
	u = truncate(u, 400)
	i := strings.Index(u, "://")
	if i < 0 {
		return maskDetected(det, u)
	}
	j := strings.IndexAny(u[i+3:], "/?#")
	if j < 0 {
		return u
	}
	j += i + 3
	return u[:j] + maskDetected(det, u[j:])
}

// truncate cuts s to at most n bytes at a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// excerpt returns about limit bytes of a stored field with every finding
// masked: redacted ones already hold their mask, kept ones are replaced by
// "[type ✓]" (kept under consent: the value is in the bundle, not in the
// report). The window starts a little before the first finding, so a reader
// sees what redaction looks like. It reports whether the text was cut.
func excerpt(det *pii.Detector, text string, fs []scruple.Finding, field string, limit int) (string, bool) {
	var spans []scruple.Finding
	for _, f := range fs {
		if f.Field == field && f.Start >= 0 && f.End <= len(text) && f.Start <= f.End {
			spans = append(spans, f)
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	var b strings.Builder
	last, first := 0, -1
	for _, f := range spans {
		if f.Start < last {
			continue
		}
		b.WriteString(text[last:f.Start])
		if first < 0 {
			first = b.Len()
		}
		if f.Action == "keep" {
			b.WriteString("[" + f.Type + " ✓]")
		} else {
			b.WriteString(text[f.Start:f.End]) // its mask
		}
		last = f.End
	}
	b.WriteString(text[last:])
	m := b.String()
	start := 0
	if first > limit/3 {
		start = first - limit/4
		for start > 0 && !utf8.RuneStart(m[start]) {
			start--
		}
	}
	w := truncate(m[start:], limit)
	cut := start > 0 || len(w) < len(m)-start
	if start > 0 {
		w = "…" + w
	}
	return maskDetected(det, strings.ToValidUTF8(w, "\uFFFD")), cut
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// parsePolicyText reads a policy's canonical text (policy.Canonical) into
// decisions: "type cn_mobile personal" → "redact", "class C3" → "redact",
// "signal minor" → "keep-with-consent", "purpose-required" → "true".
func parsePolicyText(text string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 4 && f[0] == "type":
			m[f[0]+" "+f[1]+" "+f[2]] = f[3]
		case len(f) == 3 && (f[0] == "class" || f[0] == "signal"):
			m[f[0]+" "+f[1]] = f[2]
		case len(f) == 2:
			m[f[0]] = f[1]
		}
	}
	return m
}
