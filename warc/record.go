package warc

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/klauspost/compress/gzip"
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
// the ones build adds: WARC-Type, WARC-Record-ID, WARC-Block-Digest,
// WARC-Payload-Digest for records with a payload, Content-Length) and its
// block.
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
	// payloadDigest, when set, is the payload's digest as the caller
	// already computed it (a response's, for the revisit lookup).
	payloadDigest string
}

func newDraft(typ string, date time.Time) *draft {
	d := &draft{typ: typ, id: NewRecordID(), payload: -1}
	d.add(fieldDate, date.UTC().Format(time.RFC3339Nano))
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

// gowarcMu serialises gowarc's constructors (its readers, see read.go).
// Each builds an option set, and building one calls uuid.EnableRandPool,
// which writes a package variable of github.com/google/uuid without
// synchronisation: two goroutines constructing at once are a data race (the
// race detector reports it). Holding the lock only while constructing is
// enough; reading runs in parallel.
var gowarcMu sync.Mutex

func (d *draft) add(name, value string) {
	if value != "" {
		d.fields = append(d.fields, [2]string{name, value})
	}
}

func (d *draft) write(b []byte) { d.block = append(d.block, b) }

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

// WARC header field names scruple writes (WARC 1.1 §5).
const (
	fieldRecordID       = "WARC-Record-ID"
	fieldDate           = "WARC-Date"
	fieldTargetURI      = "WARC-Target-URI"
	fieldContentType    = "Content-Type"
	fieldContentLength  = "Content-Length"
	fieldBlockDigest    = "WARC-Block-Digest"
	fieldPayloadDigest  = "WARC-Payload-Digest"
	fieldIPAddress      = "WARC-IP-Address"
	fieldProtocol       = "WARC-Protocol"
	fieldConcurrentTo   = "WARC-Concurrent-To"
	fieldRefersTo       = "WARC-Refers-To"
	fieldRefersToURI    = "WARC-Refers-To-Target-URI"
	fieldRefersToDate   = "WARC-Refers-To-Date"
	fieldProfile        = "WARC-Profile"
	fieldFilename       = "WARC-Filename"
	fieldTruncated      = "WARC-Truncated"
	maxPooledCaptureBuf = 1 << 20
	// storeBelow: records shorter than this are stored in their gzip
	// member, not deflated. Deflating a record costs a fixed Huffman-table
	// build besides its bytes; on the benchmark web a 700-byte request
	// record took about 10 µs at level 1 to save about 210 bytes, a
	// 1-KB metadata record 14 µs to save 300, against under 1 µs stored.
	storeBelow = 2 << 10
)

// batch is the records of one capture, compressed one gzip member each
// into one buffer, so that they are appended with one write and stay
// contiguous in one file.
type batch struct {
	ms  []*member
	buf *bytes.Buffer
}

// bytes returns the members' bytes, in order.
func (b *batch) bytes() []byte { return b.buf.Bytes() }

// build serialises and compresses the drafts of one capture.
//
// The records are serialised here, not with gowarc's record builder and
// marshaler: measured on the benchmark web, the builder's per-record option
// set, 16 KiB block buffer, header normalisation and its own digest pass
// were about a fifth of the archive's CPU per page and most of its
// allocations (issue 12's target of under 15 % slower than a plain crawl).
// The records have one fixed shape (WARC 1.1 §4: version line, named
// fields, Content-Length, a blank line, the block, two CRLFs), the field
// names are the constants above, values are cleaned to one line, and both
// digests are computed here over exactly the bytes written. Correctness is
// proven where a reader proves it: every test reads every record scruple
// writes back with gowarc's validating reader and with webrecorder's warcio
// (digests recomputed), and `scruple verify` checks every record's block
// digest with gowarc.
func (w *Writer) build(drafts []*draft) (*batch, error) {
	b := &batch{ms: make([]*member, len(drafts)), buf: w.getBuf()}
	hb := w.getHead()
	defer w.heads.Put(hb)
	ends := make([]int, len(drafts))
	for i, d := range drafts {
		m, n := d.head(hb)
		if err := w.compress(b.buf, d.typ, n, *hb, d.block); err != nil {
			w.release(b)
			return nil, fmt.Errorf("warc: %s record: %w", d.typ, err)
		}
		b.ms[i], ends[i] = m, b.buf.Len()
	}
	// The members' bytes, sliced once the buffer has stopped growing.
	all, start := b.buf.Bytes(), 0
	for i, m := range b.ms {
		m.gz = all[start:ends[i]:ends[i]]
		start = ends[i]
	}
	return b, nil
}

// compress appends one gzip member holding the record of type typ (header
// h, block parts, the closing CRLFs; n bytes in all) to dst. A record under
// storeBelow bytes is stored rather than deflated (a valid member all the
// same): see storeBelow; a larger one is compressed at the writer's level
// for its type (see DefaultResponseLevel).
func (w *Writer) compress(dst *bytes.Buffer, typ string, n int, h []byte, block [][]byte) error {
	pool, level := &w.gzText, w.textLevel
	switch {
	case n < storeBelow:
		pool, level = &w.gzStored, gzip.NoCompression
	case typ == TypeResponse:
		pool, level = &w.gzResp, w.respLevel
	}
	zw := getGzip(pool, dst, level)
	defer pool.Put(zw)
	if _, err := zw.Write(h); err != nil {
		return err
	}
	for _, p := range block {
		if _, err := zw.Write(p); err != nil {
			return err
		}
	}
	if _, err := zw.Write(recordEnd); err != nil {
		return err
	}
	return zw.Close()
}

// head computes the record's digests and writes its header into *hb; n is
// the whole record's length (header, block, closing CRLFs).
func (d *draft) head(hb *[]byte) (m *member, n int) {
	m = &member{typ: d.typ, id: d.id, status: d.status, httpMime: d.httpMime}
	bh := sha256.New()
	var blockLen int64
	for _, p := range d.block {
		bh.Write(p)
		blockLen += int64(len(p))
	}
	var sum [sha256.Size]byte
	blockDigest := appendDigest(nil, bh.Sum(sum[:0]))
	switch {
	case d.payload == 0:
		// The payload is the whole block (a conversion's text): the
		// same bytes, the same digest.
		m.payloadDigest = string(blockDigest)
	case d.payload > 0 && d.payloadDigest != "":
		m.payloadDigest = d.payloadDigest // computed by the caller over the same bytes
	case d.payload > 0:
		ph := sha256.New()
		for _, p := range d.block[min(d.payload, len(d.block)):] {
			ph.Write(p)
		}
		m.payloadDigest = string(appendDigest(nil, ph.Sum(sum[:0])))
	}
	h := (*hb)[:0]
	h = append(h, "WARC/1.1\r\n"...)
	h = appendField(h, "WARC-Type", d.typ)
	h = appendField(h, fieldRecordID, d.id)
	for _, f := range d.fields {
		h = appendField(h, f[0], f[1])
		switch f[0] {
		case fieldTargetURI:
			m.uri = f[1]
		case fieldDate:
			m.date = f[1]
		case fieldContentType:
			m.contentType = f[1]
		case fieldPayloadDigest:
			m.payloadDigest = f[1] // a revisit names its original's payload
		}
	}
	h = appendField(h, fieldBlockDigest, string(blockDigest))
	if d.payload >= 0 {
		h = appendField(h, fieldPayloadDigest, m.payloadDigest)
	}
	h = append(h, fieldContentLength+": "...)
	h = strconv.AppendInt(h, blockLen, 10)
	h = append(h, "\r\n\r\n"...)
	*hb = h
	return m, len(h) + int(blockLen) + len(recordEnd)
}

// recordEnd ends every record (WARC 1.1 §4: two CRLFs after the block).
var recordEnd = []byte("\r\n\r\n")

// appendField appends "name: value\r\n", the value kept on one line.
func appendField(h []byte, name, value string) []byte {
	h = append(h, name...)
	h = append(h, ": "...)
	h = append(h, cleanValue(value)...)
	return append(h, "\r\n"...)
}

// appendDigest appends a WARC digest ("sha256:" + lower-case hex).
func appendDigest(b, sum []byte) []byte {
	b = append(b, "sha256:"...)
	return hex.AppendEncode(b, sum)
}

// Pools of the writer: compressors (a new one allocates about a megabyte
// of tables, more than most records), capture buffers and header scratch.
// They belong to the writer, whose gzip level they are made for.

func getGzip(pool *sync.Pool, dst io.Writer, level int) *gzip.Writer {
	if zw, ok := pool.Get().(*gzip.Writer); ok {
		zw.Reset(dst)
		return zw
	}
	zw, err := gzip.NewWriterLevel(dst, level)
	if err != nil { // the level was checked by Open
		panic("warc: " + err.Error())
	}
	return zw
}

func (w *Writer) getBuf() *bytes.Buffer {
	if b, ok := w.bufs.Get().(*bytes.Buffer); ok {
		b.Reset()
		return b
	}
	return new(bytes.Buffer)
}

func (w *Writer) getHead() *[]byte {
	if b, ok := w.heads.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, 1024)
	return &b
}

// release returns a batch's buffer for reuse (its members' bytes with it);
// very large buffers are left to the collector rather than kept.
func (w *Writer) release(b *batch) {
	if b.buf != nil && b.buf.Cap() <= maxPooledCaptureBuf {
		w.bufs.Put(b.buf)
	}
	b.buf, b.ms = nil, nil
}

// sha256Digest formats a WARC digest of b ("sha256:" + lower-case hex).
func sha256Digest(b []byte) string {
	s := sha256.Sum256(b)
	return string(appendDigest(make([]byte, 0, 71), s[:]))
}
