package warc

import "sync"

// original is an archived response a revisit record can refer to.
type original struct{ id, uri, date string }

// dedup remembers archived responses by payload digest, so a byte-identical
// body is archived once and later captures are revisit records. It is a
// cache of two generations bounded at 2×limit digests: a digest it has
// forgotten is archived again in full, which costs space, never
// correctness.
type dedup struct {
	mu        sync.Mutex
	cur, prev map[string]original
	limit     int
}

func newDedup(limit int) *dedup {
	return &dedup{cur: map[string]original{}, prev: map[string]original{}, limit: limit}
}

func (d *dedup) get(digest string) (original, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if o, ok := d.cur[digest]; ok {
		return o, true
	}
	if o, ok := d.prev[digest]; ok {
		d.cur[digest] = o
		return o, true
	}
	return original{}, false
}

func (d *dedup) put(digest string, o original) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.cur[digest]; ok {
		return
	}
	if len(d.cur) >= d.limit {
		d.prev, d.cur = d.cur, make(map[string]original, d.limit/4)
	}
	d.cur[digest] = o
}
