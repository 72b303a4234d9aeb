package urls_test

import (
	"errors"
	"fmt"

	"github.com/scruple/scruple/urls"
)

func ExampleCanonicalize() {
	u, _ := urls.Canonicalize("HTTPS://Bücher.Example:443/a/./b/../%7euser?q=caf\u00e9#top")
	fmt.Println(u)
	_, err := urls.Canonicalize("http://user:pw@example.com/")
	fmt.Println(errors.Is(err, urls.ErrCredentials))
	// Output:
	// https://xn--bcher-kva.example/a/~user?q=caf%C3%A9
	// true
}

func ExampleResolve() {
	base, _ := urls.Canonicalize("http://example.com/docs/guide/intro.html?lang=en")
	for _, ref := range []string{"../api/", "?lang=fr", "//cdn.example.com/x.js", "mailto:x@example.com"} {
		u, err := urls.Resolve(base, ref)
		if err != nil {
			fmt.Println("error:", errors.Is(err, urls.ErrScheme))
			continue
		}
		fmt.Println(u)
	}
	// Output:
	// http://example.com/docs/api/
	// http://example.com/docs/guide/intro.html?lang=fr
	// http://cdn.example.com/x.js
	// error: true
}

func ExampleHostKey() {
	u, _ := urls.Canonicalize("https://www.example.co.uk/path")
	fmt.Println(urls.HostKey(u), urls.Origin(u), urls.RegistrableDomain(u.Hostname()))
	// Output: www.example.co.uk:443 https://www.example.co.uk example.co.uk
}
