package report

import (
	"fmt"
	"html/template"
	"sort"
	"strings"
	"time"
)

// Charts are inline SVG written here, not by a charting library: a few
// rectangles and labels need no dependency, print sharply at any size and
// load nothing. Colours are attributes, not classes, so a chart copied out of
// the page keeps them.

// segColours are the fills of bar segments, by class.
var segColours = map[string]string{
	ActRedacted: "#4a6fa5", ActConsent: "#d9822b", ActKept: "#6b8f71", ActDropped: "#a33b3b", "n": "#4a6fa5",
	"sensitive": "#a33b3b", "nonpersonal": "#6b8f71",
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// barChart draws horizontal stacked bars with their totals.
func (t *translator) barChart(title string, bars []Bar) template.HTML {
	const width, labelW, barH, gap, top = 680, 230, 18, 7, 4
	if len(bars) == 0 {
		return template.HTML(`<p class="muted">` + esc(t.t("none")) + `</p>`)
	}
	var maxN int64 = 1
	for _, b := range bars {
		maxN = max(maxN, b.Total())
	}
	plot := float64(width - labelW - 70)
	h := top + len(bars)*(barH+gap)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`,
		esc(title), width, h, width, h)
	fmt.Fprintf(&b, `<title>%s</title>`, esc(title))
	for i, bar := range bars {
		y := top + i*(barH+gap)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="12" fill="#222">%s</text>`,
			labelW-8, y+barH-5, esc(truncateRunes(bar.Label, 34)))
		x := float64(labelW)
		for _, s := range bar.Segments {
			if s.N == 0 {
				continue
			}
			w := plot * float64(s.N) / float64(maxN)
			if w < 1.5 {
				w = 1.5 // a count of one stays visible
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %s</title></rect>`,
				x, y, w, barH, segColours[s.Class], esc(bar.Label+" · "+t.t("seg."+s.Class)), t.n(s.N))
			x += w
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" fill="#222">%s</text>`, x+6, y+barH-5, t.n(bar.Total()))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// legend lists the segment classes a set of bars uses.
func (t *translator) legend(classes ...string) template.HTML {
	var b strings.Builder
	b.WriteString(`<p class="legend">`)
	for _, c := range classes {
		fmt.Fprintf(&b, `<span><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="%s"/></svg> %s</span>`,
			segColours[c], esc(t.t("seg."+c)))
	}
	b.WriteString(`</p>`)
	return template.HTML(b.String())
}

// eventColours are the marks of the timeline, by event kind.
var eventColours = map[string]string{
	"purge": "#4a6fa5", "withdrawal": "#d9822b", "refusal": "#a33b3b", "expiry": "#7a5c99", "grant": "#6b8f71", "sweep": "#888",
}

// timeline draws purge and consent events on a time axis, one lane per kind.
func (t *translator) timeline(events []Event) template.HTML {
	if len(events) == 0 {
		return ""
	}
	lanes := map[string]int{}
	var kinds []string
	from, to := events[0].At, events[0].At
	for _, e := range events {
		if _, ok := lanes[e.Kind]; !ok {
			lanes[e.Kind] = 0
			kinds = append(kinds, e.Kind)
		}
		if e.At.Before(from) {
			from = e.At
		}
		if e.At.After(to) {
			to = e.At
		}
	}
	order := map[string]int{"grant": 0, "withdrawal": 1, "refusal": 2, "expiry": 3, "sweep": 4, "purge": 5}
	sort.Slice(kinds, func(i, j int) bool { return order[kinds[i]] < order[kinds[j]] })
	for i, k := range kinds {
		lanes[k] = i
	}
	const width, labelW, laneH, axis = 640, 120, 22, 30
	span := to.Sub(from)
	if span <= 0 {
		span = time.Second
	}
	plot := float64(width - labelW - 20)
	h := len(kinds)*laneH + axis
	var b strings.Builder
	title := t.t("timeline")
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		esc(title), width, h, width, h, esc(title))
	for i, k := range kinds {
		y := i*laneH + laneH/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="12" fill="#222">%s</text>`, labelW-8, y+4, esc(t.t("event."+k)))
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#ddd"/>`, labelW, width-10, y, y)
	}
	for _, e := range events {
		x := float64(labelW) + plot*float64(e.At.Sub(from))/float64(span)
		y := lanes[e.Kind]*laneH + laneH/2
		fmt.Fprintf(&b, `<a href="#ev-%d"><circle cx="%.1f" cy="%d" r="5" fill="%s" fill-opacity="0.8"><title>%s %s</title></circle></a>`,
			e.Index, x, y, eventColours[e.Kind], esc(t.t("event."+e.Kind)), esc(t.time(e.At)))
	}
	ay := len(kinds) * laneH
	fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#888"/>`, labelW, width-10, ay+4, ay+4)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#555">%s</text>`, labelW, ay+20, esc(t.time(from)))
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#555" text-anchor="end">%s</text>`, width-10, ay+20, esc(t.time(to)))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// truncateRunes cuts s to n characters, marking the cut.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
