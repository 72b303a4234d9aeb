package extract

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestHTMLText(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"blocks make lines", "<div>One<p>Two<br>Three</div>", "One\nTwo\nThree"},
		{"inline glues", "<p>Hel<b>lo</b> <i>world</i></p>", "Hello world"},
		{"whitespace collapses", "<p>  a \n\t b   </p>\n\n<p>c</p>", "a b\nc"},
		{"lists", "<ul><li>A</li><li>B</li></ul>", "A\nB"},
		{"headings", "<h1>T</h1><h2>S</h2>body", "T\nS\nbody"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>", "a b\nc d"},
		{"entities", "<p>Fish &amp; chips &lt;3 &eacute; &#x4E2D;&#25991; a&nbsp;b</p>", "Fish & chips <3 é 中文 a b"},
		{"script style skipped", "<p>a</p><script>var x='<p>no</p>'</script><style>p{}</style><p>b</p>", "a\nb"},
		{"noscript template svg math skipped", "a<noscript>n</noscript><template><p>t</p></template><svg><text>s</text></svg><math><mi>m</mi></math>b", "ab"},
		{"textarea skipped", "a<textarea>typed</textarea>b", "ab"},
		{"head metadata skipped, title kept", "<html><head><title>The Title</title><meta name=x content=y><script>s</script></head><body>Body</body></html>", "The Title\nBody"},
		{"second title ignored", "<title>A</title><p>x</p><title>B</title>", "A\nx"},
		{"svg title not the page title", "<svg><title>icon</title></svg><title>Real</title>", "Real"},
		{"unclosed svg ends at html block", "<svg><g>hidden<p>shown</p>", "shown"},
		{"unclosed script swallows rest", "<p>a</p><script>b<p>c", "a"},
		{"nul and controls dropped", "<p>a\x00b\x01c\x7f</p>", "abc"},
		{"invalid utf-8 replaced", "<p>a\xffb</p>", "a\uFFFDb"},
		{"chinese", "<p>你好，世界。</p><p>第二段</p>", "你好，世界。\n第二段"},
		{"ideographic space collapses", "<p>你好\u3000\u3000世界</p>", "你好 世界"},
		{"xmp shown", "<xmp><b>raw</b></xmp>", "<b>raw</b>"},
		{"comment skipped", "a<!-- hidden -->b", "ab"},
		{"unclosed tags", "<div><p>a<div><span>b", "a\nb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := HTML([]byte(tc.doc), nil, Options{})
			if p.Text != tc.want {
				t.Errorf("Text = %q, want %q", p.Text, tc.want)
			}
		})
	}
}

func TestHTMLMetadata(t *testing.T) {
	doc := `<!DOCTYPE html><html lang=" zh-CN "><head>
<title>
  Hello   &amp; 世界 </title>
<meta name="ROBOTS" content=" noindex, nofollow ">
<meta name="Scruple" content="noarchive">
<meta name="googlebot" content="none">
<meta http-equiv="Refresh" content="5; URL='/next?a=1'">
<meta http-equiv="refresh" content="0; url=/second">
<link rel="Canonical" href="  https://example.com/canon  ">
<link rel="canonical" href="/second-canon">
<base href="/base/">
</head><body>x</body></html>`
	p := HTML([]byte(doc), mustURL(t, "https://example.com/dir/page"), Options{})
	if p.Title != "Hello & 世界" {
		t.Errorf("Title = %q", p.Title)
	}
	if p.Lang != "zh-CN" {
		t.Errorf("Lang = %q", p.Lang)
	}
	if want := []string{"noindex, nofollow", "noarchive"}; !reflect.DeepEqual(p.MetaRobots, want) {
		t.Errorf("MetaRobots = %q, want %q", p.MetaRobots, want)
	}
	if p.Refresh != "/next?a=1" {
		t.Errorf("Refresh = %q", p.Refresh)
	}
	if p.Canonical != "https://example.com/canon" {
		t.Errorf("Canonical = %q", p.Canonical)
	}
	if p.Base != "/base/" || p.BaseURL.String() != "https://example.com/base/" {
		t.Errorf("Base = %q, BaseURL = %v", p.Base, p.BaseURL)
	}
}

func TestHTMLAgentToken(t *testing.T) {
	doc := `<meta name=robots content=a><meta name=scruple content=b><meta name=otherbot content=c>`
	p := HTML([]byte(doc), nil, Options{AgentToken: "OtherBot"})
	if want := []string{"a", "c"}; !reflect.DeepEqual(p.MetaRobots, want) {
		t.Errorf("MetaRobots = %q, want %q", p.MetaRobots, want)
	}
}

func TestHTMLLangFromMeta(t *testing.T) {
	p := HTML([]byte(`<html><meta http-equiv="content-language" content="en-GB, fr">`), nil, Options{})
	if p.Lang != "en-GB" {
		t.Errorf("Lang = %q", p.Lang)
	}
	p = HTML([]byte(`<html lang=de><meta http-equiv="content-language" content="en">`), nil, Options{})
	if p.Lang != "de" {
		t.Errorf("Lang = %q, want html lang to win", p.Lang)
	}
}

