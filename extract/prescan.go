package extract

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// metaCharset returns the normalised charset declared by a <meta charset> or
// <meta http-equiv="content-type" content="...; charset=..."> in the first
// 1024 bytes of body, or "" if there is none. Unlike
// golang.org/x/net/html/charset.DetermineEncoding it never guesses: absence
// of a declaration is reported as "" so that our own detection runs.
func metaCharset(body []byte) string {
	head := body[:min(len(body), prescanLimit)]
	if bytes.IndexByte(head, '<') < 0 {
		return ""
	}
	z := html.NewTokenizer(bytes.NewReader(head))
	z.SetMaxBuf(prescanLimit)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		name, hasAttr := z.TagName()
		if string(name) != "meta" || !hasAttr {
			continue
		}
		var charset, content string
		pragma, haveCharset := false, false
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			switch string(k) {
			case "charset":
				if !haveCharset {
					charset, haveCharset = string(v), true
				}
			case "http-equiv":
				pragma = pragma || strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
			case "content":
				if content == "" {
					content = string(v)
				}
			}
		}
		if haveCharset {
			if n := normaliseLabel(charset); n != "" {
				return n
			}
			continue
		}
		if pragma {
			if n := normaliseLabel(charsetFromMetaContent(content)); n != "" {
				return n
			}
		}
	}
}

// charsetFromMetaContent extracts the charset value from a Content-Type-like
// string following the HTML standard's "algorithm for extracting a character
// encoding from a meta element". It is also used for malformed headers.
func charsetFromMetaContent(s string) string {
	for {
		i := indexFold(s, "charset")
		if i < 0 {
			return ""
		}
		s = strings.TrimLeft(s[i+len("charset"):], " \t\n\f\r")
		if !strings.HasPrefix(s, "=") {
			continue
		}
		s = strings.TrimLeft(s[1:], " \t\n\f\r")
		if s == "" {
			return ""
		}
		if q := s[0]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return ""
			}
			return s[1 : 1+end]
		}
		if end := strings.IndexAny(s, "; \t\n\f\r"); end >= 0 {
			return s[:end]
		}
		return s
	}
}

// indexFold is strings.Index for an ASCII-lowercase needle, ignoring ASCII
// case in s.
func indexFold(s, lowerNeedle string) int {
	n := len(lowerNeedle)
	for i := 0; i+n <= len(s); i++ {
		match := true
		for j := 0; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lowerNeedle[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}
