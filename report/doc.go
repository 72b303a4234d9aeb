// Package report turns a provenance bundle into the evidence a compliance
// officer reads: one self-contained HTML page (inline CSS and SVG, no
// script, no network request, print CSS) in Chinese or English, with the
// verdict first, then the crawl's scope, per-host politeness and refusals,
// personal information and consents, a legal checklist whose rows link to
// the log entries that prove them, the report's own anomaly checks and
// redacted samples.
//
// The report proves nothing by itself: every figure is computed from the
// signed log and the records it vouches for, after provenance.Verify has
// checked the bundle. A bundle that does not verify still gets a report, with
// a red verdict naming what is wrong, so that the reader sees what was
// claimed and why it cannot be trusted. Where the bundle does not say
// something (a consent's purpose, the delay in force), the report says so and
// the checklist counts it as a fail: a buyer can only rely on what the bundle
// proves.
//
// Build reads a bundle in a few streaming passes and keeps per host a few
// counters and one timestamp per request (for the politeness figures), so
// memory grows with hosts and requests, never with the records' text.
// Nothing raw leaves the package: values kept under consent are masked in
// samples, and every free text taken from the bundle (URLs, reasons, titles,
// excerpts) is passed through the personal-information detector before it is
// rendered.
package report
