package warc

import "testing"

// TestScreenFindsSecrets: a password in user:password@ or a token in a
// Location is no personal identifier, yet a raw record would keep it; the
// screen refuses such heads and bodies, and keeps ordinary ones raw.
func TestScreenFindsSecrets(t *testing.T) {
	d := testDecider()
	const plainHead = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
	tests := []struct {
		name       string
		head, body string
		clean      bool
	}{
		{"plain", plainHead, "<p>hello</p>", true},
		{"link with query", plainHead, `<a href="https://www.example.com/a?page=2">next</a>`, true},
		{"e-mail style text", plainHead, "<p>at example.com: news@ noon</p>", true},
		{"credential link", plainHead, `<a href="http://user:hunter2pass@www.example.com/">x</a>`, false},
		{"credential link, user only", plainHead, `<a href='https://admin@www.example.com/'>x</a>`, false},
		{"Location with userinfo", "HTTP/1.1 302 Found\r\nLocation: http://user:hunter2pass@www.example.com/r\r\n\r\n", "", false},
		{"Location with token", "HTTP/1.1 302 Found\r\nLocation: /next?token=abc\r\n\r\n", "", false},
		{"Location with session id", "HTTP/1.1 302 Found\r\nlocation: /next;jsessionid=ABC123\r\n\r\n", "", false},
		{"Location plain", "HTTP/1.1 302 Found\r\nLocation: https://www.example.com/next?page=2\r\n\r\n", "", true},
	}
	for _, tc := range tests {
		var body []byte
		if tc.body != "" {
			body = []byte(tc.body)
		}
		if s := screen(d, []byte(tc.head), body, "text/html; charset=utf-8"); s.clean != tc.clean {
			t.Errorf("%s: clean %v, want %v (%s)", tc.name, s.clean, tc.clean, s.why())
		}
	}
}
