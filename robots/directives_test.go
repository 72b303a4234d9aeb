package robots

import "testing"

func TestParseDirectives(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		token  string
		want   Directives
	}{
		{"empty", nil, "scruple", Directives{}},
		{"noindex", []string{"noindex"}, "scruple", Directives{NoIndex: true}},
		{"nofollow-case", []string{"NoFollow"}, "scruple", Directives{NoFollow: true}},
		{"none", []string{"none"}, "scruple", Directives{true, true}},
		{"list", []string{" noindex , nofollow "}, "scruple", Directives{true, true}},
		{"noop", []string{"all", "index, follow"}, "scruple", Directives{}},
		{"index-cannot-undo", []string{"noindex", "index"}, "scruple", Directives{NoIndex: true}},
		{"several-values", []string{"noindex", "nofollow"}, "scruple", Directives{true, true}},
		{"other-agent", []string{"googlebot: noindex"}, "scruple", Directives{}},
		{"own-agent", []string{"Scruple: noindex"}, "scruple/1.0 (+x)", Directives{NoIndex: true}},
		{"agent-scope-continues", []string{"googlebot: noindex, nofollow"}, "scruple", Directives{}},
		{"agent-switch", []string{"googlebot: noindex, scruple: nofollow"}, "scruple", Directives{NoFollow: true}},
		{"unprefixed-next-value", []string{"googlebot: none", "nofollow"}, "scruple", Directives{NoFollow: true}},
		{"unavailable-after", []string{"unavailable_after: 25 Jun 2010 15:00:00 PST, noindex"}, "scruple", Directives{NoIndex: true}},
		{"max-snippet", []string{"max-snippet: 20, nofollow"}, "scruple", Directives{NoFollow: true}},
		{"date-with-colons", []string{"unavailable_after: Friday, 25-Jun-10 15:00:00 GMT, noindex"}, "scruple", Directives{NoIndex: true}},
		{"unknown", []string{"noarchive, nosnippet, noimageindex"}, "scruple", Directives{}},
	}
	for _, tc := range tests {
		if got := ParseDirectives(tc.values, tc.token); got != tc.want {
			t.Errorf("%s: ParseDirectives(%q, %q) = %+v, want %+v", tc.name, tc.values, tc.token, got, tc.want)
		}
	}
}
