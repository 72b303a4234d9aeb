package serve

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/scruple/scruple"
)

// Role is what a token may do. Roles are ordered: each includes the ones
// below it.
type Role int

// The roles, lowest first. RoleNone marks routes open to anyone.
const (
	RoleNone Role = iota
	// RoleViewer reads status, records, consents, the report, and verifies
	// bundles.
	RoleViewer
	// RoleOperator also grants, withdraws and refuses consents and looks up
	// subjects (a subject access request reveals whether a person is held,
	// which is itself personal information, so viewers may not).
	RoleOperator
	// RoleAdmin also creates and revokes tokens.
	RoleAdmin
)

// String names the role as the CLI and API spell it.
func (r Role) String() string {
	switch r {
	case RoleViewer:
		return "viewer"
	case RoleOperator:
		return "operator"
	case RoleAdmin:
		return "admin"
	}
	return "none"
}

// ParseRole parses viewer, operator or admin.
func ParseRole(s string) (Role, error) {
	for _, r := range []Role{RoleViewer, RoleOperator, RoleAdmin} {
		if r.String() == s {
			return r, nil
		}
	}
	return RoleNone, scruple.Errorf(scruple.EINVALID, "role %q: want viewer, operator or admin", s)
}

// MarshalText writes the role's name.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads a role's name.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	*r = v
	return err
}

// TokenInfo is a token as stored: never the token itself.
type TokenInfo struct {
	// ID is the token's public part (16 hex digits), used to revoke it.
	ID string `json:"id"`
	// Label names who or what holds the token; it is recorded with every
	// state change made with the token. It must not be personal data.
	Label string `json:"label"`
	// Role bounds what the token may do.
	Role Role `json:"role"`
	// Hash is the hex SHA-256 of the secret part. A secret of 256 random
	// bits needs no slow hash: it cannot be guessed from its digest.
	Hash string `json:"hash"`
	// Created and Revoked are when the token was made and revoked.
	Created time.Time  `json:"created"`
	Revoked *time.Time `json:"revoked,omitempty"`
}

// tokenPrefix marks a scruple token so that secret scanners and people
// recognise one.
const tokenPrefix = "scr_"

// Tokens is the token file (JSON, mode 0600). It is re-read whenever it
// changes on disk, so a `scruple serve token revoke` run beside a server
// takes effect at the next request.
type Tokens struct {
	path string

	mu    sync.Mutex
	mtime time.Time
	size  int64
	list  []TokenInfo
}

// OpenTokens returns the token file at path (which need not exist yet).
func OpenTokens(path string) *Tokens { return &Tokens{path: path} }

// Path returns the file's path.
func (t *Tokens) Path() string { return t.path }

// load re-reads the file if it changed. Callers hold t.mu.
func (t *Tokens) load() error {
	fi, err := os.Stat(t.path)
	if errors.Is(err, os.ErrNotExist) {
		t.list, t.mtime, t.size = nil, time.Time{}, 0
		return nil
	}
	if err != nil {
		return err
	}
	if fi.ModTime().Equal(t.mtime) && fi.Size() == t.size && t.list != nil {
		return nil
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("token file %s is readable by others (mode %v): chmod 600 it", t.path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(t.path)
	if err != nil {
		return err
	}
	var list []TokenInfo
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("token file %s: %w", t.path, err)
	}
	if list == nil {
		list = []TokenInfo{}
	}
	t.list, t.mtime, t.size = list, fi.ModTime(), fi.Size()
	return nil
}

// save writes the list atomically with mode 0600. Callers hold t.mu.
func (t *Tokens) save(list []TokenInfo) error {
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(t.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".serve-tokens-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), t.path); err != nil {
		return err
	}
	t.list = nil // force a reload (mtime granularity may hide the change)
	return t.load()
}

// Create makes a token with role and label and returns the token, which is
// shown once and never stored, and its stored form.
func (t *Tokens) Create(role Role, label string, now time.Time) (string, TokenInfo, error) {
	if role < RoleViewer || role > RoleAdmin {
		return "", TokenInfo{}, scruple.Errorf(scruple.EINVALID, "role: want viewer, operator or admin")
	}
	label = strings.TrimSpace(label)
	if label == "" || len(label) > 64 {
		return "", TokenInfo{}, scruple.Errorf(scruple.EINVALID, "label: give 1 to 64 bytes naming the holder (a system or team, not a person's identifier)")
	}
	var id [8]byte
	var secret [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", TokenInfo{}, err
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return "", TokenInfo{}, err
	}
	info := TokenInfo{ID: hex.EncodeToString(id[:]), Label: label, Role: role, Hash: hashSecret(secret[:]), Created: now.UTC()}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.load(); err != nil {
		return "", TokenInfo{}, err
	}
	list := append(append([]TokenInfo{}, t.list...), info)
	if err := t.save(list); err != nil {
		return "", TokenInfo{}, err
	}
	return tokenPrefix + info.ID + "_" + base64.RawURLEncoding.EncodeToString(secret[:]), info, nil
}

// Revoke marks the token with id revoked. It returns an ENOTFOUND error for
// an unknown id.
func (t *Tokens) Revoke(id string, now time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.load(); err != nil {
		return err
	}
	list := append([]TokenInfo{}, t.list...)
	for i := range list {
		if list[i].ID == id {
			if list[i].Revoked == nil {
				at := now.UTC()
				list[i].Revoked = &at
			}
			return t.save(list)
		}
	}
	return scruple.Errorf(scruple.ENOTFOUND, "no token %q", id)
}

// List returns the stored tokens (hashes only).
func (t *Tokens) List() ([]TokenInfo, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.load(); err != nil {
		return nil, err
	}
	return append([]TokenInfo{}, t.list...), nil
}

// Authenticate returns the live token matching tok. The secret is compared
// by its hash in constant time, so the time taken says nothing about how
// much of it matched.
func (t *Tokens) Authenticate(tok string) (TokenInfo, bool) {
	id, secret, ok := splitToken(tok)
	if !ok {
		return TokenInfo{}, false
	}
	got := hashSecret(secret)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.load(); err != nil {
		return TokenInfo{}, false
	}
	for _, info := range t.list {
		if info.ID != id {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(info.Hash), []byte(got)) == 1 && info.Revoked == nil {
			return info, true
		}
		return TokenInfo{}, false
	}
	return TokenInfo{}, false
}

// lookup returns the live token with id (for sessions, which hold the id).
func (t *Tokens) lookup(id string) (TokenInfo, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.load(); err != nil {
		return TokenInfo{}, false
	}
	for _, info := range t.list {
		if info.ID == id && info.Revoked == nil {
			return info, true
		}
	}
	return TokenInfo{}, false
}

func splitToken(tok string) (id string, secret []byte, ok bool) {
	rest, ok := strings.CutPrefix(tok, tokenPrefix)
	if !ok {
		return "", nil, false
	}
	id, s, ok := strings.Cut(rest, "_")
	if !ok || len(id) != 16 {
		return "", nil, false
	}
	if _, err := hex.DecodeString(id); err != nil {
		return "", nil, false
	}
	secret, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(secret) != 32 {
		return "", nil, false
	}
	return id, secret, true
}

func hashSecret(secret []byte) string {
	h := sha256.Sum256(secret)
	return hex.EncodeToString(h[:])
}
