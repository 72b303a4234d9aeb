package shred

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/scruple/scruple"
)

// KeyStore keeps the wrapped data keys. Implemented by the stores; the
// methods run outside any transaction of the caller's.
type KeyStore interface {
	// DataKey returns the wrapped data key of consent. When there is none
	// and create is not nil, it stores create first (unless another writer
	// stored one meanwhile: then that one is returned). It returns nil,
	// nil when the consent's key was destroyed, or when there is none and
	// create is nil.
	DataKey(ctx context.Context, consent string, create []byte) ([]byte, error)
}

// kekLabel is HKDF's info: it binds the derived key to this use and version.
const kekLabel = "scruple/shred/v1 key-encryption key"

// KEK derives the key-encryption key from a data directory's consent key.
func KEK(consentKey []byte) ([]byte, error) {
	if len(consentKey) < 16 {
		return nil, scruple.Errorf(scruple.EINVALID, "shred: consent key of %d bytes is too short", len(consentKey))
	}
	return hkdf.Key(sha256.New, consentKey, nil, kekLabel, 32)
}

// Keyring seals and opens records with the data keys of a KeyStore. It
// caches nothing: a key destroyed by another process (a withdrawal from
// the CLI during a crawl, another PostgreSQL worker) is gone for this one
// at its next use.
type Keyring struct {
	kek cipher.AEAD
	ks  KeyStore
}

