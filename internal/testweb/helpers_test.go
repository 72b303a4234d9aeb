package testweb

import (
	"io"
	"net/http"
	"testing"
)

// startDemo starts DemoSpec and a client for it, both closed at cleanup.
func startDemo(t *testing.T) (*Web, *http.Client) {
	t.Helper()
	return startSpec(t, DemoSpec())
}

func startSpec(t *testing.T, s Spec) (*Web, *http.Client) {
	t.Helper()
	w, err := Start(s)
	if err != nil {
		t.Fatal(err)
	}
	c := w.Client()
	t.Cleanup(func() {
		c.CloseIdleConnections()
		w.Close()
	})
	return w, c
}

// get fetches url with optional header pairs and returns the response with
// its body read.
func get(t *testing.T, c *http.Client, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// expectStatus fetches url and checks its status and media type prefix.
func expectStatus(t *testing.T, c *http.Client, url string, status int, ctype string) []byte {
	t.Helper()
	resp, body := get(t, c, url)
	if resp.StatusCode != status {
		t.Errorf("GET %s: status %d, want %d", url, resp.StatusCode, status)
	}
	if got := resp.Header.Get("Content-Type"); ctype != "" && got != ctype {
		t.Errorf("GET %s: Content-Type %q, want %q", url, got, ctype)
	}
	return body
}
