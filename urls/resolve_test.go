package urls

import (
	"errors"
	"net/url"
	"testing"
)

type resolveCase struct {
	ref  string
	want string
	err  error
}

// resolveCases are RFC 3986 §5.4 examples (base http://a.test/b/c/d;p?q)
// adapted to WHATWG results, plus crawler-specific cases.
var resolveCases = []resolveCase{
	{"g", "http://a.test/b/c/g", nil},
	{"./g", "http://a.test/b/c/g", nil},
	{"g/", "http://a.test/b/c/g/", nil},
	{"/g", "http://a.test/g", nil},
	{"//g", "http://g/", nil},
	{"//G.test:80/x", "http://g.test/x", nil},
	{"\\\\g.test\\x", "http://g.test/x", nil},
	{"///g.test/x", "http://g.test/x", nil},
	{"?y", "http://a.test/b/c/d;p?y", nil},
	{"g?y", "http://a.test/b/c/g?y", nil},
	{"#s", "http://a.test/b/c/d;p?q", nil},
	{"g#s", "http://a.test/b/c/g", nil},
	{"g?y#s", "http://a.test/b/c/g?y", nil},
	{";x", "http://a.test/b/c/;x", nil},
	{"g;x", "http://a.test/b/c/g;x", nil},
	{"", "http://a.test/b/c/d;p?q", nil},
	{".", "http://a.test/b/c/", nil},
	{"./", "http://a.test/b/c/", nil},
	{"..", "http://a.test/b/", nil},
	{"../", "http://a.test/b/", nil},
	{"../g", "http://a.test/b/g", nil},
	{"../..", "http://a.test/", nil},
	{"../../g", "http://a.test/g", nil},
	{"../../../g", "http://a.test/g", nil},
	{"../../../../g", "http://a.test/g", nil},
	{"/./g", "http://a.test/g", nil},
	{"/../g", "http://a.test/g", nil},
	{"g.", "http://a.test/b/c/g.", nil},
	{".g", "http://a.test/b/c/.g", nil},
	{"g..", "http://a.test/b/c/g..", nil},
	{"..g", "http://a.test/b/c/..g", nil},
	{"./../g", "http://a.test/b/g", nil},
	{"./g/.", "http://a.test/b/c/g/", nil},
	{"g/./h", "http://a.test/b/c/g/h", nil},
	{"g/../h", "http://a.test/b/c/h", nil},
	{"http:g", "http://a.test/b/c/g", nil},
	{"http:/g", "http://a.test/g", nil},
	{"http://other.test/x", "http://other.test/x", nil},
	{"https:g", "https://g/", nil},
	{"HTTPS://Other.Test/x#y", "https://other.test/x", nil},
	{"  /spaced path ", "http://a.test/spaced%20path", nil},
	{"caf\u00e9?q=\u00fc", "http://a.test/b/c/caf%C3%A9?q=%C3%BC", nil},
	{"mailto:x@y.test", "", ErrScheme},
	{"javascript:void(0)", "", ErrScheme},
	{"tel:123", "", ErrScheme},
	{"data:,x", "", ErrScheme},
	{"//user:pw@evil.test/", "", ErrCredentials},
	{"//[::1", "", ErrHost},
}

func TestResolve(t *testing.T) {
	base, err := url.Parse("http://a.test/b/c/d;p?q")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range resolveCases {
		u, err := Resolve(base, tc.ref)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("Resolve(%q) error = %v, want %v", tc.ref, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Resolve(%q) unexpected error: %v", tc.ref, err)
			continue
		}
		if got := u.String(); got != tc.want {
			t.Errorf("Resolve(%q) = %q, want %q", tc.ref, got, tc.want)
		}
	}
}

func TestResolveBadBase(t *testing.T) {
	for _, b := range []string{"mailto:x@y.test", "ftp://a.test/", "http://u:p@a.test/", "/relative"} {
		base, _ := url.Parse(b)
		if _, err := Resolve(base, "g"); err == nil {
			t.Errorf("Resolve with base %q succeeded", b)
		}
	}
	if _, err := Resolve(nil, "g"); !errors.Is(err, ErrBase) {
		t.Errorf("nil base: err = %v", err)
	}
}

func TestResolveHTTPSBase(t *testing.T) {
	base, _ := Canonicalize("https://a.test/x/")
	u, err := Resolve(base, "//b.test/y")
	if err != nil || u.String() != "https://b.test/y" {
		t.Fatalf("got %v, %v", u, err)
	}
}
