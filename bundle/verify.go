package bundle

import (
	"bufio"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/scruple/scruple/attest"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/warc"
)

// Problem kinds added to provenance's.
const (
	// ProblemManifest: a file differs from its manifest digest, or a WARC
	// file is missing from the manifest.
	ProblemManifest provenance.ProblemKind = "manifest"
	// ProblemWARC: a WARC record is unreadable, or its digests do not match,
	// or a log entry names a WARC record the bundle does not hold.
	ProblemWARC provenance.ProblemKind = "warc"
	// ProblemAttestation: the attestation is missing, not signed by the
	// key, or does not list exactly the bundle's files and digests.
	ProblemAttestation provenance.ProblemKind = "attestation"
	// ProblemConsent: a record keeps a value under a consent that the log
	// does not show live when the record was logged: no grant or import
	// entry precedes it, or a withdrawal, refusal or expiry of it does (and
	// no later purge of the record removed the value).
	ProblemConsent provenance.ProblemKind = "consent"
)

// Summary says what Verify checked beyond the provenance log.
type Summary struct {
	// WARCFiles and WARCRecords count the WARC files and records read.
	WARCFiles, WARCRecords int
	// WARCProblems counts what is wrong in the WARC files themselves: a file
	// or record that cannot be read, a digest that does not match.
	// BadReferences counts signed log entries whose WARC record is not
	// where they say.
	WARCProblems, BadReferences int
	// Referenced counts log entries whose WARC record was found.
	Referenced int
	// Unreferenced counts response, revisit, conversion and metadata
	// records no signed log entry names: robots.txt evidence, and captures
	// a killed run archived before committing (the URL was archived again).
	Unreferenced int
	// Subjects counts the files the attestation covers.
	Subjects int
	// Attested is set when the attestation verified.
	Attested bool
	// WARCOmitted is set by VerifyWithoutWARC: the bundle was exported
	// without its WARC files on purpose, and the log's references to them
	// were not checked.
	WARCOmitted bool
	// LegacyConsents counts the kept values of records logged by scruple
	// 0.1.0, which did not log consent events yet: their consents' grants
	// are not in the log, so it cannot prove them (not a problem: such a
	// log could not hold them).
	LegacyConsents int
}

// String is a one-line summary.
func (s Summary) String() string {
	att := "attestation: not verified"
	if s.Attested {
		att = fmt.Sprintf("attestation: in-toto statement over %d files, signature verified", s.Subjects)
	}
	if s.LegacyConsents > 0 {
		att += fmt.Sprintf("; note: %d kept values cite consents granted before this log recorded consent grants (records of scruple %s): the log cannot prove those grants", s.LegacyConsents, PreLedgerVersion)
	}
	if s.WARCOmitted {
		return "WARC files not included in the live report (the log's references to WARC records were not checked); " + att
	}
	if s.WARCFiles == 0 && s.BadReferences == 0 {
		return "no WARC files; " + att
	}
	if s.WARCFiles == 0 {
		// The log names WARC records and the bundle holds none: the
		// count of what is missing is the news, not the empty directory.
		return fmt.Sprintf("WARC: 0 files, %d log entr%s' WARC records NOT found (the bundle holds no WARC file); %s",
			s.BadReferences, pluralY(s.BadReferences), att)
	}
	digests := "every block digest verified"
	if s.WARCProblems > 0 {
		digests = fmt.Sprintf("%d WARC problem%s (unreadable records or digests that do not match: NOT verified)", s.WARCProblems, plural(s.WARCProblems))
	}
	refs := ""
	if s.BadReferences > 0 {
		refs = fmt.Sprintf(", %d NOT found where the log says", s.BadReferences)
	}
	return fmt.Sprintf("WARC: %d files, %d records, %s, %d log entries' records found%s (%d records not named by the log); %s",
		s.WARCFiles, s.WARCRecords, digests, s.Referenced, refs, s.Unreferenced, att)
}

