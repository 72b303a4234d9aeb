package bundle

import (
	"bufio"
	"fmt"
	"path/filepath"
	"time"

	"github.com/scruple/scruple/provenance"
)

// grantSeen is a consent's grant (or import) as the log recorded it.
type grantSeen struct {
	line    int64
	subject string
	granted time.Time
}

// endSeen is the first log entry that ended a consent.
type endSeen struct {
	line int64
	kind string
	by   string // the consent whose purges remove the values: the refusal's ID for a refusal
}

// refusalSeen is a refusal entry: it ends its subject's grants dated at or
// before it (PIPL Art. 27), even those the entry does not list.
type refusalSeen struct {
	id      string
	line    int64
	subject string
	at      time.Time
}

// keptRecord is a record entry that kept values under consents.
type keptRecord struct {
	line     int64
	url      string
	version  string // the entry's crawler_version
	consents []string
	// legacy: written by a scruple that logged no consent events
	// (PreLedgerVersion) before any consent event of the log.
	legacy bool
	// quiet: logged before any consent event (legacy, or a current
	// scruple's record that cites a grant it never logged).
	quiet bool
}

// PreLedgerVersion is the scruple version (crawler_version in the log's
// entries) that kept values under consent without logging consent events.
// Every later version logs each grant before any record can cite it.
const PreLedgerVersion = "0.1.0"

// preLedgerUntil is when scruple began logging consent events (commit
// 6f72644). Builds after it still called themselves 0.1.0 for a day, but
// they log every grant before a record can cite it: a record entry dated
// after this is never legacy, whatever version it names.
var preLedgerUntil = time.Date(2026, 12, 5, 20, 57, 0, 0, time.UTC)

// preLedger reports whether a record entry was written by a scruple that
// logged no consent events: PreLedgerVersion, fetched before preLedgerUntil.
// Every scruple writes its version into its entries, so an entry naming
// none is not exempt.
func preLedger(version string, at time.Time) bool {
	return version == PreLedgerVersion && !at.IsZero() && at.Before(preLedgerUntil)
}

