// Package consent is scruple's consent ledger logic (DESIGN §3, issue 5):
// the per-data-directory key, subject HMACs, the rules that refuse blanket
// consent, the JSON Lines import, and the in-memory Index the crawler asks
// whether a finding may be kept raw.
//
// # Subjects
//
// A subject is named by one identifier (a mobile number, an ID number, an
// e-mail address ...) and stored only as SubjectHMAC(key, type, normalised
// value): HMAC-SHA256 under the data directory's 32-byte key (consent.key,
// mode 0600) over "scruple/consent-subject/v1" NUL type NUL value. Normalise
// produces exactly the string pii.Finding.Subject holds for the same value,
// and validates it with the detector's rules, so the crawler's
// SubjectHMAC(key, f.Type, f.Subject) finds the grant. The type is part of
// the input: the same digits as a phone number and as a card are different
// identifiers, and consent given for one must not unlock the other (PIPL
// Art. 14). A consent therefore covers findings of its subject's own type;
// other types it lists are recorded (what the person agreed to) but match
// only findings whose own value is that subject identifier.
//
// # Blanket consent is refused
//
// Validate names every rule a grant breaks, with its PIPL article: missing
// or wildcard types (*, all, any), unknown types, credentials (JR/T 0171 C3:
// never stored) and organisation codes (not personal: Art. 4); types that
// leave out the subject's own type; a missing, too short (under 8 letters or
// 4 Han characters) or vague purpose (any, all, everything, anything,
// general, various, etc., 一切, 所有用途, 任何用途, 全部用途, a list closed by 等;
// whole words and phrases only: Art. 6, 14); a missing or unnamed processor
// (Art. 17); missing or unnamed recipients (partners, third parties,
// affiliates, 合作伙伴, 第三方, *: Art. 23; ["none"] says explicitly that the
// data goes to no third party); no expiry, an expiry not after the grant,
// already past, or beyond the maximum TTL (default one year); sensitive
// types without separate consent (Art. 29); a resident ID of a child under
// 14 without guardian consent (Art. 31); a missing method or one that is not
// consent (implied, pre-ticked, opt-out, 默认勾选: Art. 14); a missing or
// malformed evidence digest.
//
// # JSON Lines import
//
// One object per line, blank lines skipped, unknown fields refused:
//
//	{"subject_type": "cn_mobile", "subject": "+86 138 1234 5678",
//	 "types": ["cn_mobile"], "purpose": "order delivery notices by SMS",
//	 "processor": "Example Trading Co., Ltd.", "recipients": ["none"],
//	 "method": "signed paper form", "evidence": "<64 hex digits>",
//	 "granted_at": "2026-01-05T10:00:00+08:00", "expires_at": "2026-07-05T00:00:00+08:00",
//	 "separate": false, "guardian": false}
//
// subject_type (a pii type id), subject (the raw identifier; never stored),
// types, purpose, processor, recipients (named third parties, or ["none"]),
// method, evidence (hex SHA-256) or evidence_file (hashed at import),
// granted_at and expires_at (RFC 3339), separate, guardian. ParseJSONL
// reports each bad line with its number and keeps the good ones; the caller
// writes those in one transaction.
//
// # Coverage
//
// Index.Covers keeps a finding raw only under a live consent (not withdrawn,
// Art. 15; not refused, Art. 27; within granted/expiry) for that subject and
// type and for exactly the crawl's purpose, with separate consent for
// sensitive data and guardian consent for a minor's. A refusal blocks all
// coverage for its subject.
//
// # Crypto-shredding
//
// What Index.Covers lets a crawl keep is stored encrypted (package shred):
// one AES-256-GCM data key per consent, kept in the store wrapped under a
// key derived with HKDF-SHA256 from the data directory's consent key (the
// same key as the subject HMACs', under a label of its own, so one secret
// serves both without one key ever feeding two algorithms). Ending a
// consent (withdrawal, refusal, expiry: decide.Purge) destroys its data key
// before anything else, leaving a tombstone so that no key is made for the
// consent again; every stored copy of its values, in any file, backup or
// replica of the store, is unreadable from that moment, and the records
// are then rewritten with the values masked. A record's log digests are
// salted with a salt split between its consents' keys, which dies with the
// first of them, so the provenance log cannot be used to test guesses of a
// purged value. A record whose key is gone reads with its values masked.
package consent