func pluralY(n int) string {
	if n == 1 {
		return "y"
	}
	return "ies"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Verify checks a bundle: everything provenance.Verify checks, then the
// manifest's digests, every WARC record's digests, that each signed log
// entry's WARC record is where the entry says, and the attestation's
// signature and subjects. All problems are in the report.
func Verify(dir, expectKey string) (*provenance.Report, Summary, error) {
	return verify(dir, expectKey, false)
}

// VerifyWithoutWARC checks a bundle exported without its WARC files on
// purpose (the live report of a store a crawl may still be writing: its
// WARC directory is not a reader's to repair or copy mid-write). It checks
// everything Verify does but the WARC files and the log entries' references
// to them, and its Summary says so. A bundle holding WARC files still has
// them checked.
func VerifyWithoutWARC(dir, expectKey string) (*provenance.Report, Summary, error) {
	return verify(dir, expectKey, true)
}

func verify(dir, expectKey string, noWARC bool) (*provenance.Report, Summary, error) {
	var sum Summary
	rep, err := provenance.Verify(dir, expectKey)
	if err != nil {
		return nil, sum, err
	}
	add := func(p provenance.Problem) {
		if len(rep.Problems) >= provenance.MaxProblems {
			rep.Omitted++
			return
		}
		rep.Problems = append(rep.Problems, p)
	}
	actual, odd, err := files(dir)
	if err != nil {
		return nil, sum, err
	}
	for _, msg := range odd {
		add(provenance.Problem{Kind: ProblemAttestation, File: attest.FileName, Message: msg})
	}
	checkManifest(dir, actual, add)
	found := checkWARC(dir, actual, add, &sum)
	if noWARC && sum.WARCFiles == 0 {
		sum.WARCOmitted = true
	} else {
		checkRefs(dir, rep.TreeSize, found, add, &sum)
	}
	sum.LegacyConsents = checkConsents(dir, rep.TreeSize, add)
	checkAttestation(dir, rep.Key, actual, add, &sum)
	if len(odd) > 0 {
		sum.Attested = false // the bundle holds more than the attestation covers
	}
	return rep, sum, nil
}

func checkManifest(dir string, actual map[string]string, add func(provenance.Problem)) {
	b, err := provenance.ReadRegular(filepath.Join(dir, provenance.ManifestFile))
	if err != nil {
		add(provenance.Problem{Kind: provenance.ProblemMissing, File: provenance.ManifestFile, Message: "file is missing"})
		return
	}
	var m provenance.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		add(provenance.Problem{Kind: ProblemManifest, File: provenance.ManifestFile, Message: "not valid JSON: " + err.Error()})
		return
	}
	for _, n := range sortedKeys(m.Files) {
		switch got, ok := actual[n]; {
		case !ok:
			add(provenance.Problem{Kind: ProblemManifest, File: n, Message: "listed in manifest.json but missing"})
		case got != m.Files[n]:
			add(provenance.Problem{Kind: ProblemManifest, File: n, Message: fmt.Sprintf("SHA-256 %s, manifest.json says %s", got, m.Files[n])})
		}
	}
	for _, n := range sortedKeys(actual) {
		if _, ok := m.Files[n]; !ok && strings.HasPrefix(n, WARCDir+"/") {
			add(provenance.Problem{Kind: ProblemManifest, File: n, Message: "not listed in manifest.json"})
		}
	}
}

// recordAt is a WARC record found by Check.
type recordAt struct{ typ, id, payload string }

// checkWARC reads every WARC file of the bundle and returns the records
// found, by file and offset.
func checkWARC(dir string, actual map[string]string, add func(provenance.Problem), sum *Summary) map[string]map[int64]recordAt {
	found := map[string]map[int64]recordAt{}
	for _, n := range sortedKeys(actual) {
		if !strings.HasPrefix(n, WARCDir+"/") || !strings.HasSuffix(n, warc.Ext) {
			continue
		}
		sum.WARCFiles++
		recs := map[int64]recordAt{}
		found[strings.TrimPrefix(n, WARCDir+"/")] = recs
		probs, err := warc.Check(filepath.Join(dir, filepath.FromSlash(n)), func(ri warc.RecordInfo) {
			sum.WARCRecords++
			recs[ri.Offset] = recordAt{typ: ri.Type, id: ri.RecordID, payload: ri.Payload}
		})
		if err != nil {
			sum.WARCProblems++
			add(provenance.Problem{Kind: ProblemWARC, File: n, Message: err.Error()})
			continue
		}
		sum.WARCProblems += len(probs)
		for _, p := range probs {
			add(provenance.Problem{Kind: ProblemWARC, File: n, Message: fmt.Sprintf("record %s at offset %d: %s", p.RecordID, p.Offset, p.Message)})
		}
	}
	return found
}

