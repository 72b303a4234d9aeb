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
// # Consent operations
//
// The server never decides consent rules itself: every grant, withdrawal and
// refusal goes through a Ledger (StoreLedger adapts package consent and
// decide.Purge), whose rule errors become 422 responses naming each rule.
package serve
