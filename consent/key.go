package consent

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// KeyFile is the consent key's file name in a data directory.
const KeyFile = "consent.key"

// KeySize is the size of a created key: 256 random bits, the strength of
// HMAC-SHA256, and the least LoadKey accepts.
const KeySize = 32

// maxKeySize bounds a key file given by --consent-key-file.
const maxKeySize = 4096

// LoadOrCreateKey returns the consent key of a data directory, creating
// dataDir/consent.key (32 random bytes, mode 0600, created exclusively so
// two processes never write different keys) when there is none. The key is what makes the
// subject HMACs irreversible: anyone holding it can test a guessed phone
// number against the ledger, so a key readable by group or other is refused.
func LoadOrCreateKey(dataDir string) ([]byte, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("consent key: %w", err)
	}
	path := filepath.Join(dataDir, KeyFile)
	key, err := LoadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	key = make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("consent key: %w", err)
	}
	if err := createKey(path, key); errors.Is(err, fs.ErrExist) {
		return LoadKey(path) // another process created it first: use that one
	} else if err != nil {
		return nil, fmt.Errorf("consent key: creating %s: %w", path, err)
	}
	return key, nil
}

// createKey writes key to path, failing with fs.ErrExist if path exists. The
// key is written and synced in a temporary file first and then hard-linked
// into place, so that a concurrent reader never sees a partial key; where
// hard links are not supported it falls back to O_EXCL on path itself.
func createKey(path string, key []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".consent.key.*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := writeSync(tmp, key); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	err = os.Link(tmp.Name(), path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := writeSync(f, key); err != nil {
		os.Remove(path) // a partial key must not be read as the key later
		return err
	}
	return nil
}

// writeSync writes data, syncs and closes f.
func writeSync(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// LoadKey reads a consent key file (--consent-key-file): a regular file of
// at least 32 bytes, used as is, not readable or writable by group or other.
// A missing file is reported with an error matching fs.ErrNotExist.
func LoadKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("consent key: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("consent key: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("consent key %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("consent key %s has mode %04o: it must not be accessible by group or other, "+
			"since whoever reads it can test guessed identifiers against the consent ledger; run: chmod 600 %s", path, perm, path)
	}
	key, err := io.ReadAll(io.LimitReader(f, maxKeySize+1))
	if err != nil {
		return nil, fmt.Errorf("consent key: %w", err)
	}
	switch {
	case len(key) < KeySize:
		return nil, fmt.Errorf("consent key %s is %d bytes: at least %d random bytes are needed", path, len(key), KeySize)
	case len(key) > maxKeySize:
		return nil, fmt.Errorf("consent key %s is larger than %d bytes: not a key file", path, maxKeySize)
	}
	return key, nil
}
