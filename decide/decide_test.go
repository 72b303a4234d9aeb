package decide

import (
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
)

func TestPageRedactsSensitiveKeepsOthers(t *testing.T) {
	d := New(pii.New(pii.Options{}), nil)
	text := "联系人手机13812345678，身份证号11010519491231002X，密码：hunter2abc"
	p := d.Page("标题 11010519491231002X", text)
	if strings.Contains(p.Text, "11010519491231002X") || strings.Contains(p.Title, "11010519491231002X") {
		t.Fatal("resident ID kept raw")
	}
	if strings.Contains(p.Text, "13812345678") {
		t.Fatal("mobile number kept without a consent")
	}
	seen := map[string]bool{}
	for _, f := range p.Findings {
		seen[f.Type+"/"+f.Action] = true
		src := p.Text
		if f.Field == "title" {
			src = p.Title
		}
		if f.Start < 0 || f.End > len(src) || f.Start >= f.End {
			t.Fatalf("%s: span %d..%d out of range", f.Type, f.Start, f.End)
		}
		if f.Action == string(Redact) && src[f.Start:f.End] != "["+f.Type+"]" {
			t.Errorf("%s: span does not cover its mask", f.Type)
		}
	}
	for _, want := range []string{"cn_resident_id/redact", "cn_mobile/redact", "credential/redact"} {
		if !seen[want] {
			t.Errorf("missing finding %s; got %v", want, seen)
		}
	}
}

type keepAll struct{}

func (keepAll) Finding(pii.Finding, pii.Signals) Verdict { return Verdict{Action: Keep} }
func (keepAll) Page(pii.Signals) (bool, string)          { return false, "" }

func TestRulesSeam(t *testing.T) {
	d := New(pii.New(pii.Options{}), keepAll{})
	p := d.Page("", "身份证号11010519491231002X")
	if !strings.Contains(p.Text, "11010519491231002X") {
		t.Fatal("rules said keep but the value was redacted")
	}
}

func TestURLMasking(t *testing.T) {
	d := New(pii.New(pii.Options{}), nil)
	cases := []struct {
		in       string
		personal bool
		masked   string
	}{
		{"http://a.test/user/11010519491231002X", true, "http://a.test/user/[cn_resident_id]"},
		{"http://a.test/contact?phone=13812345678", true, "http://a.test/contact?phone=[cn_mobile]"},
		{"http://a.test/m?mail=zhang.san%40example.com", true, ""},
		{"http://a.test/p/12345.html", false, "http://a.test/p/12345.html"},
		{"http://a.test/2026/11/27/news.html", false, "http://a.test/2026/11/27/news.html"},
	}
	for _, c := range cases {
		m, personal := d.URL(c.in)
		if personal != c.personal {
			t.Errorf("%s: personal=%v", c.masked, personal)
		}
		if c.masked != "" && m != c.masked {
			t.Errorf("masked %q, want %q", m, c.masked)
		}
		if personal && (strings.Contains(m, "11010519491231002X") || strings.Contains(m, "13812345678") || strings.Contains(m, "zhang.san")) {
			t.Errorf("mask leaves a value: %q", m)
		}
	}
}
