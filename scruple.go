// Package scruple holds the domain types and store interfaces of scruple, a web
// crawler that collects only public content, politely, and keeps provenance.
//
// The pipeline (frontier → scheduler → fetch → extract → detect → decide → store)
// lives in sub-packages; implementations of the store interfaces live in one
// package per dependency (sqlite/). The crawler engine is in crawler/, and
// cmd/scruple only wires these together, so everything here is usable as a
// library:
//
//	st, _ := sqlite.Open("./scruple-data")
//	c, _ := crawler.New(cfg, st)
//	summary, err := c.Crawl(ctx)
package scruple

// Version is the crawler version recorded in every record's provenance and sent
// in the default User-Agent. 0.2.0 logs every consent event (grant, import,
// withdraw, refuse, expire, sweep) in the provenance log; verify exempts
// from proving a kept value's grant only records of 0.1.0, which logged
// none (bundle.PreLedgerVersion).
const Version = "0.2.0"

// DefaultUserAgent names scruple, its version and where to read about it, so a
// site operator can find out who is crawling and how to opt out.
const DefaultUserAgent = "scruple/" + Version + " (+https://scruple.dev/bot)"
