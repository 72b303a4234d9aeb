// Package serve is scruple's HTTP service (issue 15): a JSON API under
// /api/v1 for a data company's customer-service system to forward consents,
// withdrawals (PIPL Art. 15, 47) and refusals (Art. 27) the moment a subject
// makes them, a subject-access lookup, the live crawl's status, its records
// (stored, redacted text only), the compliance report and bundle
// verification; its OpenAPI 3.1 description at /api/openapi.yaml;
// Prometheus metrics at /metrics; and a server-rendered console at / with
// assets embedded (no CDN: it works offline).
//
// # Security
//
// Every route but the OpenAPI description, the sign-in page and static
// assets needs a bearer token (Tokens: created once, stored only as a
// SHA-256 hash, revocable) or a console session opened with one. A token's
// role bounds what it may do: viewer reads, operator manages consents,
// admin manages tokens. A session lives in an HttpOnly, SameSite=Strict
// cookie, and every state-changing request made with it must carry the
// session's CSRF token: the cookie alone, which a browser attaches to a
// forged cross-site form, never changes anything. Failed sign-ins and bad
// tokens are rate limited per client address. Responses carry a strict
// Content-Security-Policy (no inline script), nosniff and frame-ancestors
// 'none'; request bodies are bounded; a bundle upload is unpacked with no
// path escaping its temporary directory.
//
// No raw personal value appears in a response, log line, metric or error: a
// subject sent to the lookup or refusal endpoints is normalised and HMAC'd
// on arrival (package consent) and dropped; records are served as stored,
// already redacted.
//
// # Sessions are in memory, on purpose
//
// Console sessions live in the server's memory: a restart signs every
// console out, and two servers on one store do not share them. That is the
// choice, not an omission. The path that must never break, a
// customer-service system forwarding withdrawals, uses bearer tokens,
// which need no session: restarts and extra instances change nothing for
// it. A session is a person at a browser for at most 12 hours; after a
// restart they paste their token again. Kept in memory, a session is never
// written where a backup, a replica or another tenant of the database
// could read it, and restarting the server is a way to end every session
// at once after a suspected leak (revoking a token ends its sessions
// without a restart). Several instances behind one address need session
// affinity for the console; the failed sign-in limit is per instance too.
//
// # Consent operations
//
// The server never decides consent rules itself: every grant, withdrawal and
// refusal goes through a Ledger (StoreLedger adapts package consent and
// decide.Purge), whose rule errors become 422 responses naming each rule.
package serve
