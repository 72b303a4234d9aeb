package urls

import (
	"errors"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"
)

type canonCase struct {
	in   string
	want string // canonical form; empty when err is set
	err  error
}

var canonCases = []canonCase{
	// Basics and case.
	{"http://example.com", "http://example.com/", nil},
	{"HTTP://EXAMPLE.COM/Path", "http://example.com/Path", nil},
	{"https://Example.COM:443/", "https://example.com/", nil},
	{"http://example.com:80/a", "http://example.com/a", nil},
	{"https://example.com:80/", "https://example.com:80/", nil},
	{"http://example.com:443/", "http://example.com:443/", nil},
	{"http://example.com:8080/", "http://example.com:8080/", nil},
	{"http://example.com:0080/", "http://example.com/", nil},
	{"http://example.com:/", "http://example.com/", nil},
	{"http://example.com./", "http://example.com/", nil},
	{"  http://example.com/\t\n ", "http://example.com/", nil},
	{"ht\ntp://exa\tmple.com/a\rb", "http://example.com/ab", nil},
	// WHATWG slash leniency for special schemes.
	{"http:example.com/x", "http://example.com/x", nil},
	{"http:\\\\example.com\\a\\b", "http://example.com/a/b", nil},
	{"http:////example.com/", "http://example.com/", nil},
	// Fragments.
	{"http://example.com/a#frag", "http://example.com/a", nil},
	{"http://example.com/a?b=1#frag?x", "http://example.com/a?b=1", nil},
	{"http://example.com#", "http://example.com/", nil},
	// Dot segments.
	{"http://example.com/a/./b/../c", "http://example.com/a/c", nil},
	{"http://example.com/../../a", "http://example.com/a", nil},
	{"http://example.com/a/b/..", "http://example.com/a/", nil},
	{"http://example.com/a/b/.", "http://example.com/a/b/", nil},
	{"http://example.com/a/%2e/b/%2E%2e/c", "http://example.com/a/c", nil},
	{"http://example.com/a/.%2E/b", "http://example.com/b", nil},
	{"http://example.com/a/.../b", "http://example.com/a/.../b", nil},
	{"http://example.com//a//b/", "http://example.com//a//b/", nil},
	// Percent-encoding.
	{"http://example.com/%7euser", "http://example.com/~user", nil},
	{"http://example.com/%41%62%63", "http://example.com/Abc", nil},
	{"http://example.com/a%2fb", "http://example.com/a%2Fb", nil},
	{"http://example.com/a%3Fb?x=%3d", "http://example.com/a%3Fb?x=%3D", nil},
	{"http://example.com/a b", "http://example.com/a%20b", nil},
	{"http://example.com/%zz/%", "http://example.com/%25zz/%25", nil},
	{"http://example.com/caf\u00e9", "http://example.com/caf%C3%A9", nil},
	{"http://example.com/?q=caf\u00e9", "http://example.com/?q=caf%C3%A9", nil},
	{"http://example.com/a\"<>`{}|^", "http://example.com/a%22%3C%3E%60%7B%7D%7C%5E", nil},
	{"http://example.com/!$&'()*+,;=:@[]", "http://example.com/!$&'()*+,;=:@[]", nil},
	{"http://example.com/?a='b'&c=\"d\"", "http://example.com/?a=%27b%27&c=%22d%22", nil},
	{"http://example.com/?a[]=1&a[]=2", "http://example.com/?a[]=1&a[]=2", nil},
	// Query is kept in order, never sorted or pruned.
	{"http://example.com/?b=2&a=1&b=1&utm_source=x", "http://example.com/?b=2&a=1&b=1&utm_source=x", nil},
	{"http://example.com/?", "http://example.com/", nil},
	{"http://example.com/??a", "http://example.com/??a", nil},
	{"http://example.com/?a=%7e%2b", "http://example.com/?a=~%2B", nil},
	// IDN.
	{"http://B\u00fccher.example/", "http://xn--bcher-kva.example/", nil},
	{"http://xn--bcher-kva.example/", "http://xn--bcher-kva.example/", nil},
	{"http://XN--BCHER-KVA.example/", "http://xn--bcher-kva.example/", nil},
	{"http://\u4f8b\u3048.\u30c6\u30b9\u30c8/", "http://xn--r8jz45g.xn--zckzah/", nil},
	{"http://faß.de/", "http://xn--fa-hia.de/", nil},
	{"http://example\u3002com/", "http://example.com/", nil},
	{"http://\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.com/", "http://example.com/", nil},
	{"http://ex%61mple.com/", "http://example.com/", nil},
	{"http://r3---sn-abc.googlevideo.com/", "http://r3---sn-abc.googlevideo.com/", nil},
	{"http://my_host.example.com/", "http://my_host.example.com/", nil},
	{"http://xn--zz.example/", "", ErrHost},
	// IPv4 forms (WHATWG).
	{"http://2130706433/", "http://127.0.0.1/", nil},
	{"http://0x7f.1/", "http://127.0.0.1/", nil},
	{"http://0177.0.0.1/", "http://127.0.0.1/", nil},
	{"http://0x7F000001/", "http://127.0.0.1/", nil},
	{"http://127.1/", "http://127.0.0.1/", nil},
	{"http://192.168.257/", "http://192.168.1.1/", nil},
	{"http://1.2.3.4./", "http://1.2.3.4/", nil},
	{"http://0x/", "http://0.0.0.0/", nil},
	{"http://256.0.0.1/", "", ErrHost},
	{"http://1.2.3.4.5/", "", ErrHost},
	{"http://09.1/", "", ErrHost},
	{"http://1..2/", "", ErrHost},
	{"http://4294967296/", "", ErrHost},
	{"http://foo.0x1g/", "http://foo.0x1g/", nil},
	// IPv6.
	{"http://[::1]/", "http://[::1]/", nil},
	{"http://[0:0:0:0:0:0:0:1]:8080/", "http://[::1]:8080/", nil},
	{"http://[2001:DB8::A]/", "http://[2001:db8::a]/", nil},
	{"http://[2001:db8:0:0:1:0:0:1]/", "http://[2001:db8::1:0:0:1]/", nil},
	{"http://[::ffff:1.2.3.4]/", "http://[::ffff:102:304]/", nil},
	{"https://[::1]:443/", "https://[::1]/", nil},
	{"http://[fe80::1%25eth0]/", "", ErrHost},
	{"http://[::1/", "", ErrHost},
	{"http://[1:2:3]/", "", ErrHost},
	// Credentials.
	{"http://user:pass@example.com/", "", ErrCredentials},
	{"http://user@example.com/", "", ErrCredentials},
	{"http://@example.com/", "", ErrCredentials},
	{"https://a:b@[::1]:8080/", "", ErrCredentials},
	// Other schemes.
	{"mailto:someone@example.com", "", ErrScheme},
	{"tel:+15555550100", "", ErrScheme},
	{"javascript:alert(1)", "", ErrScheme},
	{"JavaScript:void(0)", "", ErrScheme},
	{"data:text/html,hi", "", ErrScheme},
	{"ftp://example.com/", "", ErrScheme},
	{"file:///etc/passwd", "", ErrScheme},
	// Bad hosts and ports.
	{"http:///", "", ErrHost},
	{"http://", "", ErrHost},
	{"http://:80/", "", ErrHost},
	{"http://exa mple.com/", "", ErrHost},
	{"http://exa<mple.com/", "", ErrHost},
	{"http://a..b/", "", ErrHost},
	{"http://example.com:65536/", "", ErrPort},
	{"http://example.com:8x/", "", ErrPort},
	{"http://" + strings.Repeat("a", 64) + ".com/", "", ErrHost},
	// Not absolute.
	{"example.com/path", "", ErrNotAbsolute},
	{"/path", "", ErrNotAbsolute},
	{"", "", ErrNotAbsolute},
	// Length.
	{"http://example.com/" + strings.Repeat("a", 2030), "", ErrTooLong},
	{"http://example.com/" + strings.Repeat("%41", 600), "http://example.com/" + strings.Repeat("A", 600), nil},
}

