package urls

import "testing"

var benchInputs = []string{
	"http://example.com/",
	"HTTPS://WWW.Example.COM:443/a/./b/../c/%7euser/index.html?b=2&a=1#top",
	"http://B\u00fccher.example/caf\u00e9?q=\u00fc",
	"http://0x7f.1/",
	"http://[0:0:0:0:0:0:0:1]:8080/x",
}

func BenchmarkCanonicalize(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Canonicalize(benchInputs[i%len(benchInputs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	base, err := Canonicalize("https://www.example.com/docs/guide/intro.html?lang=en")
	if err != nil {
		b.Fatal(err)
	}
	refs := []string{"../api/index.html", "?lang=fr", "//cdn.example.com/x.js", "#sec", "chapter2.html"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Resolve(base, refs[i%len(refs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTrapCheck(b *testing.B) {
	u, _ := Canonicalize("https://www.example.com/a/b/c/d/e/f/g/h?x=1&y=2")
	g := NewTrapGuard(TrapLimits{})
	b.ReportAllocs()
	for b.Loop() {
		_ = g.Check(u)
	}
}
