package provenance

import (
	"strconv"
	"time"
)

// appendEntryJSON appends encoding/json's encoding of e (json.Marshal(e)),
// byte for byte, for the entries the crawl writes once per record: ok is
// false, with b unchanged, for an entry holding consent terms, a list of
// ended consents or an API action (consent and API entries, rare: Marshal
// leaves them to encoding/json), or a time MarshalJSON refuses.
// TestEntryJSONFields fails when Entry or the types it holds change, and
// TestEntryJSONMatches and FuzzEntryJSON compare it with json.Marshal.
func appendEntryJSON(b []byte, e *Entry) ([]byte, bool) {
	if e.Terms != nil || len(e.Ended) > 0 || e.API != nil {
		return b, false
	}
	var tb, ab [64]byte
	var fetched, at []byte
	if !e.FetchedAt.IsZero() {
		if fetched = e.FetchedAt.AppendFormat(tb[:0], time.RFC3339Nano); !strictRFC3339(fetched) {
			return b, false
		}
	}
	if !e.At.IsZero() {
		if at = e.At.AppendFormat(ab[:0], time.RFC3339Nano); !strictRFC3339(at) {
			return b, false
		}
	}
	b = append(b, `{"kind":`...)
	b = appendJSONString(b, e.Kind)
	b = appendOptString(b, `,"url":`, e.URL)
	b = appendOptString(b, `,"final_url":`, e.FinalURL)
	if fetched != nil {
		b = append(b, `,"fetched_at":"`...)
		b = append(b, fetched...)
		b = append(b, '"')
	}
	if e.Status != 0 {
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(e.Status), 10)
	}
	b = appendOptString(b, `,"record_kind":`, e.RecordKind)
	if r := e.Robots; r != nil {
		b = append(b, `,"robots":{"url":`...)
		b = appendJSONString(b, r.URL)
		b = appendOptString(b, `,"digest":`, r.Digest)
		b = append(b, `,"rule":`...)
		b = appendJSONString(b, r.Rule)
		b = append(b, `,"allowed":`...)
		b = strconv.AppendBool(b, r.Allowed)
		b = append(b, '}')
	}
	if a := e.Access; a != nil {
		b = append(b, `,"access":{"credentials_sent":`...)
		b = strconv.AppendBool(b, a.CredentialsSent)
		b = append(b, `,"verdict":`...)
		b = appendJSONString(b, a.Verdict)
		b = append(b, '}')
	}
	b = appendOptString(b, `,"raw_digest":`, e.RawDigest)
	b = appendOptString(b, `,"text_digest":`, e.TextDigest)
	b = appendOptString(b, `,"record_digest":`, e.RecordDigest)
	b = appendOptString(b, `,"detector_version":`, e.DetectorVersion)
	b = appendOptString(b, `,"policy_version":`, e.PolicyVersion)
	if len(e.Decisions) > 0 {
		b = append(b, `,"decisions":[`...)
		for i := range e.Decisions {
			d := &e.Decisions[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"type":`...)
			b = appendJSONString(b, d.Type)
			b = append(b, `,"action":`...)
			b = appendJSONString(b, d.Action)
			b = appendOptString(b, `,"consent":`, d.Consent)
			b = append(b, `,"count":`...)
			b = strconv.AppendInt(b, int64(d.Count), 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendOptString(b, `,"crawler_version":`, e.CrawlerVersion)
	b = appendOptString(b, `,"reason":`, e.Reason)
	b = appendOptString(b, `,"consent":`, e.Consent)
	if at != nil {
		b = append(b, `,"at":"`...)
		b = append(b, at...)
		b = append(b, '"')
	}
	b = appendOptString(b, `,"new_record_digest":`, e.NewRecordDigest)
	if e.Removed {
		b = append(b, `,"removed":true`...)
	}
	if w := e.WARC; w != nil {
		b = append(b, `,"warc":{"file":`...)
		b = appendJSONString(b, w.File)
		b = append(b, `,"offset":`...)
		b = strconv.AppendInt(b, w.Offset, 10)
		b = append(b, `,"length":`...)
		b = strconv.AppendInt(b, w.Length, 10)
		b = append(b, `,"record_id":`...)
		b = appendJSONString(b, w.RecordID)
		b = append(b, `,"type":`...)
		b = appendJSONString(b, w.Type)
		b = append(b, '}')
	}
	return append(b, '}'), true
}
