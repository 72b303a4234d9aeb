package provenance

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/scruple/scruple"
)

// MemLog is an in-memory scruple.ProvenanceLog, safe for concurrent use. It
// computes stored hashes with AppendHashes exactly as a durable store does, so
// tests of other packages can use it in place of one.
type MemLog struct {
	mu          sync.RWMutex
	entries     [][]byte
	hashes      []tlog.Hash
	checkpoints []memCheckpoint
}

type memCheckpoint struct {
	size int64
	note []byte
}

// NewMemLog returns an empty log.
func NewMemLog() *MemLog { return &MemLog{} }

var _ scruple.ProvenanceLog = (*MemLog)(nil)

// LogSize implements scruple.ProvenanceLog.
func (m *MemLog) LogSize(ctx context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.entries)), nil
}

// AppendEntries implements scruple.ProvenanceLog. The entries are copied.
func (m *MemLog) AppendEntries(ctx context.Context, entries [][]byte) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := int64(len(m.entries))
	indexes, hashes, err := AppendHashes(n, entries, hashList(m.hashes))
	if err != nil {
		return 0, err
	}
	if len(indexes) > 0 && indexes[0] != int64(len(m.hashes)) {
		return 0, fmt.Errorf("memlog: hashes start at %d, have %d", indexes[0], len(m.hashes))
	}
	for _, e := range entries {
		m.entries = append(m.entries, append([]byte(nil), e...))
	}
	m.hashes = append(m.hashes, hashes...)
	return n, nil
}

// Entries implements scruple.ProvenanceLog. fn runs without the lock held, so
// it may call back into the log; it receives a copy of each entry.
func (m *MemLog) Entries(ctx context.Context, from, to int64, fn func(index int64, data []byte) error) error {
	m.mu.RLock()
	// Appends never modify entries already stored, so this view stays valid.
	view := m.entries
	m.mu.RUnlock()
	from = max(from, 0)
	to = min(to, int64(len(view)))
	for i := from; i < to; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(i, append([]byte(nil), view[i]...)); err != nil {
			return err
		}
	}
	return nil
}

// ReadHashes implements scruple.ProvenanceLog.
func (m *MemLog) ReadHashes(ctx context.Context, indexes []int64) ([][32]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([][32]byte, len(indexes))
	for i, idx := range indexes {
		if idx < 0 || idx >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("memlog: no stored hash %d", idx)
		}
		out[i] = m.hashes[idx]
	}
	return out, nil
}

// SaveCheckpoint implements scruple.ProvenanceLog.
func (m *MemLog) SaveCheckpoint(ctx context.Context, size int64, note []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if size < 0 || size > int64(len(m.entries)) {
		return fmt.Errorf("memlog: checkpoint for size %d of a log of %d", size, len(m.entries))
	}
	m.checkpoints = append(m.checkpoints, memCheckpoint{size, append([]byte(nil), note...)})
	return nil
}

// LatestCheckpoint implements scruple.ProvenanceLog: the checkpoint of the
// largest size (the last saved among equals), so that two signers racing
// cannot make an older, smaller checkpoint the latest.
func (m *MemLog) LatestCheckpoint(ctx context.Context) (int64, []byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if len(m.checkpoints) == 0 {
		return 0, nil, nil
	}
	best := m.checkpoints[0]
	for _, c := range m.checkpoints[1:] {
		if c.size >= best.size {
			best = c
		}
	}
	return best.size, append([]byte(nil), best.note...), nil
}
