package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/shred"
)

// UseConsentKey makes the store seal the values kept under consent (package
// shred) with data keys wrapped under a key derived from consentKey, which
// never enters the database. Every worker of a crawl must use the same
// consent key. A store without it writes such values in clear and reads
// sealed values as masked.
func (s *Store) UseConsentKey(consentKey []byte) error {
	k, err := shred.NewKeyring(consentKey, s)
	if err != nil {
		return err
	}
	s.ring = k
	return nil
}

// DataKey implements shred.KeyStore on table data_keys; an empty wrapped
// key is a tombstone. Two workers creating a consent's key at once both
// get the one that was stored first.
func (s *Store) DataKey(ctx context.Context, consent string, create []byte) ([]byte, error) {
	var w []byte
	err := s.retry(ctx, func() error {
		w = nil
		q := `SELECT wrapped FROM data_keys WHERE crawl_id = $1 AND consent = $2`
		err := s.pool.QueryRow(ctx, q, s.crawl, consent).Scan(&w)
		if errors.Is(err, pgx.ErrNoRows) && create != nil {
			if _, err := s.pool.Exec(ctx, `INSERT INTO data_keys (crawl_id, consent, wrapped) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING`, s.crawl, consent, create); err != nil {
				return err
			}
			err = s.pool.QueryRow(ctx, q, s.crawl, consent).Scan(&w)
		}
		if errors.Is(err, pgx.ErrNoRows) {
			w = nil
			return nil
		}
		return err
	})
	if err != nil || len(w) == 0 {
		return nil, err
	}
	return w, nil
}

// DestroyDataKey destroys consent's data key: its row becomes a tombstone,
// so no worker makes a key for the consent again. The values sealed under
// it are then unreadable in every copy PostgreSQL keeps (dead tuples,
// TOAST, WAL, replicas, backups) to anyone without the consent key; the
// old row's wrapped key itself may linger in the same places until they
// are recycled, and opens only with the consent key (see package shred).
func (s *Store) DestroyDataKey(ctx context.Context, consent string) error {
	return s.retry(ctx, func() error {
		_, err := s.pool.Exec(ctx, `INSERT INTO data_keys (crawl_id, consent, wrapped) VALUES ($1, $2, ''::bytea)
			ON CONFLICT (crawl_id, consent) DO UPDATE SET wrapped = ''::bytea`, s.crawl, consent)
		return err
	})
}

// sealed returns the stored form of r when it keeps values under consent
// and the store has a keyring, else r. When a consent ended since r was
// made, r becomes the record as it will read back (see sqlite's sealed).
func (s *Store) sealed(ctx context.Context, r *scruple.Record) (*scruple.Record, bool, error) {
	if s.ring == nil || r == nil || !shred.Keeps(r) {
		return r, false, nil
	}
	st, lost, err := s.ring.Seal(ctx, r)
	if err != nil {
		return nil, false, err
	}
	if lost {
		rb, err := s.ring.ReadBack(ctx, st)
		if err != nil {
			return nil, false, err
		}
		*r = *rb
	}
	return st, true, nil
}

// open turns stored records back into records as made.
func (s *Store) open(ctx context.Context, recs []*scruple.Record) error {
	for _, r := range recs {
		if len(r.Sealed) == 0 {
			continue
		}
		if s.ring == nil {
			r.Sealed = nil
			continue
		}
		if err := s.ring.Open(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// marshalStored encodes the stored form of r.
func marshalStored(r *scruple.Record) ([]byte, error) { return json.Marshal(r) }
