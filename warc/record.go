package warc

import (
	"bytes"
	"crypto/rand"
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
	// payload is the index of the block part where the payload starts:
	// 1 for HTTP blocks (after the header block), 0 for a conversion's
	// text, -1 for records without a payload digest of their own.
	payload int
}

func newDraft(typ string, date time.Time) *draft {
	d := &draft{typ: typ, id: NewRecordID(), payload: -1}
	d.add(gowarc.WarcDate, date.UTC().Format(time.RFC3339Nano))
	return d
}

// NewRecordID returns a fresh WARC-Record-ID ("<urn:uuid:...>", a random
// version 4 UUID).
func NewRecordID() string {
	// NewRandomFromReader, not uuid.New: uuid.New reads a package switch
	// that gowarc writes on every option set (see gowarcMu).
	id, err := uuid.NewRandomFromReader(rand.Reader)
	if err != nil {
		panic("warc: no randomness for a record ID: " + err.Error()) // crypto/rand never fails on Linux
	}
	return "<" + id.URN() + ">"
}

// gowarcMu serialises gowarc's constructors. Each builds an option set, and
// building one calls uuid.EnableRandPool, which writes a package variable of
// github.com/google/uuid without synchronisation: two goroutines building
// records at once are a data race (the race detector reports it). Holding
// the lock only while constructing is enough; building, marshalling and
// reading run in parallel.
var gowarcMu sync.Mutex

func newRecordBuilder(rt gowarc.RecordType, opts []gowarc.WarcRecordOption) gowarc.WarcRecordBuilder {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewRecordBuilder(rt, opts...)
}

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

// writeOptions configure gowarc as the serialiser of records whose digests
// scruple computed itself (SHA-256, lower-case base16: the encoding WARC 1.1
// recommends for SHA-256, and the one record digests use elsewhere in
// scruple, so a response's WARC-Payload-Digest is "sha256:" + the record's
// raw digest). gowarc's builder is also a validating parser: with validation
// on it parses every URI field with a full WHATWG URL parser and re-parses
// the HTTP header block it was just given, which measured about half of the
// archive's cost per page. Records here have one fixed shape, so validation
// runs where it proves something instead: every test reads every record
// back with gowarc's validation and with warcio, and `scruple verify` reads
// every record of a bundle with it. Blocks stay in memory (they hold only
// what passed the screen, but nothing of a crawl goes to a temporary file).
func writeOptions(maxBlock int) []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithVersion(gowarc.V1_1),
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrIgnore),
		gowarc.WithSpecViolationPolicy(gowarc.ErrIgnore),
		gowarc.WithSkipParseBlock(),
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

// build computes the record's digests, serialises it with gowarc (which
// adds Content-Length) and compresses it.
func (d *draft) build(level int) (*member, error) {
	rt, ok := recordTypes[d.typ]
	if !ok {
		return nil, fmt.Errorf("warc: unknown record type %q", d.typ)
	}
	bh, ph := sha256.New(), sha256.New()
	for i, b := range d.block {
		bh.Write(b)
		if d.payload >= 0 && i >= d.payload {
			ph.Write(b)
		}
	}
	rb := newRecordBuilder(rt, writeOptions(d.blockLen()))
	rb.AddWarcHeader(gowarc.WarcRecordID, d.id)
	for _, f := range d.fields {
		rb.AddWarcHeader(f[0], f[1])
	}
	rb.AddWarcHeader(gowarc.WarcBlockDigest, "sha256:"+hex.EncodeToString(bh.Sum(nil)))
	if d.payload >= 0 {
		rb.AddWarcHeader(gowarc.WarcPayloadDigest, "sha256:"+hex.EncodeToString(ph.Sum(nil)))
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
	var buf bytes.Buffer
	buf.Grow(d.blockLen()/3 + 1024)
	zw, err := gzipWriter(&buf, level)
	if err != nil {
		return nil, err
	}
	defer gzipPools[level].Put(zw)
	if _, _, err := gowarc.NewMarshaler().Marshal(readerFrom{zw}, rec, 0); err != nil {
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

// copyBufs are io.Copy's buffers: the marshaler copies each block with
// io.Copy, which would allocate 32 KiB per record.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// readerFrom gives a writer a ReadFrom that copies through a pooled buffer.
type readerFrom struct{ io.Writer }

func (w readerFrom) ReadFrom(r io.Reader) (int64, error) {
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	return io.CopyBuffer(struct{ io.Writer }{w.Writer}, r, *bp)
}

// sha256Digest formats a WARC digest of b ("sha256:" + lower-case hex).
func sha256Digest(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}