func TestCanonicalize(t *testing.T) {
	for _, tc := range canonCases {
		u, err := Canonicalize(tc.in)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("Canonicalize(%q) error = %v, want %v", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Canonicalize(%q) unexpected error: %v", tc.in, err)
			continue
		}
		if got := u.String(); got != tc.want {
			t.Errorf("Canonicalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestIdempotent checks the property on every successful table case and on
// every successful resolution case.
func TestIdempotent(t *testing.T) {
	var inputs []string
	for _, tc := range canonCases {
		inputs = append(inputs, tc.in)
	}
	for _, tc := range resolveCases {
		inputs = append(inputs, tc.ref)
	}
	base, _ := Canonicalize("http://a.test/b/c/d;p?q")
	for _, in := range inputs {
		for _, u := range []func() (*url.URL, error){
			func() (*url.URL, error) { return Canonicalize(in) },
			func() (*url.URL, error) { return Resolve(base, in) },
		} {
			first, err := u()
			if err != nil {
				continue
			}
			checkFixedPoint(t, first.String())
		}
	}
}

func checkFixedPoint(t *testing.T, s string) {
	t.Helper()
	again, err := Canonicalize(s)
	if err != nil {
		t.Fatalf("re-canonicalising %q failed: %v", s, err)
	}
	if again.String() != s {
		t.Fatalf("not idempotent: %q -> %q", s, again.String())
	}
}

func TestCanonicalizerMaxLength(t *testing.T) {
	c := Canonicalizer{MaxLength: 30}
	if _, err := c.Canonicalize("http://example.com/123456789"); err != nil {
		t.Fatalf("29 bytes should pass: %v", err)
	}
	if _, err := c.Canonicalize("http://example.com/1234567890ab"); !errors.Is(err, ErrTooLong) {
		t.Fatalf("31 bytes: err = %v, want ErrTooLong", err)
	}
	// Absurdly long input is refused before parsing.
	if _, err := c.Canonicalize("http://example.com/#" + strings.Repeat("x", 1000)); !errors.Is(err, ErrTooLong) {
		t.Fatalf("huge raw input: err = %v, want ErrTooLong", err)
	}
}

func TestErrorsRedactQuery(t *testing.T) {
	for _, in := range []string{
		"http://user:secret@example.com/p?email=alice@example.org",
		"http://example.com:99999/p?email=alice@example.org",
		"http://exa mple.com/p?email=alice@example.org",
		"http://example.com/" + strings.Repeat("a", 3000) + "?email=alice@example.org",
		"mailto:alice@example.org?subject=hi",
	} {
		_, err := Canonicalize(in)
		if err == nil {
			t.Fatalf("Canonicalize(%q) succeeded", in)
		}
		msg := err.Error()
		for _, secret := range []string{"alice", "secret", "email=", "user:"} {
			if strings.Contains(msg, secret) {
				t.Errorf("error for %q leaks %q: %s", in, secret, msg)
			}
		}
	}
	_, err := Canonicalize("http://u:p@example.com/")
	if err == nil || !strings.Contains(err.Error(), "credentials in URLs are never used") {
		t.Errorf("credential error message = %v", err)
	}
}

// TestIdempotentRandom assembles URLs from awkward fragments with a fixed
// seed, so failures reproduce, and checks the fixed-point property.
func TestIdempotentRandom(t *testing.T) {
	pieces := []string{
		"http://", "https://", "HTTP:", "//", "\\", "a.test", "Bücher.example", "0x7f.1", "[::1]",
		"[::ffff:1.2.3.4]", ":80", ":443", ":8080", ":", "/", "//", ".", "..", "%2e", "%2E%2e", "%",
		"%4", "%41", "%7e", "%2f", "%zz", "?", "#", "&", "=", " ", "\t", "é", "\u00a0", "\xff",
		"'", "\"", "<", "|", "^", "`", "{", "}", "[", "]", "@", "a", "Z", "~", ";", "xn--", "。",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	ok := 0
	for range 20000 {
		var b strings.Builder
		b.WriteString([]string{"http://", "https://"}[rng.IntN(2)])
		for n := rng.IntN(12); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		u, err := Canonicalize(b.String())
		if err != nil {
			continue
		}
		ok++
		checkFixedPoint(t, u.String())
	}
	if ok < 1000 {
		t.Errorf("only %d of 20000 random URLs canonicalised; generator too hostile", ok)
	}
}

// TestCanonicalizeDropsSessionIDs: well-known session identifiers, in the
// query, as path parameters or as ASP.NET cookieless segments, are not part
// of a page's identity.
func TestCanonicalizeDropsSessionIDs(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://a.test/p?sid=abcdef123456&x=1", "http://a.test/p?x=1"},
		{"http://a.test/p?sid=3", "http://a.test/p?sid=3"},
		{"http://a.test/p?JSESSIONID=A1B2C3", "http://a.test/p"},
		{"http://a.test/p?PHPSESSID=abc&page=2", "http://a.test/p?page=2"},
		{"http://a.test/p?ASP.NET_SessionId=zz1&q=a", "http://a.test/p?q=a"},
		{"http://a.test/p?CFID=12&CFTOKEN=3456&q=a", "http://a.test/p?q=a"},
		{"http://a.test/p?ASPSESSIONIDQQGGQGPB=KLMN", "http://a.test/p"},
		{"http://a.test/shop/item;jsessionid=0A1B2C3D?id=7", "http://a.test/shop/item?id=7"},
		{"http://a.test/shop/item;jsessionid=0A1B2C3D;v=2", "http://a.test/shop/item;v=2"},
		{"http://a.test/(S(lit3py55t21z5v55vlm25s55))/default.aspx", "http://a.test/default.aspx"},
		{"http://a.test/p?sessionid=1&sessionid=2", "http://a.test/p"},
	} {
		u, err := Canonicalize(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if u.String() != tc.want {
			t.Errorf("Canonicalize(%s) = %s, want %s", tc.in, u, tc.want)
		}
	}
}

func TestURLYear(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in     string
		year   int
		future bool
	}{
		{"http://a.test/cal/2026/11", 2026, false},
		{"http://a.test/cal/2031/1", 2031, true},
		{"http://a.test/events?date=2040-02-03", 2040, true},
		{"http://a.test/news/2015/03/story.html", 2015, false},
		{"http://a.test/archive/2029", 0, false},
		{"http://a.test/archive?year=2029", 2029, true},
		{"http://a.test/item/4096/reviews", 0, false},
		{"http://a.test/d/20300101", 2030, true},
		{"http://a.test/p?id=2099", 0, false},
		{"http://a.test/p?id=20991", 0, false},
	} {
		u, _ := Canonicalize(tc.in)
		y, ok := URLYear(u)
		if (tc.year != 0) != ok || y != tc.year {
			t.Errorf("URLYear(%s) = %d, %v; want %d", tc.in, y, ok, tc.year)
		}
		if got := FutureDate(u, now, 2) != ""; got != tc.future {
			t.Errorf("FutureDate(%s) = %v, want %v", tc.in, got, tc.future)
		}
	}
}
