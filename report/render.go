package report

import (
	"bufio"
	_ "embed"
	"html/template"
	"io"
	"strings"
	"time"
)

//go:embed template.html
var pageTemplate string

//go:embed head.html
var pageHead string

//go:embed scan_template.html
var scanTemplate string

//go:embed style.css
var pageCSS string

// WriteHTML renders the report as one self-contained HTML page: inline CSS
// and SVG, no script, and a Content-Security-Policy that forbids every load,
// so a reader's browser sends no request even for a URL quoted in the page.
func (r *Report) WriteHTML(w io.Writer) error {
	return r.writeHTML(w, newTranslator(r.Lang))
}

func (r *Report) writeHTML(w io.Writer, t *translator) error {
	return render(w, t, pageTemplate, r, func(funcs template.FuncMap) {
		funcs["countStatus"] = func(s string) int {
			n := 0
			for _, x := range r.Checklist {
				if string(x.Status) == s {
					n++
				}
			}
			return n
		}
	})
}

// render executes a page template with the report's functions; extra adds
// page-specific ones.
func render(w io.Writer, t *translator, page string, data any, extra func(template.FuncMap)) error {
	funcs := t.funcs()
	if extra != nil {
		extra(funcs)
	}
	tmpl, err := template.New("page").Funcs(funcs).Parse(page)
	if err == nil {
		_, err = tmpl.Parse(pageHead)
	}
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := tmpl.Execute(bw, data); err != nil {
		return err
	}
	return bw.Flush()
}

// funcs are the template functions: translation, number, time and duration
// formats, and the charts.
func (t *translator) funcs() template.FuncMap {
	return template.FuncMap{
		"t":        t.t,
		"kind":     t.kind,
		"f":        t.f,
		"htmlLang": func() string { return map[string]string{"zh": "zh-CN", "en": "en"}[t.lang] },
		"css":      func() template.CSS { return template.CSS(pageCSS) },
		"n": func(v any) string {
			switch x := v.(type) {
			case int:
				return t.n(int64(x))
			case int64:
				return t.n(x)
			}
			return ""
		},
		"time": t.time,
		"dur":  dur,
		"gap": func(d time.Duration) string {
			if d < 0 {
				return "—"
			}
			return dur(d)
		},
		"sum": func(cs []Count) int64 {
			var n int64
			for _, c := range cs {
				n += c.N
			}
			return n
		},
		"politeClass": func(s PoliteStatus) string {
			return map[PoliteStatus]string{PoliteOK: "pass", PoliteFast: "fail", PoliteUnknown: "warn"}[s]
		},
		"ref":   func(anchor string) string { return "#" + strings.TrimPrefix(anchor, "e") },
		"short": short,
		"add1":  func(i int) int { return i + 1 },
		"head": func(title, brand, subjectLabel, subject, tool string, at time.Time) pageHeader {
			return pageHeader{title, brand, subjectLabel, subject, tool, at}
		},
		"bytes":    t.bytes,
		"barChart": t.barChart,
		"legend":   t.legend,
		"timeline": t.timeline,
	}
}

// pageHeader is what the shared head of both pages shows.
type pageHeader struct {
	Title, Brand, SubjectLabel, Subject, Tool string
	GeneratedAt                               time.Time
}
