package robots

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, tc := range matchCases {
		f.Add([]byte(tc.txt), tc.path)
	}
	f.Add([]byte("\xef\xbb\xbfUser-agent: *\r\nDisallow: /%zz*ü$\rAllow: /%7e\n"), "/~%C3%bc?x#y")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := Parse(body)
		for _, agent := range []string{"scruple", "FooBot", "*", ""} {
			v1 := r.Test(agent, path)
			v2 := r.Test(agent, path)
			if v1 != v2 {
				t.Fatalf("Test not deterministic: %+v vs %+v", v1, v2)
			}
			if v1.Rule == "" && !v1.Allowed {
				t.Fatalf("disallowed without a rule: %+v", v1)
			}
			if !v1.Allowed && (v1.Line < 1 || !strings.HasPrefix(v1.Rule, "Disallow")) {
				t.Fatalf("bad disallow verdict %+v", v1)
			}
			if !r.Test(agent, "/robots.txt").Allowed {
				t.Fatal("/robots.txt disallowed")
			}
			_ = r.CrawlDelay(agent)
		}
		_ = r.Sitemaps()
	})
}

// refMatch is a straightforward dynamic-programming matcher used as the
// oracle for pattern.match: "*" matches any octets, a final "$" anchors.
func refMatch(pat, target string) bool {
	anchored := strings.HasSuffix(pat, "$")
	if anchored {
		pat = pat[:len(pat)-1]
	}
	// prev[j]: pat[:i] matches target[:j].
	prev := make([]bool, len(target)+1)
	prev[0] = true
	for i := 0; i < len(pat); i++ {
		cur := make([]bool, len(target)+1)
		for j := 0; j <= len(target); j++ {
			if pat[i] == '*' {
				cur[j] = prev[j] || (j > 0 && cur[j-1])
			} else {
				cur[j] = j > 0 && prev[j-1] && target[j-1] == pat[i]
			}
		}
		prev = cur
	}
	if anchored {
		return prev[len(target)]
	}
	for _, ok := range prev {
		if ok {
			return true
		}
	}
	return false
}

func FuzzMatch(f *testing.F) {
	seeds := [][2]string{
		{"/fish*.php", "/fishheads/catfish.php?x"},
		{"/*.php$", "/a.php"},
		{"/a*b*c$", "/abcbc"},
		{"*", "/"},
		{"/a$b$", "/a$b"},
		{"/ü*%7e", "/%C3%BC/~"},
		{"/%", "/%25"},
		{"**$", "/x"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, rawPat, rawPath string) {
		n := normalize(rawPat)
		if normalize(n) != n {
			t.Fatalf("normalize not idempotent: %q -> %q -> %q", rawPat, n, normalize(n))
		}
		target := normalizeTarget(rawPath)
		if normalize(target) != target {
			t.Fatalf("target not canonical: %q", target)
		}
		p := compilePattern(rawPat)
		got := p.match(target)
		want := rawPat != "" && refMatch(n, target)
		if got != want {
			t.Fatalf("match(%q [%q], %q) = %v, want %v", rawPat, n, target, got, want)
		}
	})
}
