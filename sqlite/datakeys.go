package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/shred"
)

// UseConsentKey makes the store seal the values kept under consent (package
// shred) with data keys wrapped under a key derived from consentKey, the
// data directory's consent key. A store without it writes such values in
// clear (tests, tools that only read) and reads sealed values as masked.
func (s *Store) UseConsentKey(consentKey []byte) error {
	k, err := shred.NewKeyring(consentKey, s)
	if err != nil {
		return err
	}
	s.ring = k
	return nil
}

// DataKey implements shred.KeyStore on table data_keys; an empty wrapped
// key is a tombstone.
func (s *Store) DataKey(ctx context.Context, consent string, create []byte) ([]byte, error) {
	// Read first: the key exists for every value but a consent's first, and
	// a read costs the commit path less than an INSERT that does nothing.
	var w []byte
	err := s.db.QueryRowContext(ctx, `SELECT wrapped FROM data_keys WHERE consent = ?`, consent).Scan(&w)
	if err == sql.ErrNoRows && create != nil {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO data_keys(consent, wrapped) VALUES (?, ?) ON CONFLICT(consent) DO NOTHING`,
			consent, create); err != nil {
			return nil, err
		}
		err = s.db.QueryRowContext(ctx, `SELECT wrapped FROM data_keys WHERE consent = ?`, consent).Scan(&w)
	}
	if err == sql.ErrNoRows || len(w) == 0 { // none, or a tombstone
		return nil, nil
	}
	return w, err
}

// DestroyDataKey destroys consent's data key for good: its row becomes a
// tombstone (no key is ever made for the consent again), secure_delete
// overwrites the old cell and Scrub truncates the WAL that held it. Every
// value sealed under it, in any copy of any file, is unreadable from then.
func (s *Store) DestroyDataKey(ctx context.Context, consent string) error {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT length(wrapped) FROM data_keys WHERE consent = ?`, consent).Scan(&n)
	if err == nil && n == 0 {
		return nil // a tombstone already: nothing to write or scrub
	}
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO data_keys(consent, wrapped) VALUES (?, x'')
		ON CONFLICT(consent) DO UPDATE SET wrapped = x''`, consent); err != nil {
		return err
	}
	return s.Scrub(ctx)
}

// sealed returns the stored encoding of r when it keeps values under
// consent and the store has a keyring; nil otherwise. When a consent ended
// since r was made (its key is gone), its values are stored masked and r
// becomes the record as it will read back, so that the entry the caller
// builds from r matches what is stored. It runs before the caller's
// transaction: the keyring reads data_keys on the store's one connection.
func (s *Store) sealed(ctx context.Context, r *scruple.Record) ([]byte, error) {
	if s.ring == nil || r == nil || !shred.Keeps(r) {
		return nil, nil
	}
	st, lost, err := s.ring.Seal(ctx, r)
	if err != nil {
		return nil, err
	}
	if lost {
		rb, err := s.ring.ReadBack(ctx, st)
		if err != nil {
			return nil, err
		}
		*r = *rb
	}
	return json.Marshal(st)
}

// open turns stored records back into records as made: values whose
// consent's key exists are back, the others stay masked.
func (s *Store) open(ctx context.Context, recs []*scruple.Record) error {
	for _, r := range recs {
		if len(r.Sealed) == 0 {
			continue
		}
		if s.ring == nil {
			r.Sealed = nil // no key: the values stay masked
			continue
		}
		if err := s.ring.Open(ctx, r); err != nil {
			return err
		}
	}
	return nil
}
