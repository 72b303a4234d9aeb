package fetch

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// rawServer answers every connection on 127.0.0.1 with resp, byte for byte.
func rawServer(t *testing.T, resp string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("listen: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					l, err := br.ReadString('\n')
					if err != nil || l == "\r\n" {
						break
					}
				}
				c.Write([]byte(resp))
			}()
		}
	}()
	return ln.Addr().String()
}

// Responses Go's client rejects with an error quoting the server's bytes:
// the error names its class in fixed words.
func TestErrorsQuoteNoServerBytes(t *testing.T) {
	const v = "Malf0rmedHdrPq2Ws1"
	cases := map[string]string{
		"malformed header line": "HTTP/1.1 200 OK\r\nSet-Cookie\t: sid=" + v + "\r\nContent-Length: 2\r\n\r\nhi",
		"bad status line":       "HTTP/1.1 2x0 sid=" + v + "\r\nContent-Length: 2\r\n\r\nhi",
		"bad content length":    "HTTP/1.1 200 OK\r\nContent-Length: " + v + "\r\n\r\nhi",
		"content encoding":      "HTTP/1.1 200 OK\r\nContent-Encoding: sid=" + v + "\r\nContent-Length: 2\r\n\r\nhi",
	}
	c := New(Config{UserAgent: "t", AllowCIDRs: allowOnly(t, "127.0.0.0/8"), Timeout: time.Minute})
	defer c.Close()
	for name, resp := range cases {
		addr := rawServer(t, resp)
		_, err := c.Get(context.Background(), mustURL(t, "http://"+addr+"/"))
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), v) || strings.Contains(err.Error(), "sid=") {
			t.Errorf("%s: the error quotes the server's bytes", name)
		}
	}
}

func TestSafeErrorKeepsClass(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := SafeError(ctx.Err()); !errors.Is(err, context.Canceled) || err.Error() != "canceled" {
		t.Errorf("canceled: %v", err)
	}
	if err := SafeError(context.DeadlineExceeded); !errors.Is(err, context.DeadlineExceeded) || err.Error() != "timeout" {
		t.Errorf("deadline: %v", err)
	}
	if err := SafeError(ErrTooLarge); err != ErrTooLarge {
		t.Errorf("own sentinel rewritten: %v", err)
	}
	b := &BlockedError{Host: "h", Reason: "r"}
	if got, ok := IsBlocked(SafeError(b)); !ok || got != b {
		t.Error("guard refusal lost")
	}
	if SafeError(nil) != nil {
		t.Error("nil")
	}
}
