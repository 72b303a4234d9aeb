package testweb_test

import (
	"fmt"
	"io"
	"net/http"

	"github.com/scruple/scruple/internal/testweb"
)

// A test composes a site, fetches it through the web's resolver and checks
// the server-side request log.
func Example() {
	w, err := testweb.Start(testweb.Spec{Hosts: []testweb.HostSpec{{
		Name:     "shop.example.test",
		Pages:    10,
		Features: testweb.Private | testweb.LoginWall,
		Robots:   testweb.RobotsSpec{All: testweb.RobotsGroup{Disallow: []string{"/private/"}}},
	}}})
	if err != nil {
		panic(err)
	}
	defer w.Close()

	c := &http.Client{Transport: &http.Transport{Proxy: nil, DialContext: w.Resolver().DialContext}}
	defer c.CloseIdleConnections()
	resp, err := c.Get(w.URL("shop.example.test", "/p/3.html"))
	if err != nil {
		panic(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Println(w.CountPath("shop.example.test", "/p/3.html"), "request(s)")
	fmt.Println(len(w.Expected()["shop.example.test"]), "pages to keep")
	for _, e := range w.Never("shop.example.test") {
		fmt.Println("never request", e.Path, e.Class)
	}
	// Output:
	// 200 text/html; charset=utf-8
	// 1 request(s)
	// 11 pages to keep
	// never request /private/0.html disallowed
	// never request /private/1.html disallowed
	// never request /private/2.html unreached
}
