package warc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// entry is one record of a WARC file as its record list (NAME.warc.gz.idx,
// JSON lines) keeps it: enough to index the record and to refer to it.
type entry struct {
	Offset   int64  `json:"offset"`
	Length   int64  `json:"length"`
	Type     string `json:"type"`
	ID       string `json:"id"`
	URI      string `json:"uri,omitempty"`
	Date     string `json:"date"`
	Mime     string `json:"mime,omitempty"`      // the record's Content-Type
	HTTPMime string `json:"http_mime,omitempty"` // the HTTP message's Content-Type
	Status   int    `json:"status,omitempty"`
	Digest   string `json:"digest,omitempty"` // WARC-Payload-Digest
}

func entryOf(m *member, offset int64) entry {
	return entry{Offset: offset, Length: int64(len(m.gz)), Type: m.typ, ID: m.id, URI: m.uri, Date: m.date,
		Mime: m.contentType, HTTPMime: m.httpMime, Status: m.status, Digest: m.payloadDigest}
}

func writeEntries(path string, es []entry) error {
	n := 0 // sized once: a file's list runs to megabytes
	for i := range es {
		e := &es[i]
		n += 160 + len(e.Type) + len(e.ID) + len(e.URI) + len(e.Date) + len(e.Mime) + len(e.HTTPMime) + len(e.Digest)
	}
	b := make([]byte, 0, n)
	for i := range es {
		b = appendEntry(b, &es[i])
	}
	return writeFileAtomic(path, b)
}

// appendEntry appends e as one JSON line, as encoding/json would write it
// (SetEscapeHTML(false)) but without reflection: a crawl's record lists
// are written and re-read when it closes, on its wall time.
func appendEntry(b []byte, e *entry) []byte {
	b = append(b, `{"offset":`...)
	b = strconv.AppendInt(b, e.Offset, 10)
	b = append(b, `,"length":`...)
	b = strconv.AppendInt(b, e.Length, 10)
	b = appendJSONField(b, "type", e.Type, false)
	b = appendJSONField(b, "id", e.ID, false)
	b = appendJSONField(b, "uri", e.URI, true)
	b = appendJSONField(b, "date", e.Date, false)
	b = appendJSONField(b, "mime", e.Mime, true)
	b = appendJSONField(b, "http_mime", e.HTTPMime, true)
	if e.Status != 0 {
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(e.Status), 10)
	}
	b = appendJSONField(b, "digest", e.Digest, true)
	return append(b, "}\n"...)
}

// appendJSONField appends `,"name":"value"` (nothing for an empty value
// when omitEmpty); name needs no escaping.
func appendJSONField(b []byte, name, value string, omitEmpty bool) []byte {
	if omitEmpty && value == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendJSONString(b, value)
}

