package urls

import (
	"net/url"
	"strings"
	"testing"
)

var maskCases = []struct{ in, want string }{
	{"http://127.0.0.1/a?b=1", "http://127.0.0.1/a?b=1"},
	{"http://user:secret@127.0.0.2/r?x=1", "http://127.0.0.2/r?x=1"},
	{"http://user:p%40ss@word@127.0.0.2:8080/", "http://127.0.0.2:8080/"},
	{"https://user@127.0.0.2", "https://127.0.0.2"},
	{"//u:pw@127.0.0.3/x", "//127.0.0.3/x"},
	{"http://127.0.0.1/p?token=abc&page=2", "http://127.0.0.1/p?token=[redacted]&page=2"},
	{"http://127.0.0.1/p?access_token=a&Session=b&API_KEY=c&sig=d&code=e", "http://127.0.0.1/p?access_token=[redacted]&Session=[redacted]&API_KEY=[redacted]&sig=[redacted]&code=[redacted]"},
	{"http://127.0.0.1/p?PHPSESSID=abc&jsessionid=x", "http://127.0.0.1/p?PHPSESSID=[redacted]&jsessionid=[redacted]"},
	{"http://127.0.0.1/p?id=7f3a9c2e1b4d5f60aa&q=news", "http://127.0.0.1/p?id=[redacted]&q=news"},
	{"http://127.0.0.1/p?keyword=go&zipcode=100000", "http://127.0.0.1/p?keyword=go&zipcode=100000"},
	{"http://127.0.0.1/a;jsessionid=ABC123/b;v=2", "http://127.0.0.1/a;jsessionid=[redacted]/b;v=2"},
	{"http://127.0.0.1/p?a=1;token=z", "http://127.0.0.1/p?a=1;token=[redacted]"},
	{"http://127.0.0.1/p?0123456789abcdefXYZ", "http://127.0.0.1/p?[redacted]"},
	{"http://127.0.0.1/p#token=frag", "http://127.0.0.1/p"},
	{"/relative?password=x", "/relative?password=[redacted]"},
	{"no url at all", "no url at all"},
	{"", ""},
	{"http://a@b@c/x@y?z@w=1", "http://c/x@y?z@w=1"},
}

func TestMask(t *testing.T) {
	for _, tc := range maskCases {
		if got := Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzMask: Mask never panics, is idempotent, leaves no fragment, and what
// net/url reads as userinfo never survives.
func FuzzMask(f *testing.F) {
	for _, tc := range maskCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Mask(in)
		if again := Mask(out); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, out, again)
		}
		if strings.Contains(out, "#") {
			t.Fatalf("fragment survived: %q -> %q", in, out)
		}
		if u, err := url.Parse(out); err == nil && u.User != nil && (u.Scheme != "" || strings.HasPrefix(out, "//")) {
			t.Fatalf("userinfo survived: %q -> %q", in, out)
		}
	})
}
