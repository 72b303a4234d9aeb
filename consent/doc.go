// Package consent is scruple's consent ledger logic (DESIGN §3, issue 5):
// the per-data-directory key, subject HMACs, the rules that refuse blanket
// consent, the JSON Lines import, and the in-memory Index the crawler asks
// whether a finding may be kept raw. Package consent/ledger is the only
// writer of consent events.
//
// # Lifecycle
//
// A consent's state is computed in one place, scruple.Consent.State (and
// StateAmong, which adds the refusals of its subject): not yet (before
// granted_at), live (granted_at ≤ t < expires_at), expired, withdrawn
// (from the moment a withdrawal is recorded, PIPL Art. 15) and refused
// (Art. 27). Final reports withdrawn or refused: the consent's ID hashes
// its terms and dates, so a grant or import of the same terms names the
// same consent, and the ledger refuses it (RuleFinal; a bad line of an
// import) while both stores refuse, inside the writing transaction, to
// overwrite a final consent (scruple.CheckConsentWrite): no race revives
// one. A refusal ends every grant of its subject dated at or before it
// (Blocks) and refuses later imports of such grants (RuleBlocked); grants
// dated after it stand. A withdrawal likewise refuses new grants of its
// subject for the same purpose dated at or before it (Supersedes): the
// withdrawn grant re-sent with a field changed has a new ID, which finality
// by ID alone would let back in. A refusal itself cannot be withdrawn.
//
// Expiry needs no crawl: ledger.Sweep, run first by every command that
// opens a store and alone by `scruple consent sweep`, logs each expiry once
// and purges every value an ended consent still holds (decide.Purge).
//
// Every event is a provenance-log entry written in the same transaction as
// the consent change: grant and import (with the consent's terms, the
// subject only as its HMAC), withdraw, refuse (listing the grants it
// ended), expire and sweep (listing what it expired). One event is one
// entry: the purges it causes follow as purge entries naming the consent
// (the refusal, for a refusal), and no second summary entry is written
// (older logs have withdrawal, refusal and expiry summaries after their
// purges; they are still read). A refusal purges exactly the grants it
// blocks (decide.PurgeRefusal). bundle.Verify checks each kept finding
// against them: its consent's grant precedes the record and no end of it
// does; and each purge against them: an end of its consent precedes it.
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
// affiliates, 合作伙伴, 第三方, *, alone or in any combination such as
// 合作伙伴及第三方, and open lists such as "X and other partners" or
// "X等": Art. 23; ["none"] says explicitly that the data goes to no third
// party); no expiry, an expiry not after the grant,
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
// sensitive data and guardian consent for a minor's. A refusal blocks the
// grants of its subject dated at or before it.
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
