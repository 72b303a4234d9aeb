package provenance

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

func TestLoadOrCreateKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s1, v1, err := LoadOrCreateKey(dir, "scruple-test")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, SigningKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("signing.key mode %v, want 0600", fi.Mode().Perm())
	}
	pub, _ := os.ReadFile(filepath.Join(dir, VerifierKeyFile))
	if strings.TrimSpace(string(pub)) != v1 {
		t.Errorf("signing.pub %q, want %q", pub, v1)
	}
	// The verifier key checks the signer's signatures.
	msg, err := note.Sign(&note.Note{Text: "hello\n"}, s1)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(v1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open(msg, note.VerifierList(v)); err != nil {
		t.Fatal(err)
	}
	// A second call loads the same key, whatever name it is given.
	s2, v2, err := LoadOrCreateKey(dir, "other")
	if err != nil || v2 != v1 || s2.Name() != "scruple-test" {
		t.Fatalf("reload: %v %q", err, v2)
	}
	// A replaced public key is noticed.
	_, other := testKey(t, "scruple-test")
	os.WriteFile(filepath.Join(dir, VerifierKeyFile), []byte(other+"\n"), 0o644)
	if _, _, err := LoadOrCreateKey(dir, "x"); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("replaced signing.pub: %v", err)
	}
	// A missing public key is rewritten from the private key.
	os.Remove(filepath.Join(dir, VerifierKeyFile))
	if _, v3, err := LoadOrCreateKey(dir, "x"); err != nil || v3 != v1 {
		t.Fatalf("rewrite signing.pub: %v", err)
	}
	if _, _, err := LoadOrCreateKey(t.TempDir(), "bad name"); err == nil {
		t.Error("key name with a space accepted")
	}
}

func TestKeyFileModeRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := t.TempDir()
	if _, _, err := LoadOrCreateKey(dir, "k"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, SigningKeyFile)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := LoadOrCreateKey(dir, "k")
	if err == nil || !strings.Contains(err.Error(), "accessible by group or others") || !strings.Contains(err.Error(), "0644") {
		t.Fatalf("0644 key: %v", err)
	}
	if _, _, err := LoadSigner(path); err == nil {
		t.Fatal("LoadSigner accepted a 0644 key")
	}
	os.Chmod(path, 0o600)
	if _, _, err := LoadSigner(path); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte("not a key"), 0o600)
	if _, _, err := LoadSigner(path); err == nil {
		t.Fatal("garbage key accepted")
	}
}
