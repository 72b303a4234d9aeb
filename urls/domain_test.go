package urls

import (
	"net/url"
	"testing"
)

func TestRegistrableDomain(t *testing.T) {
	cases := []struct{ in, want string }{
		{"example.com", "example.com"},
		{"www.example.com", "example.com"},
		{"a.b.c.example.com", "example.com"},
		{"WWW.Example.COM.", "example.com"},
		{"www.bbc.co.uk", "bbc.co.uk"},
		{"bbc.co.uk", "bbc.co.uk"},
		{"co.uk", "co.uk"},
		{"news.sina.com.cn", "sina.com.cn"},
		{"www.baidu.com.cn", "baidu.com.cn"},
		{"user.github.io", "user.github.io"},
		{"project.user.github.io", "user.github.io"},
		{"github.io", "github.io"},
		{"github.com", "github.com"},
		{"foo.blogspot.com", "foo.blogspot.com"},
		{"127.0.0.1", "127.0.0.1"},
		{"::1", "::1"},
		{"[2001:db8::1]", "[2001:db8::1]"},
		{"localhost", "localhost"},
		{"intranet", "intranet"},
		{"a.b.site.test", "site.test"},
		{"site.test", "site.test"},
		{"x.y.localhost", "y.localhost"},
		{"foo.bar.example", "bar.example"},
		{"a.b.invalid", "b.invalid"},
		{"printer.local", "printer.local"},
		{"xn--bcher-kva.example.com", "example.com"},
		{"a.b.unknowntld", "b.unknowntld"},
	}
	for _, tc := range cases {
		if got := RegistrableDomain(tc.in); got != tc.want {
			t.Errorf("RegistrableDomain(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHostKeyAndOrigin(t *testing.T) {
	cases := []struct{ in, key, origin string }{
		{"https://example.com/a", "example.com:443", "https://example.com"},
		{"http://example.com/a", "example.com:80", "http://example.com"},
		{"http://example.com:8080/a", "example.com:8080", "http://example.com:8080"},
		{"https://example.com:443/a", "example.com:443", "https://example.com"},
		{"HTTP://EXAMPLE.com/", "example.com:80", "http://example.com"},
		{"https://[::1]/", "[::1]:443", "https://[::1]"},
		{"http://[::1]:8080/", "[::1]:8080", "http://[::1]:8080"},
	}
	for _, tc := range cases {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := HostKey(u); got != tc.key {
			t.Errorf("HostKey(%q) = %q, want %q", tc.in, got, tc.key)
		}
		if got := Origin(u); got != tc.origin {
			t.Errorf("Origin(%q) = %q, want %q", tc.in, got, tc.origin)
		}
	}
	if HostKey(nil) != "" || Origin(nil) != "" {
		t.Error("nil URL should give empty key and origin")
	}
}
