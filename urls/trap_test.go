package urls

import (
	"strings"
	"testing"
)

func TestTrapGuard(t *testing.T) {
	def := NewTrapGuard(TrapLimits{})
	cases := []struct {
		name  string
		guard *TrapGuard
		url   string
		want  string // "" or a prefix of the reason
	}{
		{"root", def, "http://a.test/", ""},
		{"normal", def, "http://a.test/blog/2024/01/02/post?page=2", ""},
		{"three repeats ok", def, "http://a.test/a/a/a", ""},
		{"four repeats", def, "http://a.test/a/a/a/a", `trap: path segment "a" repeated 4 times`},
		{"scattered repeats", def, "http://a.test/x/a/y/a/z/a/w/a/", `trap: path segment "a" repeated 4 times`},
		{"cycle 2x2 ok", def, "http://a.test/x/y/x/y", ""},
		{"cycle 3x2", def, "http://a.test/x/y/x/y/x/y", `trap: path cycle "x/y" repeated 3 times`},
		{"cycle 4x2 caught", def, "http://a.test/x/y/x/y/x/y/x/y", "trap: "},
		{"cycle of three", def, "http://a.test/p/q/r/s/q/r/s/q/r/s/t", `trap: path cycle "q/r/s" repeated 3 times`},
		{"calendar", def, "http://a.test/cal/2024/01/cal/2024/02/cal/2024/03", ""},
		{"too many segments", def, "http://a.test/" + segs(33), "trap: 33 path segments (max 32)"},
		{"32 segments ok", def, "http://a.test/" + segs(32), ""},
		{"too long", def, "http://a.test/" + strings.Repeat("x", 2100), "trap: URL length 2114 exceeds 2048"},
		{"too many params", def, "http://a.test/?" + params(33), "trap: 33 query parameters (max 32)"},
		{"semicolon params", def, "http://a.test/?" + strings.Repeat("a=1;", 40), "trap: 40 query parameters"},
		{"32 params ok", def, "http://a.test/?" + params(32), ""},
		{"custom repeat", NewTrapGuard(TrapLimits{MaxRepeatedSegment: 1}), "http://a.test/a/b/a", `trap: path segment "a" repeated 2 times`},
		{"disabled repeat", NewTrapGuard(TrapLimits{MaxRepeatedSegment: -1, MaxCycleRepeats: -1}), "http://a.test/a/a/a/a/a", ""},
		{"long segment truncated", def, "http://a.test/" + strings.Repeat(strings.Repeat("z", 50)+"/", 4), `trap: path segment "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz..." repeated 4 times`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// A generous canonicaliser, so the guard's own length check is reached.
			u, err := Canonicalizer{MaxLength: 1 << 16}.Canonicalize(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			got := tc.guard.Check(u)
			if tc.want == "" && got != "" || tc.want != "" && !strings.HasPrefix(got, tc.want) {
				t.Errorf("Check(%s) = %q, want %q", tc.url, got, tc.want)
			}
		})
	}
	if def.Check(nil) == "" {
		t.Error("nil URL passed")
	}
}

func TestTrapReasonHidesQuery(t *testing.T) {
	u := mustURL(t, "http://a.test/?"+strings.Repeat("email=alice@example.org&", 40))
	if r := NewTrapGuard(TrapLimits{}).Check(u); r == "" || strings.Contains(r, "alice") {
		t.Errorf("reason = %q", r)
	}
}

func segs(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = "s" + strings.Repeat("x", i%5) + string(rune('a'+i%26))
	}
	return strings.Join(s, "/")
}

func params(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = "p" + string(rune('a'+i%26)) + "=1"
	}
	return strings.Join(s, "&")
}
