package crawler

import "sync"

// knownURLs is a bounded memory of URLs already handed to the frontier, so
// that the links a page repeats (navigation, footers: most of a site's links)
// skip the scope, personal-data and store checks. It is a cache, not the
// frontier: a URL it has forgotten is simply offered to the store again, which
// ignores duplicates. Two generations bound it at 2×limit entries without the
// bookkeeping of an LRU list.
type knownURLs struct {
	mu        sync.Mutex
	cur, prev map[string]struct{}
	limit     int
}

func newKnownURLs(limit int) *knownURLs {
	return &knownURLs{cur: make(map[string]struct{}), prev: map[string]struct{}{}, limit: limit}
}

// has reports whether u was added (and refreshes it).
func (k *knownURLs) has(u string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.cur[u]; ok {
		return true
	}
	if _, ok := k.prev[u]; ok {
		k.cur[u] = struct{}{}
		return true
	}
	return false
}

// add remembers u.
func (k *knownURLs) add(u string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.cur) >= k.limit {
		k.prev, k.cur = k.cur, make(map[string]struct{}, k.limit/4)
	}
	k.cur[u] = struct{}{}
}