// checkConsents checks that every record entry that keeps a value under a
// consent comes after that consent's grant or import entry and after no
// withdraw, refuse, expire or sweep entry that ended it (issue 10: a keep
// decision must cite a consent the log proves was live). A record logged
// after the end is tolerated only when a later purge entry of the same URL
// removed that consent's values: a crawl worker may commit a page it decided
// just before it learnt of a withdrawal, and the sweep purges it at once.
//
// A log written by scruple 0.1.0 (PreLedgerVersion), which did not log
// consent events, has kept records and no grant entries at all. A kept
// record with no grant entry of its consent is such a legacy record only
// when its entry says it was written by that version (crawler_version) and
// it precedes the log's first consent event of any kind: it is not a
// problem, but it is counted (the return value) and verify says so,
// because the log cannot prove its consent. A legacy store keeps verifying
// after the current scruple migrates it as long as what it keeps
// afterwards is under new, logged grants. A record of any later version
// must cite a logged grant, whatever precedes it.
func checkConsents(dir string, signed int64, add func(provenance.Problem)) (legacy int) {
	f, err := provenance.OpenRegular(filepath.Join(dir, provenance.LogFile))
	if err != nil {
		return 0 // provenance.Verify reported it
	}
	defer f.Close()
	grants := map[string]grantSeen{}
	ended := map[string]endSeen{}
	var refusals []refusalSeen
	var kept []keptRecord
	purgedAfter := map[string]int64{} // URL + consent → line of the last purge naming them
	// Every purge names the consent whose end caused it: the ledger's
	// withdraw, refuse or expire entry precedes it. Logs written before
	// the ledger logged consent events ended a purge run with a summary
	// entry (withdrawal, refusal, expiry) after the purges instead.
	type purgeSeen struct {
		line         int64
		url, consent string
	}
	var purges []purgeSeen
	firstEnd := map[string]int64{} // consent → first line ending it (a refusal: its own entry too)
	legacyEnd := map[string]bool{}
	end := func(id, kind, by string, line int64) {
		if _, ok := ended[id]; !ok && id != "" {
			ended[id] = endSeen{line, kind, by}
		}
		if _, ok := firstEnd[id]; !ok && id != "" {
			firstEnd[id] = line
		}
	}
	ledgerSeen := false // a consent event of the ledger precedes this line
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for line := int64(1); sc.Scan() && line <= signed; line++ {
		e, err := provenance.ParseEntry(sc.Bytes())
		if err != nil {
			continue // provenance.Verify reports it
		}
		switch e.Kind {
		case provenance.KindGrant, provenance.KindImport, provenance.KindWithdraw, provenance.KindRefuse,
			provenance.KindExpire, provenance.KindSweep:
			ledgerSeen = true
		}
		switch e.Kind {
		case provenance.KindGrant, provenance.KindImport:
			if _, ok := grants[e.Consent]; !ok && e.Terms != nil && !e.Terms.Refused {
				grants[e.Consent] = grantSeen{line, e.Terms.Subject, e.Terms.GrantedAt}
			}
		case provenance.KindWithdraw, provenance.KindExpire, provenance.KindWithdrawal, provenance.KindExpiry:
			end(e.Consent, e.Kind, e.Consent, line)
			if e.Kind == provenance.KindWithdrawal || e.Kind == provenance.KindExpiry {
				legacyEnd[e.Consent] = true
			}
		case provenance.KindRefusal:
			// An older log's refusal summary: it followed the purges of
			// the refusal it names, and its refuse entry (if any) ended
			// the grants.
			legacyEnd[e.Consent] = true
		case provenance.KindRefuse:
			for _, id := range e.Ended {
				end(id, e.Kind, e.Consent, line)
			}
			if _, ok := firstEnd[e.Consent]; !ok && e.Consent != "" {
				firstEnd[e.Consent] = line
			}
			if e.Terms != nil {
				refusals = append(refusals, refusalSeen{e.Consent, line, e.Terms.Subject, e.Terms.GrantedAt})
			}
		case provenance.KindSweep:
			for _, id := range e.Ended {
				end(id, e.Kind, id, line)
			}
		case provenance.KindPurge:
			if e.Consent != "" {
				purgedAfter[e.URL+"\x00"+e.Consent] = line
				purges = append(purges, purgeSeen{line, e.URL, e.Consent})
			}
		case provenance.KindRecord:
			var ids []string
			for _, d := range e.Decisions {
				if d.Action == "keep" && d.Consent != "" {
					ids = append(ids, d.Consent)
				}
			}
			if len(ids) > 0 {
				kept = append(kept, keptRecord{line: line, url: e.URL, version: e.CrawlerVersion, consents: ids,
					legacy: !ledgerSeen && preLedger(e.CrawlerVersion, e.FetchedAt), quiet: !ledgerSeen})
			}
		}
	}
	for _, p := range purges {
		if l, ok := firstEnd[p.consent]; (ok && l < p.line) || legacyEnd[p.consent] {
			continue
		}
		add(provenance.Problem{Kind: ProblemConsent, File: provenance.LogFile, Line: p.line, URL: p.url,
			Message: "purges a value under consent " + p.consent + ", which no earlier withdraw, refuse or expire entry of the log ended"})
	}
	for _, k := range kept {
		for _, id := range k.consents {
			bad := func(msg string) {
				add(provenance.Problem{Kind: ProblemConsent, File: provenance.LogFile, Line: k.line, URL: k.url,
					Message: "keeps a value under consent " + id + ", " + msg})
			}
			g, ok := grants[id]
			if !ok && k.legacy {
				// No grant to check; an older log's withdrawal or
				// expiry of it still counts below.
				legacy++
			} else if !ok || g.line > k.line {
				msg := "which no earlier grant or import entry of the log records"
				if !ok && k.quiet {
					msg += fmt.Sprintf(" (a record written by scruple %s, which logs every grant: only records of scruple %s fetched before %s may lack one)",
						k.version, PreLedgerVersion, preLedgerUntil.Format(time.RFC3339))
				}
				bad(msg)
				continue
			}
			endLine, endKind, by := int64(0), "", ""
			if e, ok := ended[id]; ok && e.line < k.line {
				endLine, endKind, by = e.line, e.kind, e.by
			}
			for _, r := range refusals {
				if r.line < k.line && r.subject == g.subject && !g.granted.After(r.at) && (endLine == 0 || r.line < endLine) {
					endLine, endKind, by = r.line, provenance.KindRefuse, r.id
				}
			}
			if endLine == 0 || purgedAfter[k.url+"\x00"+by] > k.line {
				continue
			}
			bad(fmt.Sprintf("which a %s entry (log line %d) ended before this record and no later purge removed", endKind, endLine))
		}
	}
	return legacy
}
