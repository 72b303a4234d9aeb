package extract

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// FuzzHTML checks HTML's guarantees on arbitrary input: no panic, valid
// UTF-8 everywhere, and the configured limits respected.
func FuzzHTML(f *testing.F) {
	for _, s := range []string{
		"",
		"<html lang=en><title>x</title><p>a<a href=/b rel=nofollow>c</a>",
		"<svg><p>x<svg><math><template>y</template>",
		"<meta http-equiv=refresh content='0;url=/x'><base href=/b/><link rel=canonical href=/c>",
		"<form action=/login><input type=password></form><div class=g-recaptcha>",
		"<script type=application/ld+json>{\"isAccessibleForFree\":false}</script>",
		"<a href=\"\x00\xff\">\x00\xfe</a><title>\xff",
		"<p>中文&nbsp;&#0;&#xD800;&amp",
	} {
		f.Add([]byte(s), 3, 64)
	}
	f.Fuzz(func(t *testing.T, doc []byte, maxLinks, maxText int) {
		maxLinks = maxLinks%50 + 1
		if maxLinks <= 0 {
			maxLinks += 50
		}
		maxText = maxText%4096 + 1
		if maxText <= 0 {
			maxText += 4096
		}
		p := HTML(doc, nil, Options{MaxLinks: maxLinks, MaxTextBytes: maxText, MaxBuf: 1 << 16})
		if len(p.Links) > maxLinks {
			t.Fatalf("%d links > MaxLinks %d", len(p.Links), maxLinks)
		}
		if len(p.Text) > maxText {
			t.Fatalf("%d text bytes > MaxTextBytes %d", len(p.Text), maxText)
		}
		strs := []string{p.Text, p.Title, p.Lang, p.Canonical, p.Base, p.Refresh, p.Signals.NonLinkText}
		strs = append(strs, p.MetaRobots...)
		for _, l := range p.Links {
			if l.URL == "" {
				t.Fatal("empty link URL")
			}
			strs = append(strs, l.URL, l.Rel)
		}
		for _, s := range strs {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8: %q", s)
			}
		}
		if p.Signals.ContentBytes > p.Signals.TextBytes {
			t.Fatalf("ContentBytes %d > TextBytes %d", p.Signals.ContentBytes, p.Signals.TextBytes)
		}
	})
}

// FuzzDecode checks that Decode never panics or errors and always returns
// valid UTF-8, whatever the body and Content-Type.
func FuzzDecode(f *testing.F) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("<meta charset=gbk><p>中文测试</p>"))
	f.Add(gbk, "")
	f.Add([]byte("<p>\xff\xfe</p>"), "text/html; charset=utf-8")
	f.Add([]byte{0xFF, 0xFE, 'a', 0, 0, 0xD8}, "")
	f.Add([]byte{0xFE, 0xFF, 0, 'a', 0xD8}, "")
	f.Add([]byte("\x81\x30\x81"), "text/html; charset=gb18030")
	f.Add([]byte("caf\xe9"), "text/html; charset=\"iso-8859-1")
	f.Add([]byte("<meta http-equiv=content-type content='text/html;charset=shift_jis'>\x82\xa0"), "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		out, cs, err := Decode(body, contentType)
		if err != nil {
			t.Fatalf("err = %v", err)
		}
		if cs == "" {
			t.Fatal("empty charset name")
		}
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 output for charset %s", cs)
		}
	})
}
