package crawler

import (
	"context"
	"fmt"
	"hash/fnv"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/sqlite"
)

// TestBacklogBlocksWhenFull: a worker waits while the links already handed
// over fill the bound, and goes on once the writer gives them back.
func TestBacklogBlocksWhenFull(t *testing.T) {
	b := newBacklog(16)
	links := func(n int) scruple.Outcome { return scruple.Outcome{Links: make([]scruple.URLItem, n)} }
	b.send(links(maxBacklogLinks - 10))
	sent := make(chan struct{})
	go func() { b.send(links(20)); close(sent) }()
	select {
	case <-sent:
		t.Fatal("an outcome passed a full backlog")
	case <-time.After(50 * time.Millisecond):
	}
	<-b.ch
	b.done(maxBacklogLinks - 10)
	<-sent
	// A page with more links than the whole bound still passes, alone.
	<-b.ch
	b.done(20)
	b.send(links(3 * maxBacklogLinks))
	if got := linkWeight(&scruple.Outcome{Links: make([]scruple.URLItem, 3*maxBacklogLinks)}); got != maxBacklogLinks {
		t.Fatalf("weight %d, want the bound %d", got, maxBacklogLinks)
	}
}

// slowCommitStore delays every commit so outcomes pile up behind it, and
// records the most links one commit carried.
type slowCommitStore struct {
	*sqlite.Store
	mu       sync.Mutex
	maxLinks int
}

func (s *slowCommitStore) Commit(ctx context.Context, batch []scruple.Outcome) error {
	n := 0
	for _, o := range batch {
		n += len(o.Links)
	}
	s.mu.Lock()
	s.maxLinks = max(s.maxLinks, n)
	s.mu.Unlock()
	time.Sleep(300 * time.Millisecond)
	return s.Store.Commit(ctx, batch)
}

// pseudoWord is a letters-only word for n: pages differ in words, not only
// in digits (the novelty guard ignores digits).
func pseudoWord(n int) string {
	x := uint32(n)*2654435761 + 12345
	var b [7]byte
	for i := range b {
		b[i] = byte('a' + x%26)
		x = x/26 ^ uint32(n+i)*40503
	}
	return string(b[:])
}

// TestWideSiteCommitsBoundedByLinks: on a site whose every page links to
// 800 new URLs, with commits slow enough that outcomes pile up behind them,
// no commit batch carries more than flushLinks links plus one page's (without
// the bound one carried 36,000 here, and up to two batches of 256 pages can
// wait), and the crawl ends by itself.
func TestWideSiteCommitsBoundedByLinks(t *testing.T) {
	const perPage, pages = 800, 70
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		h := fnv.New32a()
		h.Write([]byte(r.URL.Path))
		n := int(h.Sum32() % 1_000_000)
		var sb strings.Builder
		sb.WriteString("<html><head><title>")
		for i := range 4 {
			sb.WriteString(pseudoWord(n*7+i) + " ")
		}
		sb.WriteString("</title></head><body><p>")
		for i := range 60 {
			sb.WriteString(pseudoWord(n*97+i) + " ")
		}
		sb.WriteString("</p>")
		for k := range perPage {
			fmt.Fprintf(&sb, `<a href="/%s/%d">%s</a> `, pseudoWord(n), k, pseudoWord(n*perPage+k))
		}
		sb.WriteString("</body></html>")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(sb.String()))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(mux)
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	cfg := DefaultConfig(srv.URL + "/start")
	cfg.AllowCIDRs = []string{"127.0.0.0/8"}
	cfg.Delay = -1
	cfg.PerHost = 4
	cfg.Concurrency = 8
	cfg.MaxPages = pages
	inner, err := sqlite.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	st := &slowCommitStore{Store: inner}
	c, err := New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sum, err := c.Crawl(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Stopped {
		t.Fatalf("crawl did not end by itself: %+v", sum)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.maxLinks > flushLinks+perPage+1 {
		t.Errorf("a commit carried %d links; the bound is %d plus one page's", st.maxLinks, flushLinks)
	}
	if st.maxLinks < 2*perPage {
		t.Errorf("at most %d links in a commit: the site was not crawled as meant", st.maxLinks)
	}
	t.Logf("most links in one commit: %d", st.maxLinks)
}
