package pii

// Version identifies the detector's rules (types, validation, context words).
// It is recorded in every provenance entry, so that a reviewer knows which
// detector judged a page; bump it whenever detection results can change.
const Version = "pii/1"
