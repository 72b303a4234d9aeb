package warc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/klauspost/compress/gzip"
	gowarc "github.com/nlnwa/gowarc/v3"
)

// Record types as they appear in WARC-Type and in Ref.Type.
const (
	TypeWarcinfo   = "warcinfo"
	TypeRequest    = "request"
	TypeResponse   = "response"
	TypeRevisit    = "revisit"
	TypeConversion = "conversion"
	TypeMetadata   = "metadata"
)

// Content types of the record blocks scruple writes.
const (
	ContentHTTPRequest  = "application/http;msgtype=request"
	ContentHTTPResponse = "application/http;msgtype=response"
	ContentFields       = "application/warc-fields"
	ContentText         = "text/plain; charset=utf-8"
)

// RevisitProfile is the WARC 1.1 identical-payload-digest revisit profile.
const RevisitProfile = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"

// draft is one record before it is built: its WARC header fields (besides
// the ones the builder adds: Content-Length, WARC-Block-Digest and, for HTTP
// blocks, WARC-Payload-Digest) and its block.
type draft struct {
	typ      string
	id       string // "<urn:uuid:...>"
	fields   [][2]string
	block    [][]byte
	status   int    // HTTP status, for the index (responses and revisits)
	httpMime string // the response's Content-Type, for the index
}

func newDraft(typ string, date time.Time) *draft {
	d := &draft{typ: typ, id: NewRecordID()}
	d.add(gowarc.WarcDate, date.UTC().Format(time.RFC3339Nano))
	return d
}

// NewRecordID returns a fresh WARC-Record-ID ("<urn:uuid:...>", a random
// version 4 UUID).
func NewRecordID() string { return "<" + uuid.New().URN() + ">" }

func (d *draft) add(name, value string) {
	if value != "" {
		d.fields = append(d.fields, [2]string{name, value})
	}
}

func (d *draft) write(b []byte) { d.block = append(d.block, b) }

func (d *draft) blockLen() int {
	n := 0
	for _, b := range d.block {
		n += len(b)
	}
	return n
}

// recordOptions make gowarc refuse, rather than write, a record that breaks
// the WARC 1.1 grammar, and compute SHA-256 digests in lower-case base16
// (the encoding WARC 1.1 recommends for SHA-256, and the one the records'
// digests use elsewhere in scruple, so WARC-Payload-Digest of a response is
// "sha256:" + the record's raw digest). Blocks stay in memory: they hold
// only what passed the archive's screening, but nothing of a crawl goes to a
// temporary file.
func recordOptions(maxBlock int) []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithVersion(gowarc.V1_1),
		gowarc.WithAddMissingDigest(true),
		gowarc.WithDefaultDigestAlgorithm("sha256"),
		gowarc.WithDefaultDigestEncoding(gowarc.Base16),
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail),
		gowarc.WithSpecViolationPolicy(gowarc.ErrFail),
		gowarc.WithBufferMaxMemBytes(int64(maxBlock) + 1<<20),
	}
}

var recordTypes = map[string]gowarc.RecordType{
	TypeWarcinfo: gowarc.Warcinfo, TypeRequest: gowarc.Request, TypeResponse: gowarc.Response,
	TypeRevisit: gowarc.Revisit, TypeConversion: gowarc.Conversion, TypeMetadata: gowarc.Metadata,
}

// member is one built record, serialised as its own gzip member (WARC 1.1
// annex D: one member per record, so a reader can seek to any record).
type member struct {
	typ, id       string
	uri, date     string
	contentType   string
	payloadDigest string // as in the header, "" if none
	status        int    // HTTP status of a response or revisit
	httpMime      string // Content-Type of a response's HTTP message
	gz            []byte
}

// build serialises d with gowarc (which adds Content-Length and the digests
// and validates the record) and compresses it.
func (d *draft) build(level int) (*member, error) {
	rt, ok := recordTypes[d.typ]
	if !ok {
		return nil, fmt.Errorf("warc: unknown record type %q", d.typ)
	}
	rb := gowarc.NewRecordBuilder(rt, recordOptions(d.blockLen())...)
	rb.AddWarcHeader(gowarc.WarcRecordID, d.id)
	for _, f := range d.fields {
		rb.AddWarcHeader(f[0], f[1])
	}
	for _, b := range d.block {
		if _, err := rb.Write(b); err != nil {
			rb.Close()
			return nil, err
		}
	}
	rec, _, err := rb.Build()
	if err != nil {
		return nil, fmt.Errorf("warc: build %s record: %w", d.typ, err)
	}
	defer rec.Close()
	if d.typ == TypeConversion {
		// The payload of a conversion record is its whole block (WARC 1.1
		// §6.3): gowarc digests payloads of HTTP blocks only.
		rec.WarcHeader().Set(gowarc.WarcPayloadDigest, rec.WarcHeader().Get(gowarc.WarcBlockDigest))
	}
	var buf bytes.Buffer
	buf.Grow(d.blockLen()/3 + 1024)
	zw, err := gzipWriter(&buf, level)
	if err != nil {
		return nil, err
	}
	defer gzipPools[level].Put(zw)
	if _, _, err := gowarc.NewMarshaler().Marshal(zw, rec, 0); err != nil {
		return nil, fmt.Errorf("warc: marshal %s record: %w", d.typ, err)
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	h := rec.WarcHeader()
	m := &member{typ: d.typ, id: d.id, uri: h.Get(gowarc.WarcTargetURI), date: h.Get(gowarc.WarcDate),
		contentType: h.Get(gowarc.ContentType), payloadDigest: h.Get(gowarc.WarcPayloadDigest), status: d.status,
		httpMime: d.httpMime, gz: buf.Bytes()}
	return m, nil
}

// gzipPools keep compressors for reuse, one pool per level: a new
// compressor allocates about a megabyte of tables, more than most records.
var gzipPools [gzip.BestCompression + 1]sync.Pool

func gzipWriter(w io.Writer, level int) (*gzip.Writer, error) {
	if level < gzip.BestSpeed || level > gzip.BestCompression {
		return nil, fmt.Errorf("warc: gzip level %d out of range", level)
	}
	if zw, ok := gzipPools[level].Get().(*gzip.Writer); ok {
		zw.Reset(w)
		return zw, nil
	}
	return gzip.NewWriterLevel(w, level)
}

// sha256Digest formats a WARC digest of b ("sha256:" + lower-case hex).
func sha256Digest(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}
