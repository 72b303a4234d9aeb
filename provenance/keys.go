package provenance

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
)

// Key file names in a data directory.
const (
	// SigningKeyFile holds the private signer key (note.NewSigner format),
	// mode 0600.
	SigningKeyFile = "signing.key"
	// VerifierKeyFile holds the public verifier key (note.NewVerifier format).
	VerifierKeyFile = "signing.pub"
)

// LoadOrCreateKey returns the signer of the data directory dir, creating an
// ed25519 key named name in dir/signing.key (mode 0600, created exclusively so
// two processes never write two keys) and its verifier key in dir/signing.pub
// when there is none. An existing key keeps its own name. A key file that
// group or others may read is refused: a leaked signing key lets anyone forge
// checkpoints, so scruple will not use one that may already have leaked.
func LoadOrCreateKey(dir, name string) (signer note.Signer, verifierKey string, err error) {
	path := filepath.Join(dir, SigningKeyFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := createKey(dir, name); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, "", err
		}
		// fs.ErrExist: another process created it first; use that one.
	}
	signer, verifierKey, err = LoadSigner(path)
	if err != nil {
		return nil, "", err
	}
	pub := filepath.Join(dir, VerifierKeyFile)
	switch b, err := os.ReadFile(pub); {
	case errors.Is(err, fs.ErrNotExist):
		if err := writeFileAtomic(pub, []byte(verifierKey+"\n"), 0o644); err != nil {
			return nil, "", err
		}
	case err != nil:
		return nil, "", err
	case strings.TrimSpace(string(b)) != verifierKey:
		return nil, "", scruple.Errorf(scruple.EINVALID,
			"%s does not match %s: the public key was replaced; remove %s to rewrite it from the private key",
			pub, path, pub)
	}
	return signer, verifierKey, nil
}

func createKey(dir, name string) error {
	if !validKeyName(name) {
		return scruple.Errorf(scruple.EINVALID, "signing key name %q: must be non-empty, without spaces or '+'", name)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	skey, _, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, SigningKeyFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.WriteString(skey + "\n")
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path) // a half-written key is worse than none
		return werr
	}
	return nil
}

// LoadSigner reads a signer key file (as given by --signing-key) and returns
// the signer and its verifier key. The file must not be accessible to group
// or others.
func LoadSigner(path string) (note.Signer, string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, "", err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, "", scruple.Errorf(scruple.EINVALID,
			"signing key %s is accessible by group or others (mode %#o): refusing to use a key that may have leaked; "+
				"run `chmod 600 %s` if you are sure it has not, or remove it to create a new key", path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	skey := strings.TrimSpace(string(b))
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, "", scruple.Errorf(scruple.EINVALID, "signing key %s: %v", path, err)
	}
	vkey, err := verifierKeyOf(skey, signer.Name())
	if err != nil {
		return nil, "", scruple.Errorf(scruple.EINVALID, "signing key %s: %v", path, err)
	}
	return signer, vkey, nil
}

// verifierKeyOf derives the verifier key from a signer key, so that the
// public key written next to a private key is always its own.
func verifierKeyOf(skey, name string) (string, error) {
	// PRIVATE+KEY+<name>+<hash>+<base64>; the base64 may itself hold '+'.
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 {
		return "", fmt.Errorf("not a signer key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return "", fmt.Errorf("not an ed25519 signer key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(name, pub)
}

// validKeyName mirrors the note package's name rule: a key name cannot hold
// spaces or '+', because the key encodings are '+'-separated.
func validKeyName(name string) bool {
	return name != "" && strings.IndexFunc(name, func(r rune) bool { return r <= ' ' || r == '+' }) < 0 &&
		!strings.ContainsRune(name, 0x7f)
}

// DefaultKeyName returns the key name used for a new data directory:
// "scruple-" and the host name, so checkpoints from different machines are
// told apart.
func DefaultKeyName() string {
	h, err := os.Hostname()
	if err != nil || !validKeyName(h) {
		return "scruple"
	}
	return "scruple-" + h
}

// writeFileAtomic writes data to a temporary file next to path and renames it
// into place, so a reader never sees a half-written file.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
