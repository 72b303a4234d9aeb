package urls

import (
	"net/url"
	"strings"
	"testing"
)

// checkCanonical asserts the guarantees every successful result must meet.
func checkCanonical(t *testing.T, in string, u *url.URL) {
	t.Helper()
	s := u.String()
	if u.Scheme != "http" && u.Scheme != "https" {
		t.Fatalf("%q: scheme %q", in, u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		t.Fatalf("%q: empty host in %q", in, s)
	}
	if u.User != nil || u.Fragment != "" || u.RawFragment != "" {
		t.Fatalf("%q: userinfo or fragment survived in %q", in, s)
	}
	if len(s) > DefaultMaxLength {
		t.Fatalf("%q: result longer than limit: %d", in, len(s))
	}
	again, err := Canonicalize(s)
	if err != nil {
		t.Fatalf("%q -> %q does not re-canonicalise: %v", in, s, err)
	}
	if again.String() != s {
		t.Fatalf("%q: not idempotent: %q -> %q", in, s, again.String())
	}
}

func FuzzCanonicalize(f *testing.F) {
	for _, tc := range canonCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		u, err := Canonicalize(in)
		if err != nil {
			if u != nil {
				t.Fatalf("%q: non-nil URL with error", in)
			}
			if strings.Contains(in, "?") {
				q := in[strings.IndexByte(in, '?'):]
				if len(q) > 8 && strings.Contains(err.Error(), q) {
					t.Fatalf("%q: error leaks query: %v", in, err)
				}
			}
			return
		}
		checkCanonical(t, in, u)
	})
}

func FuzzResolve(f *testing.F) {
	for _, tc := range resolveCases {
		f.Add("http://a.test/b/c/d;p?q", tc.ref)
	}
	f.Add("https://[::1]:8443/x/", "../../y?z#w")
	f.Add("http://xn--bcher-kva.example/", "//B\u00fccher.example/%2e%2E/")
	f.Fuzz(func(t *testing.T, baseStr, ref string) {
		base, err := Canonicalize(baseStr)
		if err != nil {
			return
		}
		u, err := Resolve(base, ref)
		if err != nil {
			return
		}
		checkCanonical(t, ref, u)
	})
}
