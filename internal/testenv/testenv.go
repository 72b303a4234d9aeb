// Package testenv decides what a test does when a real component it needs
// (PostgreSQL, Chromium, the warcio reader) is absent. On a developer's
// machine it skips with a message; in CI, where .ci/run installs the
// component and names it in SCRUPLE_REQUIRE, a missing component fails the
// test instead, so that a broken install cannot turn a suite green by
// skipping the checks that matter.
package testenv

import (
	"os"
	"strings"
	"testing"
)

// Missing skips t (or fails it when SCRUPLE_REQUIRE names component) because
// component is not available; why says what is missing and how to get it.
func Missing(t testing.TB, component, why string) {
	t.Helper()
	if Required(component) {
		t.Fatalf("%s is required here (SCRUPLE_REQUIRE=%s) but missing: %s", component, os.Getenv("SCRUPLE_REQUIRE"), why)
	}
	t.Skip(why)
}

// Required reports whether SCRUPLE_REQUIRE (a comma-separated list, or
// "all") names component.
func Required(component string) bool {
	for _, c := range strings.Split(os.Getenv("SCRUPLE_REQUIRE"), ",") {
		c = strings.TrimSpace(c)
		if c == "all" || strings.EqualFold(c, component) {
			return true
		}
	}
	return false
}