// checkRefs checks that each signed log entry's WARC record is in the
// bundle, at its offset, with its ID and type, and that an archived
// response's payload is the body the entry's raw digest names.
func checkRefs(dir string, signed int64, found map[string]map[int64]recordAt, add func(provenance.Problem), sum *Summary) {
	f, err := provenance.OpenRegular(filepath.Join(dir, provenance.LogFile))
	if err != nil {
		return // provenance.Verify reported it
	}
	defer f.Close()
	named := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for line := int64(1); sc.Scan() && line <= signed; line++ {
		e, err := provenance.ParseEntry(sc.Bytes())
		if err != nil || e.WARC == nil {
			continue
		}
		ref := e.WARC
		bad := func(msg string) {
			sum.BadReferences++
			add(provenance.Problem{Kind: ProblemWARC, File: provenance.LogFile, Line: line, URL: e.URL, Message: msg})
		}
		recs, ok := found[ref.File]
		if !ok {
			bad("names WARC file " + ref.File + ", which the bundle does not hold")
			continue
		}
		r, ok := recs[ref.Offset]
		switch {
		case !ok:
			bad(fmt.Sprintf("names a WARC record at offset %d of %s; no record starts there", ref.Offset, ref.File))
		case r.id != ref.RecordID || r.typ != ref.Type:
			bad(fmt.Sprintf("names %s record %s at offset %d of %s; the file holds %s record %s there", ref.Type, ref.RecordID, ref.Offset, ref.File, r.typ, r.id))
		case r.typ == warc.TypeResponse && e.RawDigest != "" && r.payload != "sha256:"+e.RawDigest:
			bad("the archived response's payload digest is not the entry's raw_digest")
		default:
			sum.Referenced++
			named[ref.File+"@"+fmt.Sprint(ref.Offset)] = true
		}
	}
	for file, recs := range found {
		for off, r := range recs {
			if r.typ != warc.TypeWarcinfo && r.typ != warc.TypeRequest && !named[file+"@"+fmt.Sprint(off)] {
				sum.Unreferenced++
			}
		}
	}
}

func checkAttestation(dir, key string, actual map[string]string, add func(provenance.Problem), sum *Summary) {
	bad := func(msg string) {
		add(provenance.Problem{Kind: ProblemAttestation, File: attest.FileName, Message: msg})
	}
	b, err := provenance.ReadRegular(filepath.Join(dir, attest.FileName))
	if err != nil {
		bad("file is missing")
		return
	}
	if key == "" {
		bad("no key to check the signature with")
		return
	}
	st, err := attest.Open(b, key)
	if err != nil {
		bad(err.Error())
		return
	}
	p, err := attest.Parse(st)
	if err != nil {
		bad(err.Error())
		return
	}
	sum.Subjects = len(p.Subjects)
	ok := true
	for _, n := range sortedKeys(actual) {
		switch d, listed := p.Subjects[n]; {
		case !listed:
			bad(n + " is not a subject of the attestation (added after signing)")
			ok = false
		case d != actual[n]:
			bad(fmt.Sprintf("%s: SHA-256 %s, the attestation signs %s", n, actual[n], d))
			ok = false
		}
	}
	for _, n := range sortedKeys(p.Subjects) {
		if _, ok2 := actual[n]; !ok2 {
			bad(n + " is a subject of the attestation but missing from the bundle")
			ok = false
		}
	}
	if p.Checkpoint != actual[provenance.CheckpointFile] {
		bad("the checkpoint byproduct's digest is not the bundle's checkpoint")
		ok = false
	}
	sum.Attested = ok
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
