package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/scruple/scruple"
)

// dirLock is an exclusive advisory lock on a data directory. SQLite's own
// locking only serialises transactions; two crawls interleaving leases and
// ReleaseAll on one store would duplicate work, so a second process must be
// refused at once. flock is released by the kernel when the process dies, so a
// kill -9 never leaves a stale lock behind.
type dirLock struct{ f *os.File }

func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, "lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		holder := strings.TrimSpace(string(b))
		if _, perr := strconv.Atoi(holder); perr != nil || holder == "" {
			holder = "unknown"
		}
		// Err wraps ErrLocked so that errors.Is tells a busy directory
		// apart from other conflicts.
		return nil, &scruple.Error{Code: scruple.ECONFLICT, Err: scruple.ErrLocked,
			Message: fmt.Sprintf("cannot use %s (held by pid %s; wait for it to finish or stop it)", dir, holder)}
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	return l.f.Close()
}