// NewKeyring returns a keyring whose data keys live in ks, wrapped under
// the KEK derived from consentKey.
func NewKeyring(consentKey []byte, ks KeyStore) (*Keyring, error) {
	k, err := KEK(consentKey)
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(k)
	if err != nil {
		return nil, err
	}
	return &Keyring{kek: aead, ks: ks}, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// seal and open put the nonce in front of the ciphertext.
func seal(a cipher.AEAD, plain, aad []byte) []byte {
	out := make([]byte, a.NonceSize(), a.NonceSize()+len(plain)+a.Overhead())
	rand.Read(out)
	return a.Seal(out, out, plain, aad)
}

func open(a cipher.AEAD, box, aad []byte) ([]byte, error) {
	if len(box) < a.NonceSize()+a.Overhead() {
		return nil, fmt.Errorf("shred: box of %d bytes", len(box))
	}
	return a.Open(nil, box[:a.NonceSize()], box[a.NonceSize():], aad)
}

// key returns consent's data key, creating it when create is set; nil when
// the key was destroyed (or never made, without create).
func (k *Keyring) key(ctx context.Context, consent string, create bool) (cipher.AEAD, error) {
	aad := []byte("scruple/shred/v1 data key\x00" + consent)
	var fresh []byte
	if create {
		dk := make([]byte, 32)
		rand.Read(dk)
		fresh = seal(k.kek, dk, aad)
	}
	wrapped, err := k.ks.DataKey(ctx, consent, fresh)
	if err != nil || wrapped == nil {
		return nil, err
	}
	dk, err := open(k.kek, wrapped, aad)
	if err != nil {
		// Another consent key wrapped it (a --consent-key-file that
		// differs from the one the crawl used): refuse rather than mask
		// values the right key would open.
		return nil, scruple.Errorf(scruple.ECONFLICT, "shred: the data key of consent %s does not open with this consent key", consent)
	}
	return newAEAD(dk)
}

// boxAAD binds a box to its record and consent, so that a box copied into
// another record or under another consent does not open.
func boxAAD(url, consent string) []byte {
	return []byte("scruple/shred/v1 values\x00" + url + "\x00" + consent)
}

// Seal returns the stored form of r: a copy with every value kept under
// consent replaced by its mask in Text and Title (spans moved to match) and
// sealed, with the values, a share of Salt and the raw-body Digest, in one
// box per consent. Neither Salt nor Digest is kept in clear (IndexDigest). A record that keeps nothing is returned as is.
// A value whose consent's key was destroyed is stored masked, with no box:
// its consent has ended, and it is never written readable again; lost
// reports it, and then the record will not read back as r (see ReadBack).
func (k *Keyring) Seal(ctx context.Context, r *scruple.Record) (stored *scruple.Record, lost bool, err error) {
	groups := map[string][]int{}
	for i, f := range r.Findings {
		if kept(f) && spanOK(r, f) {
			groups[f.Consent] = append(groups[f.Consent], i)
		}
	}
	if len(groups) == 0 {
		return r, false, nil
	}
	var salt []byte
	if r.Salt != "" {
		if salt, err = hex.DecodeString(r.Salt); err != nil || len(salt) != saltSize {
			return nil, false, scruple.Errorf(scruple.EINVALID, "shred: record salt is not %d hex bytes", saltSize)
		}
	}
	consents := make([]string, 0, len(groups))
	for c := range groups {
		consents = append(consents, c)
	}
	sort.Strings(consents)
	// Shares: random for all consents but the last, whose share makes the
	// XOR of all equal the salt.
	shares := make([][]byte, len(consents))
	if salt != nil {
		last := append([]byte(nil), salt...)
		for i := range consents[:len(consents)-1] {
			shares[i] = make([]byte, saltSize)
			rand.Read(shares[i])
			xor(last, shares[i])
		}
		shares[len(consents)-1] = last
	}
	out := *r
	out.Findings = append([]scruple.Finding(nil), r.Findings...)
	out.Salt, out.Sealed, out.Digest = "", nil, ""
	repl := map[int]string{}
	for ci, c := range consents {
		aead, err := k.key(ctx, c, true)
		if err != nil {
			return nil, false, err
		}
		body := content{Share: shares[ci], Digest: r.Digest}
		for _, i := range groups[c] {
			f := r.Findings[i]
			body.Values = append(body.Values, value{Finding: i, Text: (*field(r, f.Field))[f.Start:f.End]})
			repl[i] = mask(f)
		}
		if aead == nil {
			lost = true
			continue // destroyed: masked, no box
		}
		plain, err := json.Marshal(body)
		if err != nil {
			return nil, false, err
		}
		out.Sealed = append(out.Sealed, scruple.Sealed{Consent: c, Box: seal(aead, plain, boxAAD(r.URL, c))})
	}
	splice(&out, repl)
	// A kept finding that splice could not rewrite (a span overlapping
	// another) would leave its value in clear beside its box: refuse to
	// store the record rather than keep the value unsealed.
	for i := range repl {
		f := out.Findings[i]
		if !spanOK(&out, f) || (*field(&out, f.Field))[f.Start:f.End] != mask(f) {
			return nil, false, scruple.Errorf(scruple.EINVALID, "shred: record %s: kept finding %d overlaps another; not stored", r.URL, i)
		}
	}
	return &out, lost, nil
}

// ReadBack returns the record as Open will read stored back: for a record
// Seal reported lost, the store gives it to the caller in place of the one
// it was given, so that the log entry built from it matches what is stored
// (a consent ended between the crawler's decision and the commit).
func (k *Keyring) ReadBack(ctx context.Context, stored *scruple.Record) (*scruple.Record, error) {
	rb := *stored
	rb.Findings = append([]scruple.Finding(nil), stored.Findings...)
	rb.Sealed = append([]scruple.Sealed(nil), stored.Sealed...)
	if err := k.Open(ctx, &rb); err != nil {
		return nil, err
	}
	return &rb, nil
}

// Open turns a stored record back into the record as it was made, in
// place: each box whose consent's key still exists is opened and its
// values put back in place of their masks; Salt and Digest are restored
// when every box opened. A box whose key is gone (or that does not open) leaves its
// values masked: the record is still returned, as a purge will leave it.
func (k *Keyring) Open(ctx context.Context, r *scruple.Record) error {
	if len(r.Sealed) == 0 {
		return nil
	}
	repl := map[int]string{}
	var salt []byte
	digest := ""
	complete := true
	for _, s := range r.Sealed {
		aead, err := k.key(ctx, s.Consent, false)
		if err != nil {
			return err
		}
		if aead == nil {
			complete = false
			continue
		}
		plain, err := open(aead, s.Box, boxAAD(r.URL, s.Consent))
		if err != nil {
			complete = false
			continue
		}
		c, err := decodeContent(plain, len(r.Findings))
		if err != nil {
			complete = false
			continue
		}
		for _, v := range c.Values {
			if f := r.Findings[v.Finding]; f.Consent == s.Consent && kept(f) {
				repl[v.Finding] = v.Text
			}
		}
		if c.Digest != "" {
			digest = c.Digest
		}
		if len(c.Share) > 0 {
			if salt == nil {
				salt = make([]byte, saltSize)
			}
			xor(salt, c.Share)
		}
	}
	splice(r, repl)
	r.Sealed = nil
	if complete && salt != nil {
		r.Salt = hex.EncodeToString(salt)
	}
	if complete {
		// Only with every box open: the digest covers every kept value,
		// so it must die with the first consent that ends.
		r.Digest = digest
	}
	return nil
}

func xor(dst, src []byte) {
	for i := range dst {
		dst[i] ^= src[i]
	}
}
