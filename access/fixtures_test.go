package access

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scruple/scruple/extract"
)

// reasonClasses maps the class word in a nonpublic fixture's name
// (nonpublic_<class>_...) to the reasons that class accepts.
var reasonClasses = map[string][]string{
	"login":     {ReasonLoginPassword, ReasonLoginForm},
	"loginurl":  {ReasonLoginURL},
	"loginwall": {ReasonLoginWall},
	"paywall":   {ReasonPaywall, ReasonPaywallSchema, ReasonPaywallMarkup},
	"metered":   {ReasonMetered},
	"captcha":   {ReasonChallenge},
}

// finalURLComment lets a fixture state the URL it was served from; the
// default is an ordinary article URL.
var finalURLComment = regexp.MustCompile(`<!-- final-url: (\S+) -->`)

const defaultFixtureURL = "https://example.com/news/2024/05/16/bridge.html"

// TestFixtures runs every page under testdata through the real pipeline
// (Decode, HTML, Classify) and checks the verdict its file name promises:
// public_*.html must be public, nonpublic_<class>_*.html nonpublic with a
// reason of that class.
func TestFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/*.html")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("only %d fixtures, want at least 30", len(files))
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".html"), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			body, _, err := extract.Decode(raw, "text/html")
			if err != nil {
				t.Fatal(err)
			}
			final := defaultFixtureURL
			if m := finalURLComment.FindSubmatch(body); m != nil {
				final = string(m[1])
			}
			u, err := url.Parse(final)
			if err != nil {
				t.Fatal(err)
			}
			page := extract.HTML(body, u, extract.Options{})
			v := Classify(200, nil, page, u)

			parts := strings.Split(name, "_")
			switch parts[0] {
			case "public":
				if !v.Public || v.Reason != ReasonPublic {
					t.Errorf("got %+v, want public (signals %+v)", v, brief(page))
				}
			case "nonpublic":
				want, ok := reasonClasses[parts[1]]
				if !ok {
					t.Fatalf("unknown reason class %q in file name", parts[1])
				}
				if v.Public || !contains(want, v.Reason) {
					t.Errorf("got %+v, want nonpublic with one of %q (signals %+v)", v, want, brief(page))
				}
			default:
				t.Fatalf("file name must start with public_ or nonpublic_")
			}
		})
	}
}

// brief returns the signals without the long text, for failure messages.
func brief(p *extract.Page) extract.AccessSignals {
	s := p.Signals
	s.NonLinkText = ""
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
