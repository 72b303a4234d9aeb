package consent

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(k1) != KeySize || bytes.Equal(k1, make([]byte, KeySize)) {
		t.Fatalf("key of %d bytes, or all zero", len(k1))
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %04o, want 0600", fi.Mode().Perm())
	}
	k2, err := LoadOrCreateKey(dir)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Errorf("second call did not read the same key: %v", err)
	}
}

func TestLoadOrCreateKeyConcurrent(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	keys := make([][]byte, 8)
	errs := make([]error, 8)
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keys[i], errs[i] = LoadOrCreateKey(dir)
		}()
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil {
			t.Fatalf("racer %d: %v", i, errs[i])
		}
		if !bytes.Equal(keys[i], keys[0]) {
			t.Errorf("two different keys created for one data directory")
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".consent.key.*")); len(m) > 0 {
		t.Errorf("temporary key files left behind: %d", len(m))
	}
}

func TestLoadKeyRefusals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX modes")
	}
	dir := t.TempDir()
	write := func(name string, data []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	key := bytes.Repeat([]byte{7}, 32)
	tests := []struct {
		name string
		path string
		msg  string
	}{
		{"group readable", write("g.key", key, 0o640), "has mode 0640: it must not be accessible by group or other"},
		{"world readable", write("w.key", key, 0o604), "run: chmod 600"},
		{"short", write("s.key", key[:16], 0o600), "is 16 bytes: at least 32 random bytes are needed"},
		{"huge", write("h.key", bytes.Repeat(key, 200), 0o600), "larger than 4096 bytes"},
		{"directory", dir, "not a regular file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadKey(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("LoadKey: %v, want %q", err, tc.msg)
			}
		})
	}
	if _, err := LoadKey(filepath.Join(dir, "missing.key")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if k, err := LoadKey(write("ok.key", key, 0o600)); err != nil || !bytes.Equal(k, key) {
		t.Errorf("valid key file: %v", err)
	}
	// A data directory whose key became group-readable is refused, not
	// silently replaced.
	data := t.TempDir()
	if _, err := LoadOrCreateKey(data); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(data, KeyFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKey(data); err == nil || !strings.Contains(err.Error(), "mode 0644") {
		t.Errorf("LoadOrCreateKey with a 0644 key: %v", err)
	}
}
