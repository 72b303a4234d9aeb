package robots

import (
	"strings"
	"testing"
)

// matchCase is one robots.txt + agent + URL expectation. Most cases are
// transcribed from Google's robotstxt robots_test.cc (test names in the
// case names); "dev:" marks the few where this package follows RFC 9309
// normalisation and deliberately differs from Google's result.
type matchCase struct {
	name    string
	txt     string
	agent   string
	path    string
	allowed bool
}

const (
	docFish = "user-agent: FooBot\ndisallow: /\nallow: /fish\n"
	docStar = "user-agent: FooBot\ndisallow: /\nallow: /fish*\n"
	docDir  = "user-agent: FooBot\ndisallow: /\nallow: /fish/\n"
	docPHP  = "user-agent: FooBot\ndisallow: /\nallow: /*.php\n"
	docPHPA = "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n"
	docFPHP = "user-agent: FooBot\ndisallow: /\nallow: /fish*.php\n"

	groupsTxt = "allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\n" +
		"user-agent: BarBot\ndisallow: /\nallow: /y/\n\n\nallow: /w/\n" +
		"user-agent: BazBot\n\nuser-agent: FooBot\nallow: /z/\ndisallow: /\n"
	globalTxt   = "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n"
	specificTxt = "user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\nuser-agent: BazBot\ndisallow: /\n"
)

