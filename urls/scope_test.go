package urls

import (
	"net/url"
	"strings"
	"testing"
)

type urlT = url.URL

func mustURL(t testing.TB, s string) *urlT {
	t.Helper()
	u, err := Canonicalize(s)
	if err != nil {
		t.Fatalf("Canonicalize(%q): %v", s, err)
	}
	return u
}

func TestScopeAllows(t *testing.T) {
	type check struct {
		url    string
		depth  int
		ok     bool
		reason string
	}
	cases := []struct {
		name   string
		cfg    ScopeConfig
		seeds  []string
		checks []check
	}{
		{
			name:  "site default mode",
			cfg:   ScopeConfig{MaxDepth: -1},
			seeds: []string{"https://www.example.co.uk/"},
			checks: []check{
				{"https://www.example.co.uk/a", 5, true, ""},
				{"http://blog.example.co.uk/", 1, true, ""},
				{"https://example.co.uk/", 1, true, ""},
				{"https://other.co.uk/", 1, false, "out of scope (site)"},
				{"https://example.com/", 1, false, "out of scope (site)"},
			},
		},
		{
			name:  "site mode private suffix",
			cfg:   ScopeConfig{Mode: "site", MaxDepth: -1},
			seeds: []string{"https://alice.github.io/"},
			checks: []check{
				{"https://alice.github.io/x", 1, true, ""},
				{"https://bob.github.io/x", 1, false, "out of scope (site)"},
			},
		},
		{
			name:  "host mode ignores scheme and port",
			cfg:   ScopeConfig{Mode: "host", MaxDepth: -1},
			seeds: []string{"https://www.site.test/", "http://other.test:8080/"},
			checks: []check{
				{"http://www.site.test/a", 1, true, ""},
				{"https://www.site.test:8443/a", 1, true, ""},
				{"https://site.test/", 1, false, "out of scope (host)"},
				{"https://api.site.test/", 1, false, "out of scope (host)"},
				{"http://other.test/", 1, true, ""},
			},
		},
		{
			name: "any mode with patterns",
			cfg: ScopeConfig{Mode: "any", MaxDepth: 3,
				Include: []string{`/docs/`, `/blog/`},
				Exclude: []string{`\.pdf$`, `[?&]utm_source=`}},
			checks: []check{
				{"https://x.test/docs/a", 0, true, ""},
				{"https://y.test/blog/b", 3, true, ""},
				{"https://y.test/blog/b", 4, false, "too deep (max 3)"},
				{"https://x.test/about", 0, false, "not included"},
				{"https://x.test/docs/a.pdf", 0, false, "excluded by pattern 1"},
				{"https://x.test/docs/?a=1&utm_source=2", 0, false, "excluded by pattern 2"},
			},
		},
		{
			name:  "depth zero admits seeds only",
			cfg:   ScopeConfig{Mode: "site"},
			seeds: []string{"http://site.test/"},
			checks: []check{
				{"http://site.test/", 0, true, ""},
				{"http://site.test/a", 1, false, "too deep (max 0)"},
			},
		},
		{
			name:  "scope checked before patterns and depth",
			cfg:   ScopeConfig{Exclude: []string{"."}, MaxDepth: 0},
			seeds: []string{"http://site.test/"},
			checks: []check{
				{"http://elsewhere.test/", 9, false, "out of scope (site)"},
				{"http://site.test/", 9, false, "excluded by pattern 1"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			for _, s := range tc.seeds {
				cfg.Seeds = append(cfg.Seeds, mustURL(t, s))
			}
			sc, err := NewScope(cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tc.checks {
				ok, reason := sc.Allows(mustURL(t, c.url), c.depth)
				if ok != c.ok || reason != c.reason {
					t.Errorf("Allows(%q, %d) = %v, %q; want %v, %q", c.url, c.depth, ok, reason, c.ok, c.reason)
				}
			}
			if ok, reason := sc.Allows(nil, 0); ok || reason != "invalid URL" {
				t.Errorf("Allows(nil) = %v, %q", ok, reason)
			}
		})
	}
}

func TestNewScopeErrors(t *testing.T) {
	seed := mustURL(t, "http://site.test/")
	cases := []struct {
		cfg  ScopeConfig
		want string // substring of the error
	}{
		{ScopeConfig{Mode: "planet", Seeds: []*urlT{seed}}, `"planet"`},
		{ScopeConfig{Mode: "site"}, "needs at least one seed"},
		{ScopeConfig{Mode: "host"}, "needs at least one seed"},
		{ScopeConfig{Seeds: []*urlT{nil}}, "seed 1"},
		{ScopeConfig{Seeds: []*urlT{seed}, Include: []string{"ok", "(unclosed"}}, `include pattern 2 "(unclosed"`},
		{ScopeConfig{Seeds: []*urlT{seed}, Exclude: []string{"[z-a]"}}, `exclude pattern 1 "[z-a]"`},
	}
	for _, tc := range cases {
		_, err := NewScope(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewScope(%+v) error = %v, want mention of %s", tc.cfg, err, tc.want)
		}
	}
	if _, err := NewScope(ScopeConfig{Mode: "any"}); err != nil {
		t.Errorf("any mode without seeds: %v", err)
	}
}
