package testenv

import "testing"

func TestRequired(t *testing.T) {
	for _, tc := range []struct {
		env, comp string
		want      bool
	}{
		{"", "postgres", false},
		{"postgres", "postgres", true},
		{"chromium, warcio", "warcio", true},
		{"chromium,warcio", "postgres", false},
		{"all", "chromium", true},
		{"Postgres", "postgres", true},
		{"postgresql", "postgres", false},
	} {
		t.Setenv("SCRUPLE_REQUIRE", tc.env)
		if got := Required(tc.comp); got != tc.want {
			t.Errorf("SCRUPLE_REQUIRE=%q Required(%q) = %v, want %v", tc.env, tc.comp, got, tc.want)
		}
	}
}