// appendJSONString appends s as a JSON string exactly as encoding/json
// writes it with SetEscapeHTML(false). Printable ASCII without quotes or
// backslashes (URLs, dates, digests, record IDs: nearly every value) is
// copied as it is; anything else goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.Encode(s)
			return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func readEntries(path string) ([]entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var e entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("warc: %s: %w", filepath.Base(path), err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// Files returns the finished WARC files of dir (names, sorted).
func Files(dir string) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, de := range des {
		if n := de.Name(); de.Type().IsRegular() && strings.HasSuffix(n, Ext) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Recover repairs what a killed writer left in dir: a file still named
// .open whose lock no live process holds has its torn last member (a write
// the kill cut short) truncated away, is synced and renamed to its final
// name; a finished file without a record list gets one. It returns the
// names of the files it repaired. Files locked by a live writer are left
// alone.
func Recover(dir string) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var fixed []string
	for _, de := range des {
		n := de.Name()
		if !strings.HasSuffix(n, Ext+OpenExt) {
			continue
		}
		ok, err := repairOpen(filepath.Join(dir, n))
		if err != nil {
			return fixed, err
		}
		if ok {
			fixed = append(fixed, strings.TrimSuffix(n, OpenExt))
		}
	}
	files, err := Files(dir)
	if err != nil {
		return fixed, err
	}
	for _, n := range files {
		p := filepath.Join(dir, n)
		if _, err := os.Stat(p + IdxExt); err == nil {
			continue
		}
		es, err := scanEntries(p)
		if err != nil {
			return fixed, err
		}
		if err := writeEntries(p+IdxExt, es); err != nil {
			return fixed, err
		}
	}
	return fixed, nil
}

// repairOpen truncates an unlocked .open file to its last whole gzip member
// and renames it; false when a live writer holds it.
func repairOpen(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false, err
	}
	defer f.Close()
	if err := flockNB(f); err != nil {
		return false, nil // a live writer's file
	}
	end, err := wholeMembers(f)
	if err != nil {
		return false, fmt.Errorf("warc: repair %s: %w", filepath.Base(path), err)
	}
	if err := f.Truncate(end); err != nil {
		return false, err
	}
	if err := f.Sync(); err != nil {
		return false, err
	}
	final := strings.TrimSuffix(path, OpenExt)
	os.Remove(final + IdxExt) // stale, if any: rebuilt by Recover
	if err := os.Rename(path, final); err != nil {
		return false, err
	}
	return true, syncDir(filepath.Dir(path))
}

// WriteIndex rewrites dir's CDXJ index (index.cdxj) from the record lists of
// its finished files: one line per response, revisit and conversion record,
// "SURT timestamp {json}", sorted bytewise, in the form pywb and the
// cdxj-indexer read (the same fields and conventions as webrecorder's
// warcio indexer: requests, warcinfo and warc-fields metadata records are
// not indexed).
func WriteIndex(dir string) error { return writeIndex(dir, nil) }

// writeIndex is WriteIndex with the record lists of some files already in
// memory (a closing writer's last file), which are not read back.
func writeIndex(dir string, known map[string][]entry) error {
	files, err := Files(dir)
	if err != nil {
		return err
	}
	var lines [][]byte
	for _, n := range files {
		es, ok := known[n]
		if !ok {
			if es, err = readEntries(filepath.Join(dir, n+IdxExt)); err != nil {
				return fmt.Errorf("warc: index %s: %w (run Recover first)", n, err)
			}
		}
		for i := range es {
			if l, ok := cdxjLine(&es[i], n); ok {
				lines = append(lines, l)
			}
		}
	}
	slices.SortFunc(lines, bytes.Compare)
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	b := make([]byte, 0, n)
	for _, l := range lines {
		b = append(b, l...)
		b = append(b, '\n')
	}
	return writeFileAtomic(filepath.Join(dir, IndexFile), b)
}

// cdxjLine formats an entry as a CDXJ line, or reports that the record is
// not indexed. The JSON block has the fields, order and encoding that
// encoding/json gave it (url, mime, status, digest, length, offset,
// filename; empty ones left out), written without reflection.
func cdxjLine(e *entry, file string) ([]byte, bool) {
	mime := ""
	switch {
	case e.Type == TypeRequest, e.Type == TypeWarcinfo:
		return nil, false
	case (e.Type == TypeMetadata || e.Type == "resource") && strings.HasPrefix(e.Mime, ContentFields):
		return nil, false
	case e.Type == TypeRevisit:
		mime = "warc/revisit"
	case e.Type == TypeResponse:
		mime = strings.TrimSpace(strings.SplitN(e.HTTPMime, ";", 2)[0])
	default:
		mime = e.Mime
	}
	b := make([]byte, 0, 256+len(e.URI)*2)
	b = append(b, SURT(e.URI)...)
	b = append(b, ' ')
	b = appendTimestamp14(b, e.Date)
	b = append(b, ` {"url":`...)
	b = appendJSONString(b, e.URI)
	b = appendJSONField(b, "mime", mime, true)
	if e.Status > 0 && (e.Type == TypeResponse || e.Type == TypeRevisit) {
		b = appendJSONField(b, "status", strconv.Itoa(e.Status), false)
	}
	if _, d, ok := strings.Cut(e.Digest, ":"); ok {
		b = appendJSONField(b, "digest", d, true)
	}
	b = appendJSONField(b, "length", strconv.FormatInt(e.Length, 10), false)
	b = appendJSONField(b, "offset", strconv.FormatInt(e.Offset, 10), false)
	b = appendJSONField(b, "filename", file, false)
	return append(b, '}'), true
}

// appendTimestamp14 appends the first 14 digits of a WARC-Date with its
// separators ('-', ':', 'T') removed ("2026-12-05T10:11:12Z" gives
// "20261205101112").
func appendTimestamp14(b []byte, date string) []byte {
	n := 0
	for i := 0; i < len(date) && n < 14; i++ {
		switch c := date[i]; c {
		case '-', ':', 'T':
		default:
			b = append(b, c)
			n++
		}
	}
	return b
}

// SURT returns the Sort-friendly URI Reordering Transform of an http(s) URL
// as the CDXJ indexers of pywb and warcio compute it: "www" labels dropped,
// lower-cased, host labels reversed and comma-joined, ")" then path and the
// query's parameters sorted ("http://www.Example.com/a?b=1&a=2" gives
// "com,example)/a?a=2&b=1"). Other strings are returned as they are.
func SURT(raw string) string {
	if !strings.HasPrefix(raw, "http:") && !strings.HasPrefix(raw, "https:") {
		return raw
	}
	lower := strings.ToLower(dropWWW(raw))
	u, err := url.Parse(lower)
	if err != nil || u.Host == "" {
		return raw
	}
	labels := strings.Split(u.Hostname(), ".")
	slices.Reverse(labels)
	s := strings.Join(labels, ",")
	if p := u.Port(); p != "" && !(u.Scheme == "http" && p == "80") && !(u.Scheme == "https" && p == "443") {
		s += ":" + p
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	s += ")" + path
	if u.RawQuery != "" {
		q := strings.Split(u.RawQuery, "&")
		slices.Sort(q)
		s += "?" + strings.Join(q, "&")
	}
	return s
}

// dropWWW removes a "www" label (with digits: "www2") right after the
// scheme, as the regular expression ^(https?://)www\d*\. of the CDXJ
// indexers does.
func dropWWW(raw string) string {
	scheme := "http://"
	if strings.HasPrefix(raw, "https://") {
		scheme = "https://"
	} else if !strings.HasPrefix(raw, scheme) {
		return raw
	}
	rest := raw[len(scheme):]
	if !strings.HasPrefix(rest, "www") {
		return raw
	}
	i := 3
	for i < len(rest) && '0' <= rest[i] && rest[i] <= '9' {
		i++
	}
	if i < len(rest) && rest[i] == '.' {
		return scheme + rest[i+1:]
	}
	return raw
}

func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(path))
}

// loadDedup fills the revisit memory from the record lists of dir.
func (w *Writer) loadDedup() error {
	files, err := Files(w.opt.Dir)
	if err != nil {
		return err
	}
	for _, n := range files {
		es, err := readEntries(filepath.Join(w.opt.Dir, n+IdxExt))
		if err != nil {
			return err
		}
		for _, e := range es {
			if e.Type == TypeResponse && e.Digest != "" {
				w.dedup.put(e.Digest, original{id: e.ID, uri: e.URI, date: e.Date})
			}
		}
	}
	return nil
}
