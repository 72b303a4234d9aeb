// Package attest writes and checks a bundle's attestation: an in-toto
// Statement v1 whose subjects are every file of the bundle with its SHA-256,
// whose predicate is SLSA Provenance v1 describing the crawl, in a DSSE
// envelope signed with the crawl's ed25519 key (the key that signs the
// provenance log's checkpoints). Auditors already verify this format: the
// envelope checks with any DSSE verifier given the public key, and
// attestation.intoto.json can be fed to in-toto and SLSA tooling.
//
// The statement is built with the in-toto attestation Go packages and
// signed and verified with go-securesystemslib's dsse. The crawl key is a
// golang.org/x/mod/sumdb/note ed25519 key, whose Sign is a plain ed25519
// signature of the message, so it serves DSSE unchanged; the verifier key
// string (key.pub) carries the public key.
package attest

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"golang.org/x/mod/sumdb/note"
)

// Names of the formats.
const (
	// FileName is the attestation's name in a bundle.
	FileName = "attestation.intoto.json"
	// PayloadType is the DSSE payload type of an in-toto statement.
	PayloadType = "application/vnd.in-toto+json"
	// StatementType is in-toto Statement v1's _type.
	StatementType = "https://in-toto.io/Statement/v1"
	// PredicateType is SLSA Provenance v1.
	PredicateType = "https://slsa.dev/provenance/v1"
	// BuildType names a scruple crawl: a stable URL whose document
	// (docs/attestation-crawl-v1.md) describes the parameters, dependencies
	// and byproducts below.
	BuildType = "https://scruple.dev/attestation/crawl/v1"
	// BuilderID names scruple as the builder.
	BuilderID = "https://scruple.dev/scruple"
)

// noteSigner adapts a note signer (ed25519) to dsse.Signer.
type noteSigner struct{ s note.Signer }

func (n noteSigner) Sign(_ context.Context, data []byte) ([]byte, error) { return n.s.Sign(data) }
func (n noteSigner) KeyID() (string, error)                              { return keyID(n.s.Name(), n.s.KeyHash()), nil }

// keyID is the DSSE keyid of a crawl key: the note key's name and hash, as
// they appear in key.pub ("scruple-host+1a2b3c4d").
func keyID(name string, hash uint32) string { return fmt.Sprintf("%s+%08x", name, hash) }

// Sign wraps statement (JSON) in a DSSE envelope signed by signer, which
// must be an ed25519 note signer.
func Sign(ctx context.Context, statement []byte, signer note.Signer) (*dsse.Envelope, error) {
	es, err := dsse.NewEnvelopeSigner(noteSigner{signer})
	if err != nil {
		return nil, err
	}
	return es.SignPayload(ctx, PayloadType, statement)
}

// Verifier is the DSSE verifier of a crawl's verifier key (key.pub).
type Verifier struct {
	pub  ed25519.PublicKey
	id   string
	name string
}

// NewVerifier parses a note verifier key ("name+hash+base64") holding an
// ed25519 public key.
func NewVerifier(verifierKey string) (*Verifier, error) {
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return nil, fmt.Errorf("verifier key: %w", err)
	}
	parts := strings.SplitN(verifierKey, "+", 3)
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 1+ed25519.PublicKeySize || raw[0] != 1 {
		return nil, errors.New("verifier key: not an ed25519 key")
	}
	return &Verifier{pub: ed25519.PublicKey(raw[1:]), id: keyID(v.Name(), v.KeyHash()), name: v.Name()}, nil
}

// Verify implements dsse.Verifier.
func (v *Verifier) Verify(_ context.Context, data, sig []byte) error {
	if !ed25519.Verify(v.pub, data, sig) {
		return errors.New("ed25519 signature does not verify")
	}
	return nil
}

// KeyID implements dsse.Verifier.
func (v *Verifier) KeyID() (string, error) { return v.id, nil }

// Public implements dsse.Verifier.
func (v *Verifier) Public() crypto.PublicKey { return v.pub }

// PublicKey returns the ed25519 public key.
func (v *Verifier) PublicKey() ed25519.PublicKey { return v.pub }

// Open checks an attestation file's envelope: its payload type and a
// signature by the verifier key, and returns the statement it carries
// (JSON). The envelope's keyid, when given, must name the key.
func Open(envelope []byte, verifierKey string) ([]byte, error) {
	var env dsse.Envelope
	if err := json.Unmarshal(envelope, &env); err != nil {
		return nil, fmt.Errorf("not a DSSE envelope: %w", err)
	}
	if env.PayloadType != PayloadType {
		return nil, fmt.Errorf("payload type %q, want %q", env.PayloadType, PayloadType)
	}
	v, err := NewVerifier(verifierKey)
	if err != nil {
		return nil, err
	}
	ev, err := dsse.NewEnvelopeVerifier(v)
	if err != nil {
		return nil, err
	}
	if _, err := ev.Verify(context.Background(), &env); err != nil {
		return nil, fmt.Errorf("signature does not verify under %s: %w", v.id, err)
	}
	return env.DecodeB64Payload()
}

// digestHex returns a descriptor's sha256 digest, "" when it has none.
func digestHex(d map[string]string) string {
	s := d["sha256"]
	if _, err := hex.DecodeString(s); err != nil || len(s) != 64 {
		return ""
	}
	return s
}