var matchCases = []matchCase{
	// ID_LineSyntax_Line
	{"line/correct", "user-agent: FooBot\ndisallow: /\n", "FooBot", "/x/y", false},
	{"line/incorrect", "foo: FooBot\nbar: /\n", "FooBot", "/x/y", true},
	{"line/missing-colon", "user-agent FooBot\ndisallow /\n", "FooBot", "/x/y", false},

	// ID_LineSyntax_Groups
	{"groups/foo-x", groupsTxt, "FooBot", "/x/b", true},
	{"groups/foo-z", groupsTxt, "FooBot", "/z/d", true},
	{"groups/foo-y", groupsTxt, "FooBot", "/y/c", false},
	{"groups/bar-y", groupsTxt, "BarBot", "/y/c", true},
	{"groups/bar-w", groupsTxt, "BarBot", "/w/a", true},
	{"groups/bar-z", groupsTxt, "BarBot", "/z/d", false},
	{"groups/baz-z", groupsTxt, "BazBot", "/z/d", true},
	{"groups/outside-foo", groupsTxt, "FooBot", "/foo/bar/", false},
	{"groups/outside-bar", groupsTxt, "BarBot", "/foo/bar/", false},
	{"groups/outside-baz", groupsTxt, "BazBot", "/foo/bar/", false},

	// ID_LineSyntax_Groups_OtherRules
	{"other/sitemap-foo", "User-agent: BarBot\nSitemap: https://foo.bar/sitemap\nUser-agent: *\nDisallow: /\n", "FooBot", "/", false},
	{"other/sitemap-bar", "User-agent: BarBot\nSitemap: https://foo.bar/sitemap\nUser-agent: *\nDisallow: /\n", "BarBot", "/", false},
	{"other/unknown-foo", "User-agent: FooBot\nInvalid-Unknown-Line: unknown\nUser-agent: *\nDisallow: /\n", "FooBot", "/", false},
	{"other/unknown-bar", "User-agent: FooBot\nInvalid-Unknown-Line: unknown\nUser-agent: *\nDisallow: /\n", "BarBot", "/", false},

	// ID_REPLineNamesCaseInsensitive
	{"keys/upper", "USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n", "FooBot", "/x/y", true},
	{"keys/upper-dis", "USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n", "FooBot", "/a/b", false},
	{"keys/camel", "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n", "FooBot", "/x/y", true},
	{"keys/camel-dis", "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n", "FooBot", "/a/b", false},

	// ID_UserAgentValueCaseInsensitive
	{"ua/upper", "User-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n", "Foo", "/x/y", true},
	{"ua/upper-dis", "User-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n", "Foo", "/a/b", false},
	{"ua/lower", "User-Agent: foo bar\nAllow: /x/\nDisallow: /\n", "FOO", "/a/b", false},
	{"ua/camel", "User-Agent: FoO bAr\nAllow: /x/\nDisallow: /\n", "foo", "/x/y", true},
	{"ua/version-in-file", "User-agent: Googlebot/2.1\nDisallow: /\n", "googlebot", "/a", false},
	{"ua/full-ua-string", "User-agent: scruple\nDisallow: /\n", "Scruple/1.0 (+https://example.invalid/bot)", "/a", false},

	// ID_GlobalGroups_Secondary
	{"global/empty", "", "FooBot", "/x/y", true},
	{"global/specific-wins", globalTxt, "FooBot", "/x/y", false},
	{"global/fallback", globalTxt, "BarBot", "/x/y", true},
	{"global/none", specificTxt, "QuxBot", "/x/y", true},
	{"global/star-ignored", "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n", "FooBot", "/x/page", true},
	{"global/star-ignored-2", "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n", "FooBot", "/y/page", false},
	{"global/star-applies", "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n", "BarBot", "/x/page", false},

	// ID_AllowDisallow_Value_CaseSensitive
	{"case/lower", "user-agent: FooBot\ndisallow: /x/\n", "FooBot", "/x/y", false},
	{"case/upper", "user-agent: FooBot\ndisallow: /X/\n", "FooBot", "/x/y", true},

	// ID_LongestMatch
	{"longest/disallow-longer", "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n", "FooBot", "/x/page.html", false},
	{"longest/allow-longer", "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", "FooBot", "/x/page.html", true},
	{"longest/allow-longer-dir", "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", "FooBot", "/x/", false},
	{"longest/empty-both", "user-agent: FooBot\ndisallow: \nallow: \n", "FooBot", "/x/page.html", true},
	{"longest/root-tie", "user-agent: FooBot\ndisallow: /\nallow: /\n", "FooBot", "/x/page.html", true},
	{"longest/x", "user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "FooBot", "/x", false},
	{"longest/x-slash", "user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "FooBot", "/x/", true},
	{"longest/same-tie", "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n", "FooBot", "/x/page.html", true},
	{"longest/wild-longer", "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "FooBot", "/page.html", false},
	{"longest/wild-no-match", "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "FooBot", "/page", true},
	{"longest/allow-dot", "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot", "/x/page.html", true},
	{"longest/allow-dot-other", "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot", "/x/y.html", false},

	// Tie: Allow wins in either order.
	{"tie/allow-first", "User-agent: *\nAllow: /p\nDisallow: /p\n", "x", "/page", true},
	{"tie/disallow-first", "User-agent: *\nDisallow: /p\nAllow: /p\n", "x", "/page", true},

	// ID_Encoding
	{"enc/query-unencoded", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n", "FooBot", "/foo/bar?qux=taz&baz=http://foo.bar?tar&par", true},
	{"enc/utf8-rule", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n", "FooBot", "/foo/bar/%E3%83%84", true},
	{"enc/dev:utf8-rule-raw-url", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n", "FooBot", "/foo/bar/ツ", true},
	{"enc/escaped-rule", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n", "FooBot", "/foo/bar/%E3%83%84", true},
	{"enc/dev:escaped-rule-raw-url", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n", "FooBot", "/foo/bar/ツ", true},
	{"enc/unreserved-escaped", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", "FooBot", "/foo/bar/%62%61%7A", true},
	{"enc/dev:unreserved-decoded", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", "FooBot", "/foo/bar/baz", true},
	{"enc/umlaut-upper", "User-agent: *\nDisallow: /ü\n", "x", "/%C3%BC", false},
	{"enc/umlaut-lower", "User-agent: *\nDisallow: /ü\n", "x", "/%c3%bcber", false},
	{"enc/umlaut-other", "User-agent: *\nDisallow: /ü\n", "x", "/u", true},
	{"enc/tilde", "User-agent: *\nDisallow: /%7Efoo\n", "x", "/~foo/bar", false},
	{"enc/tilde-reverse", "User-agent: *\nDisallow: /~foo\n", "x", "/%7efoo", false},
	{"enc/slash-not-decoded", "User-agent: *\nDisallow: /a/b\n", "x", "/a%2Fb", true},
	{"enc/space", "User-agent: *\nDisallow: /a b\n", "x", "/a%20b", false},

	// ID_SpecialCharacters
	{"special/star-1", "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "FooBot", "/foo/bar/quz", false},
	{"special/star-2", "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "FooBot", "/foo/quz", true},
	{"special/star-3", "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "FooBot", "/foo//quz", true},
	{"special/star-4", "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "FooBot", "/foo/bax/quz", true},
	{"special/dollar-1", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot", "/foo/bar", false},
	{"special/dollar-2", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot", "/foo/bar/qux", true},
	{"special/dollar-3", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot", "/foo/bar/", true},
	{"special/dollar-4", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot", "/foo/bar/baz", true},
	{"special/comment-1", "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n", "FooBot", "/foo/bar", true},
	{"special/comment-2", "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n", "FooBot", "/foo/quz", false},
	{"special/mid-dollar-literal", "User-agent: *\nDisallow: /a$b\n", "x", "/a$bc", false},

	// ID_Documentation_Checks: "/fish"
	{"doc/fish-bar", docFish, "FooBot", "/bar", false},
	{"doc/fish", docFish, "FooBot", "/fish", true},
	{"doc/fish.html", docFish, "FooBot", "/fish.html", true},
	{"doc/fish/salmon", docFish, "FooBot", "/fish/salmon.html", true},
	{"doc/fishheads", docFish, "FooBot", "/fishheads", true},
	{"doc/fishheads/yummy", docFish, "FooBot", "/fishheads/yummy.html", true},
	{"doc/fish-query", docFish, "FooBot", "/fish.html?id=anything", true},
	{"doc/Fish.asp", docFish, "FooBot", "/Fish.asp", false},
	{"doc/catfish", docFish, "FooBot", "/catfish", false},
	{"doc/query-fish", docFish, "FooBot", "/?id=fish", false},
	// "/fish*" equals "/fish"
	{"doc/star-bar", docStar, "FooBot", "/bar", false},
	{"doc/star-fish", docStar, "FooBot", "/fish", true},
	{"doc/star-fishheads", docStar, "FooBot", "/fishheads/yummy.html", true},
	{"doc/star-catfish", docStar, "FooBot", "/catfish", false},
	{"doc/star-Fish", docStar, "FooBot", "/Fish.asp", false},
	// "/fish/" does not equal "/fish"
	{"doc/dir-bar", docDir, "FooBot", "/bar", false},
	{"doc/dir-slash", docDir, "FooBot", "/fish/", true},
	{"doc/dir-salmon", docDir, "FooBot", "/fish/salmon", true},
	{"doc/dir-query", docDir, "FooBot", "/fish/?salmon", true},
	{"doc/dir-salmon.html", docDir, "FooBot", "/fish/salmon.html", true},
	{"doc/dir-id", docDir, "FooBot", "/fish/?id=anything", true},
	{"doc/dir-fish", docDir, "FooBot", "/fish", false},
	{"doc/dir-fish.html", docDir, "FooBot", "/fish.html", false},
	{"doc/dir-Fish", docDir, "FooBot", "/Fish/Salmon.html", false},
	// "/*.php"
	{"doc/php-bar", docPHP, "FooBot", "/bar", false},
	{"doc/php-file", docPHP, "FooBot", "/filename.php", true},
	{"doc/php-folder", docPHP, "FooBot", "/folder/filename.php", true},
	{"doc/php-params", docPHP, "FooBot", "/folder/filename.php?parameters", true},
	{"doc/php-any", docPHP, "FooBot", "//folder/any.php.file.html", true},
	{"doc/php-slash", docPHP, "FooBot", "/filename.php/", true},
	{"doc/php-index", docPHP, "FooBot", "/index?f=filename.php/", true},
	{"doc/php-dir", docPHP, "FooBot", "/php/", false},
	{"doc/php-query", docPHP, "FooBot", "/index?php", false},
	{"doc/php-upper", docPHP, "FooBot", "/windows.PHP", false},
	// "/*.php$"
	{"doc/php$-bar", docPHPA, "FooBot", "/bar", false},
	{"doc/php$-file", docPHPA, "FooBot", "/filename.php", true},
	{"doc/php$-folder", docPHPA, "FooBot", "/folder/filename.php", true},
	{"doc/php$-params", docPHPA, "FooBot", "/filename.php?parameters", false},
	{"doc/php$-slash", docPHPA, "FooBot", "/filename.php/", false},
	{"doc/php$-5", docPHPA, "FooBot", "/filename.php5", false},
	{"doc/php$-dir", docPHPA, "FooBot", "/php/", false},
	{"doc/php$-query", docPHPA, "FooBot", "/filename?php", false},
	{"doc/php$-aaa", docPHPA, "FooBot", "/aaaphpaaa", false},
	{"doc/php$-upper", docPHPA, "FooBot", "//windows.PHP", false},
	// "/fish*.php"
	{"doc/fphp-bar", docFPHP, "FooBot", "/bar", false},
	{"doc/fphp-fish", docFPHP, "FooBot", "/fish.php", true},
	{"doc/fphp-heads", docFPHP, "FooBot", "/fishheads/catfish.php?parameters", true},
	{"doc/fphp-upper", docFPHP, "FooBot", "/Fish.PHP", false},
	// Order of precedence for group-member records.
	{"doc/prec-p", "user-agent: FooBot\nallow: /p\ndisallow: /\n", "FooBot", "/page", true},
	{"doc/prec-folder", "user-agent: FooBot\nallow: /folder\ndisallow: /folder\n", "FooBot", "/folder/page", true},
	{"doc/prec-htm", "user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n", "FooBot", "/page.htm", false},
	{"doc/prec-root", "user-agent: FooBot\nallow: /$\ndisallow: /\n", "FooBot", "/", true},
	{"doc/prec-root-page", "user-agent: FooBot\nallow: /$\ndisallow: /\n", "FooBot", "/page.html", false},

	// Group merging (RFC 9309 §2.2.1).
	{"merge/first", "User-agent: a\nDisallow: /one\n\nUser-agent: b\nDisallow: /\n\nUser-agent: a\nDisallow: /two\n", "a", "/one", false},
	{"merge/second", "User-agent: a\nDisallow: /one\n\nUser-agent: b\nDisallow: /\n\nUser-agent: a\nDisallow: /two\n", "a", "/two", false},
	{"merge/other", "User-agent: a\nDisallow: /one\n\nUser-agent: b\nDisallow: /\n\nUser-agent: a\nDisallow: /two\n", "a", "/three", true},
	{"merge/star", "User-agent: *\nDisallow: /one\nUser-agent: *\nDisallow: /two\n", "x", "/two", false},

	// /robots.txt is always allowed; empty Disallow matches nothing.
	{"robotstxt/always", "User-agent: *\nDisallow: /\n", "x", "/robots.txt", true},
	{"robotstxt/query", "User-agent: *\nDisallow: /\n", "x", "/robots.txt?x=1", true},
	{"robotstxt/other", "User-agent: *\nDisallow: /\n", "x", "/robots.txt.bak", false},
	{"empty-disallow", "User-agent: *\nDisallow:\n", "x", "/anything", true},

	// Syntax leniency.
	{"syntax/crlf", "User-agent: *\r\nDisallow: /a\r\n", "x", "/a", false},
	{"syntax/cr", "User-agent: *\rDisallow: /a\r", "x", "/a", false},
	{"syntax/bom", "\xef\xbb\xbfUser-agent: *\nDisallow: /a\n", "x", "/a", false},
	{"syntax/spaces", "  User-agent  :   *  \n\t Disallow :  /a   # comment\n", "x", "/a", false},
	{"syntax/misspelled", "useragent: *\ndissallow: /a\n", "x", "/a", false},
	{"syntax/rules-before-ua", "Disallow: /a\nUser-agent: *\nDisallow: /b\n", "x", "/a", true},
	{"syntax/star-space", "User-agent: * # everyone\nDisallow: /a\n", "x", "/a", false},
	{"syntax/fragment-ignored", "User-agent: *\nDisallow: /a$\n", "x", "/a#frag", false},
	{"syntax/absolute-url", "User-agent: *\nDisallow: /a\n", "x", "https://example.invalid/a?b", false},
	{"syntax/crawl-delay-ends-ua-run", "User-agent: a\nCrawl-delay: 1\nUser-agent: b\nDisallow: /\n", "a", "/x", true},
	{"syntax/wild-only", "User-agent: *\nDisallow: *\n", "x", "/x", false},
	{"syntax/double-star", "User-agent: *\nDisallow: /a**b$\n", "x", "/a/x/b", false},
}

func TestMatchTable(t *testing.T) {
	if len(matchCases) < 40 {
		t.Fatalf("only %d cases", len(matchCases))
	}
	for _, tc := range matchCases {
		t.Run(tc.name, func(t *testing.T) {
			r := Parse([]byte(tc.txt))
			v := r.Test(tc.agent, tc.path)
			if v.Allowed != tc.allowed {
				t.Fatalf("Test(%q, %q) = %+v, want allowed=%v\nrobots.txt:\n%s", tc.agent, tc.path, v, tc.allowed, tc.txt)
			}
			// Group(token).Test must agree with the convenience method.
			if v2 := r.Group(ProductToken(tc.agent)).Test(tc.path); v2 != v {
				t.Fatalf("Group().Test = %+v, Robots.Test = %+v", v2, v)
			}
		})
	}
}

func TestVerdictRuleAndLine(t *testing.T) {
	txt := "# header\nUser-agent: *\nAllow: /pub\nDisallow: /private\n\nDisallow: /p\n"
	r := Parse([]byte(txt))
	tests := []struct {
		path string
		want Verdict
	}{
		{"/private/x", Verdict{false, "Disallow: /private", 4}},
		{"/pub/x", Verdict{true, "Allow: /pub", 3}},
		{"/px", Verdict{false, "Disallow: /p", 6}},
		{"/other", Verdict{true, "", 0}},
		{"/robots.txt", robotsTxtVerdict},
	}
	for _, tc := range tests {
		if got := r.Test("scruple/1.0", tc.path); got != tc.want {
			t.Errorf("Test(%q) = %+v, want %+v", tc.path, got, tc.want)
		}
	}
	// Tie reported with the Allow rule.
	r = Parse([]byte("User-agent: *\nDisallow: /p\nAllow: /p\n"))
	if got, want := r.Test("x", "/p"), (Verdict{true, "Allow: /p", 3}); got != want {
		t.Errorf("tie: got %+v, want %+v", got, want)
	}
	// Line numbers count CR, LF and CRLF endings alike.
	r = Parse([]byte("User-agent: *\r\n\rDisallow: /a\n\r\nDisallow: /b"))
	if got := r.Test("x", "/b"); got.Line != 5 {
		t.Errorf("line of /b = %d, want 5 (%+v)", got.Line, got)
	}
}

func TestNilAndFixed(t *testing.T) {
	var r *Robots
	if v := r.Test("x", "/a"); !v.Allowed || v.Rule != "" {
		t.Errorf("nil Robots: %+v", v)
	}
	if r.Group("x") != nil || r.CrawlDelay("x") != 0 || r.Sitemaps() != nil {
		t.Error("nil Robots accessors not zero")
	}
	var g *Group
	if v := g.Test("/a"); !v.Allowed || g.Agent() != "" || g.CrawlDelay() != 0 {
		t.Errorf("nil Group: %+v", v)
	}
	a := AllowAll("no robots.txt (404)")
	if v := a.Test("x", "/a"); !v.Allowed || v.Rule != "no robots.txt (404): allow all" {
		t.Errorf("AllowAll: %+v", v)
	}
	d := DisallowAll("robots.txt unavailable (503)")
	if v := d.Test("x", "/a"); v.Allowed || v.Rule != "robots.txt unavailable (503): disallow all" {
		t.Errorf("DisallowAll: %+v", v)
	}
	if v := d.Test("x", "/robots.txt"); !v.Allowed {
		t.Errorf("DisallowAll must allow /robots.txt: %+v", v)
	}
	if v := DisallowAll("").Test("x", "/"); v.Rule != "disallow all" {
		t.Errorf("DisallowAll(\"\"): %+v", v)
	}
}

func TestProductToken(t *testing.T) {
	for in, want := range map[string]string{
		"scruple/1.0 (+https://example.invalid/bot)": "scruple",
		"Googlebot/2.1":   "Googlebot",
		"  FooBot  ":      "FooBot",
		"Foo Bar":         "Foo",
		"*":               "*",
		"":                "",
		"Mozilla/5.0 (x)": "Mozilla",
	} {
		if got := ProductToken(in); got != want {
			t.Errorf("ProductToken(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSitemapsAndCrawlDelay(t *testing.T) {
	txt := "Sitemap: https://a.example/s1.xml\n" +
		"User-agent: a\nCrawl-delay: 2.5\nDisallow: /x\n" +
		"Sitemap: /relative.xml\nSitemap: ftp://a.example/s.xml\n" +
		"User-agent: b\nCrawl-delay: -1\nCrawl-delay: abc\nCrawl-delay: NaN\n" +
		"User-agent: c\nCrawl-delay: 1e30\n" +
		"User-agent: *\nCrawl-delay: 7\nCrawl-delay: 9\n" +
		"User-agent: a\nCrawl-delay: 4\n" +
		"Sitemap: http://a.example/s2.xml\nSitemap: https://a.example/s1.xml\n"
	r := Parse([]byte(txt))
	want := []string{"https://a.example/s1.xml", "http://a.example/s2.xml"}
	if got := r.Sitemaps(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Sitemaps = %q, want %q", got, want)
	}
	r.Sitemaps()[0] = "mutated"
	if r.Sitemaps()[0] != want[0] {
		t.Error("Sitemaps returned internal slice")
	}
	for tok, want := range map[string]float64{"a": 2.5, "b": 0, "c": 9.223372036854775807e9, "other": 7} {
		if got := r.CrawlDelay(tok).Seconds(); got != want {
			t.Errorf("CrawlDelay(%q) = %vs, want %vs", tok, got, want)
		}
	}
}

func TestMaxSize(t *testing.T) {
	head := "User-agent: *\nDisallow: /a\n"
	filler := "# " + strings.Repeat("x", 97) + "\n" // 100 bytes per line
	var b strings.Builder
	b.WriteString(head)
	for b.Len()+len(filler) < MaxSize-50 {
		b.WriteString(filler)
	}
	// This line straddles the limit right after "Disallow: /": it must be
	// dropped, not cut to "Disallow: /" (which would disallow everything).
	b.WriteString(strings.Repeat(" ", MaxSize-b.Len()-len("Disallow: /")) + "Disallow: /b\n")
	b.WriteString("Disallow: /c\n")
	r := Parse([]byte(b.String()))
	for path, want := range map[string]bool{"/a": false, "/b": true, "/c": true, "/z": true} {
		if got := r.Test("x", path).Allowed; got != want {
			t.Errorf("%s: allowed=%v, want %v", path, got, want)
		}
	}
	// A line ending exactly at the limit is kept.
	s := head + strings.Repeat("#", MaxSize-len(head)-len("\nDisallow: /d")) + "\nDisallow: /d" + "\nDisallow: /e\n"
	r = Parse([]byte(s))
	if r.Test("x", "/d").Allowed || !r.Test("x", "/e").Allowed {
		t.Errorf("cut at line end: /d %+v /e %+v", r.Test("x", "/d"), r.Test("x", "/e"))
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"/a/b":         "/a/b",
		"/ü":           "/%C3%BC",
		"/%c3%bc":      "/%C3%BC",
		"/%7Efoo":      "/~foo",
		"/%7e%41%2f":   "/~A%2F",
		"/a b":         "/a%20b",
		"/100%":        "/100%25",
		"/%zz":         "/%25zz",
		"/*.php$":      "/*.php$",
		"/a?b=c&d=%3D": "/a?b=c&d=%3D",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
		if got := normalize(normalize(in)); got != normalize(in) {
			t.Errorf("normalize not idempotent on %q", in)
		}
	}
}

func TestNoExponentialBacktracking(t *testing.T) {
	pat := "/" + strings.Repeat("a*", 50) + "b$"
	r := Parse([]byte("User-agent: *\nDisallow: " + pat + "\n"))
	path := "/" + strings.Repeat("a", 10000)
	if !r.Test("x", path).Allowed {
		t.Fatal("unexpected match")
	}
}

func BenchmarkTest(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("User-agent: *\n")
	for i := 0; i < 100; i++ {
		sb.WriteString("Disallow: /section" + strings.Repeat("x", i%7) + "/*/private*.html$\n")
		sb.WriteString("Allow: /section/" + strings.Repeat("y", i%5) + "\n")
	}
	r := Parse([]byte(sb.String()))
	g := r.Group("scruple")
	paths := []string{"/section/a/b/private-page.html", "/other/path?q=1", "/section/ü/x", "/sectionxxx/a/b/c/d/e/f/g/private.html"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		g.Test(paths[i%len(paths)])
	}
}
