package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple/internal/testweb"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"-hosts", "3", "-pages", "20", "-first-ip", "127.0.0.70"}, pw, io.Discard)
		pw.CloseWithError(err)
		done <- err
	}()
	sc := bufio.NewScanner(pr)
	var hostLines, seeds []string
	for sc.Scan() && sc.Text() != "ready" {
		if s, ok := strings.CutPrefix(sc.Text(), "seed "); ok {
			seeds = append(seeds, s)
		} else {
			hostLines = append(hostLines, sc.Text())
		}
	}
	if len(hostLines) != 3 || !strings.HasPrefix(hostLines[2], "s2.bench.test 127.0.0.72:") {
		t.Fatalf("host lines %q", hostLines)
	}
	if len(seeds) != 3 || !strings.HasPrefix(seeds[0], "http://127.0.0.70:") {
		t.Fatalf("seeds %q", seeds)
	}
	c := &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: 10 * time.Second}
	defer c.CloseIdleConnections()
	for _, s := range seeds {
		resp, err := c.Get(s)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), seeds[1]) && !strings.Contains(string(body), seeds[0]) {
			t.Errorf("%s: %d", s, resp.StatusCode)
		}
	}
	resp, err := c.Get(strings.TrimSuffix(seeds[1], "/") + "/__stats")
	if err != nil {
		t.Fatal(err)
	}
	var st testweb.Stats
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || st.Total != 3 || st.Served["s0.bench.test"] != 1 {
		t.Errorf("stats %+v %v", st, err)
	}
	c.CloseIdleConnections()
	cancel()
	var final testweb.Stats
	if !sc.Scan() || json.Unmarshal(sc.Bytes(), &final) != nil || final.Total != 3 {
		t.Errorf("final line %q", sc.Text())
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestRunBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-hosts", "0"}, {"-first-ip", "10.1.2.3"}, {"extra"}, {"-nope"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}
