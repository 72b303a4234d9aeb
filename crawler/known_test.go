package crawler

import (
	"fmt"
	"testing"
)

func TestKnownURLsBounded(t *testing.T) {
	k := newKnownURLs(100)
	for i := 0; i < 1000; i++ {
		k.add(fmt.Sprint(i))
	}
	if n := len(k.cur) + len(k.prev); n > 200 {
		t.Fatalf("holds %d entries with a limit of 100", n)
	}
	if !k.has("999") || k.has("0") {
		t.Fatal("recent entry forgotten or old entry kept")
	}
}