func TestRefreshURL(t *testing.T) {
	tests := map[string]string{
		"5; url=/a":          "/a",
		"0;URL='http://x/'":  "http://x/",
		`3, url="/b" extra`:  "/b",
		"0; /c":              "/c",
		"10":                 "",
		"url=/noseconds":     "",
		"  1.5 ;  url = /d ": "/d",
	}
	for in, want := range tests {
		if got := refreshURL([]byte(in)); got != want {
			t.Errorf("refreshURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHTMLBaseURL(t *testing.T) {
	doc := mustURL(t, "https://example.com/a/b")
	tests := []struct {
		html string
		base *url.URL
		want string
	}{
		{`<p>no base`, doc, "https://example.com/a/b"},
		{`<base href="https://cdn.example.org/x/">`, doc, "https://cdn.example.org/x/"},
		{`<base href="javascript:alert(1)">`, doc, "https://example.com/a/b"},
		{`<base href="https://cdn.example.org/x/">`, nil, "https://cdn.example.org/x/"},
		{`<base href="/relative/">`, nil, "<nil>"},
	}
	for _, tc := range tests {
		p := HTML([]byte(tc.html), tc.base, Options{})
		got := "<nil>"
		if p.BaseURL != nil {
			got = p.BaseURL.String()
		}
		if got != tc.want {
			t.Errorf("%s: BaseURL = %s, want %s", tc.html, got, tc.want)
		}
	}
}

func TestHTMLLinks(t *testing.T) {
	doc := `<html><head>
<link rel="alternate" hreflang="en" href="/en/">
<link rel="next" href="?page=2">
<link rel="PREV" href="?page=0">
<link rel="stylesheet" href="/style.css">
<link rel="canonical" href="/canon">
<link rel="icon" href="/favicon.ico">
</head><body>
<a href=" /one ">one</a>
<a href="/two" rel="NoFollow noopener">two</a>
<a href="">empty</a>
<a href="   ">blank</a>
<a href="#frag">frag</a>
<a href="JavaScript:void(0)">js</a>
<a href="java&#10;script:alert(1)">js2</a>
<a href="mailto:a@b.c">mail</a>
<a href="tel:+123">tel</a>
<a href="data:text/html,x">data</a>
<a href="about:blank">about</a>
<a>no href</a>
<a href="/page#frag">frag ok</a>
<area href="/area" shape=rect>
<iframe src="/frame.html"></iframe>
<frameset><frame src="/f2.html"></frameset>
<img src="/img.png">
<a href="/dup" href="/ignored">dup</a>
<a href="https://例子.测试/路径?q=中文">idn</a>
</body></html>`
	p := HTML([]byte(doc), nil, Options{})
	want := []Link{
		{URL: "/en/", Rel: "alternate", Tag: "link"},
		{URL: "?page=2", Rel: "next", Tag: "link"},
		{URL: "?page=0", Rel: "PREV", Tag: "link"},
		{URL: "/one", Tag: "a"},
		{URL: "/two", Rel: "NoFollow noopener", Tag: "a", NoFollow: true},
		{URL: "/page#frag", Tag: "a"},
		{URL: "/area", Tag: "area"},
		{URL: "/frame.html", Tag: "iframe"},
		{URL: "/f2.html", Tag: "frame"},
		{URL: "/dup", Tag: "a"},
		{URL: "https://例子.测试/路径?q=中文", Tag: "a"},
	}
	if !reflect.DeepEqual(p.Links, want) {
		t.Errorf("Links =\n%+v\nwant\n%+v", p.Links, want)
	}
	if p.LinksTruncated {
		t.Error("LinksTruncated set")
	}
	if p.Canonical != "/canon" {
		t.Errorf("Canonical = %q", p.Canonical)
	}
}

func TestHTMLLimits(t *testing.T) {
	var b strings.Builder
	for i := range 50 {
		b.WriteString(`<p><a href="/l`)
		b.WriteString(strings.Repeat("x", i))
		b.WriteString(`">link text</a> and some more words here</p>`)
	}
	doc := []byte(b.String())

	p := HTML(doc, nil, Options{MaxLinks: 10, MaxTextBytes: 100})
	if len(p.Links) != 10 || !p.LinksTruncated {
		t.Errorf("links = %d, truncated = %v; want 10, true", len(p.Links), p.LinksTruncated)
	}
	if len(p.Text) > 100 || !p.TextTruncated {
		t.Errorf("text = %d bytes, truncated = %v; want <= 100, true", len(p.Text), p.TextTruncated)
	}
	if p.Signals.TextBytes < 1000 {
		t.Errorf("TextBytes = %d; signals must count the whole page", p.Signals.TextBytes)
	}

	p = HTML(doc, nil, Options{})
	if len(p.Links) != 50 || p.LinksTruncated || p.TextTruncated || p.Truncated {
		t.Errorf("defaults: links = %d, flags = %v %v %v", len(p.Links), p.LinksTruncated, p.TextTruncated, p.Truncated)
	}

	// MaxBuf: a single token larger than the buffer stops extraction.
	huge := "<p>before</p><p>" + strings.Repeat("word ", 1000) + "</p><a href=/after>x</a>"
	p = HTML([]byte(huge), nil, Options{MaxBuf: 1024})
	if !p.Truncated || !strings.HasPrefix(p.Text, "before") || len(p.Text) > 1100 || len(p.Links) != 0 {
		t.Errorf("MaxBuf: truncated = %v, text = %.20q, links = %d", p.Truncated, p.Text, len(p.Links))
	}
}

// TestHTMLTruncatesAtRuneBoundary checks that a text limit never splits a
// multi-byte character.
func TestHTMLTruncatesAtRuneBoundary(t *testing.T) {
	for limit := 1; limit < 20; limit++ {
		p := HTML([]byte("<p>中文中文中文中文</p>"), nil, Options{MaxTextBytes: limit})
		if !utf8.ValidString(p.Text) || len(p.Text) > limit {
			t.Errorf("limit %d: %q", limit, p.Text)
		}
	}
}

// TestHTMLHostileInput feeds pathological documents and checks that each
// ends and yields valid UTF-8. It asserts no duration (a loaded machine would
// make that flaky): a quadratic or hanging case shows up as the test binary's
// timeout, and speed is measured by the package's benchmarks.
func TestHTMLHostileInput(t *testing.T) {
	big := 2 << 20
	inputs := map[string]string{
		"huge single line":      "<p>" + strings.Repeat("abc ", big/4),
		"many unclosed tags":    strings.Repeat("<div><span><a href=x>", big/22),
		"many lt signs":         strings.Repeat("<", big),
		"attribute soup":        "<a " + strings.Repeat(`x="y" `, big/6) + ">",
		"deep svg nesting":      strings.Repeat("<svg>", big/5) + "text",
		"binary garbage":        string(garbage(big)),
		"nul bytes":             strings.Repeat("\x00<p\x00>\x00", big/7),
		"unterminated comment":  "<!--" + strings.Repeat("-", big),
		"unterminated attr":     `<a href="` + strings.Repeat("x", big),
		"many forms":            strings.Repeat(`<form action="/login"><input type=password class="captcha paywall"></form>`, big/80),
		"huge class attributes": `<div class="` + strings.Repeat("paywallcaptcha", big/14) + `">`,
	}
	for name, doc := range inputs {
		t.Run(name, func(t *testing.T) {
			p := HTML([]byte(doc), nil, Options{})
			if !utf8.ValidString(p.Text) || !utf8.ValidString(p.Title) {
				t.Error("invalid UTF-8 in output")
			}
			for _, l := range p.Links {
				if !utf8.ValidString(l.URL) {
					t.Errorf("invalid UTF-8 in link %q", l.URL)
				}
			}
		})
	}
}

// garbage returns n deterministic pseudo-random bytes.
func garbage(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// TestInvisibleMatchesUnicode checks the hand-written classification of
// plainRun against the unicode package for every non-ASCII rune.
func TestInvisibleMatchesUnicode(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		want := unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFEFF'
		if got := invisible(r); got != want {
			t.Errorf("invisible(%U) = %v, want %v", r, got, want)
		}
	}
}

// TestTextRunsMatchPerRune checks the fast path of textBuilder.write (runs of
// words joined by single spaces) against the per-rune path: the same text and
// the same counts, at every size limit, for text of words, single and double
// spaces, tabs, non-ASCII spaces, controls, Chinese and invalid bytes.
func TestTextRunsMatchPerRune(t *testing.T) {
	pieces := []string{"word", "x", " ", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "中文", "é", "\x01", "\xff", "\ufeff", "a.b,c"}
	x := uint32(88172645)
	next := func(n int) int {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		return int(x % uint32(n))
	}
	for iter := 0; iter < 3000; iter++ {
		var chunks [][]byte
		for c := next(4) + 1; c > 0; c-- {
			var b []byte
			for k := next(12); k > 0; k-- {
				b = append(b, pieces[next(len(pieces))]...)
			}
			chunks = append(chunks, b)
		}
		max := 1 << 20
		if next(2) == 0 {
			max = next(40)
		}
		fast := textBuilder{max: max}
		slow := textBuilder{max: max, perRune: true}
		for i, b := range chunks {
			inLink := i%2 == 1
			fast.write(b, false, inLink)
			slow.write(b, false, inLink)
			if i%3 == 2 {
				fast.breakLine()
				slow.breakLine()
			}
		}
		if fast.String() != slow.String() || fast.total != slow.total || fast.content != slow.content ||
			fast.truncated != slow.truncated {
			t.Fatalf("chunks %q, max %d: fast %q (total %d, content %d, truncated %v), per rune %q (%d, %d, %v)",
				chunks, max, fast.String(), fast.total, fast.content, fast.truncated,
				slow.String(), slow.total, slow.content, slow.truncated)
		}
	}
}
