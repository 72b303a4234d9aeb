package testweb

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// bombChunk is the decompressed size of one repeated block of a bomb.
const bombChunk = 1 << 20

// bombStream is a compressed stream of n*bombChunk zero bytes, built as
// head + body repeated (n-1) times + tail(n): compressors that are flushed
// after each block of zeros emit the same bytes for every block after the
// first, so a bomb of any size costs a few kilobytes of memory.
type bombStream struct {
	head, body []byte
	tail       func(n int64) []byte
}

var (
	bombsOnce sync.Once
	bombs     map[string]*bombStream
)

// bombStreams returns the streams by Content-Encoding name ("gzip", "zlib",
// "deflate" for raw DEFLATE, "br"), built once per process.
func bombStreams() map[string]*bombStream {
	bombsOnce.Do(func() {
		zero := make([]byte, bombChunk)
		bombs = map[string]*bombStream{}

		// gzip: a multi-member stream (RFC 1952 §2.2), one member per block.
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		_, _ = zw.Write(zero)
		_ = zw.Close()
		member := gz.Bytes()
		bombs["gzip"] = &bombStream{head: member, body: member, tail: func(int64) []byte { return nil }}

		// Raw DEFLATE, flushed after every block.
		var fl bytes.Buffer
		fw, _ := flate.NewWriter(&fl, flate.BestCompression)
		head, body := flushTwice(fw, &fl, zero)
		_ = fw.Close()
		end := append([]byte(nil), fl.Bytes()...)
		bombs["deflate"] = &bombStream{head: head, body: body, tail: func(int64) []byte { return end }}

		// zlib (RFC 1950): the same DEFLATE data between a header and the
		// Adler-32 of the zeros (a = 1, b = n mod 65521).
		zhead := append([]byte{0x78, 0xda}, head...)
		bombs["zlib"] = &bombStream{head: zhead, body: body, tail: func(n int64) []byte {
			sum := uint32((n*bombChunk)%65521)<<16 | 1
			return binary.BigEndian.AppendUint32(append([]byte(nil), end...), sum)
		}}

		// Brotli, flushed after every block.
		var br bytes.Buffer
		bw := brotli.NewWriterLevel(&br, 5)
		bhead, bbody := flushTwice(bw, &br, zero)
		_ = bw.Close()
		bend := append([]byte(nil), br.Bytes()...)
		bombs["br"] = &bombStream{head: bhead, body: bbody, tail: func(int64) []byte { return bend }}
	})
	return bombs
}

type flushWriter interface {
	Write([]byte) (int, error)
	Flush() error
}

// flushTwice writes two blocks, flushing after each, and returns the bytes
// of each. It panics if a third block would not repeat the second: the
// streams would then be invalid, and the package tests would say so first.
func flushTwice(w flushWriter, buf *bytes.Buffer, block []byte) (first, second []byte) {
	var out [3][]byte
	for i := range out {
		_, _ = w.Write(block)
		_ = w.Flush()
		out[i] = append([]byte(nil), buf.Bytes()...)
		buf.Reset()
	}
	if !bytes.Equal(out[1], out[2]) {
		panic("testweb: compressor output does not repeat; bomb streams cannot be built")
	}
	return out[0], out[1]
}

// serveBomb streams a bomb of size decompressed bytes with Content-Encoding
// enc ("gzip", "deflate" or "br"; "zlib" is sent as "deflate").
func (w *Hostile) serveBomb(rw http.ResponseWriter, req *http.Request, kind string, size int64) {
	bs := bombStreams()[kind]
	enc := kind
	if kind == "zlib" {
		enc = "deflate"
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Content-Encoding", enc)
	rw.WriteHeader(200)
	n := size / bombChunk
	if !w.write(rw, req, bs.head) {
		return
	}
	for i := int64(1); i < n; i++ {
		if !w.write(rw, req, bs.body) {
			return
		}
	}
	w.write(rw, req, bs.tail(n))
}

// write writes p unless the client or the web has gone; it reports whether
// writing may go on.
func (w *Hostile) write(rw http.ResponseWriter, req *http.Request, p []byte) bool {
	select {
	case <-w.done:
		return false
	case <-req.Context().Done():
		return false
	default:
	}
	_, err := rw.Write(p)
	return err == nil
}

// serveRepeated streams size bytes: prefix, then block repeated, cut to
// size. With withLength it declares Content-Length.
func (w *Hostile) serveRepeated(rw http.ResponseWriter, req *http.Request, ctype string, size int64, withLength bool, prefix, block []byte) {
	rw.Header().Set("Content-Type", ctype)
	if withLength {
		rw.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	}
	rw.WriteHeader(200)
	left := size
	p := prefix
	if int64(len(p)) > left {
		p = p[:left]
	}
	if !w.write(rw, req, p) {
		return
	}
	left -= int64(len(p))
	for left > 0 {
		p = block
		if int64(len(p)) > left {
			p = p[:left]
		}
		if !w.write(rw, req, p) {
			return
		}
		left -= int64(len(p))
	}
}

// trickleBody sends headers at once, then one byte of an endless body per
// interval, until the client gives up or the web closes.
func (w *Hostile) trickleBody(rw http.ResponseWriter, req *http.Request) {
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.WriteHeader(200)
	fl, _ := rw.(http.Flusher)
	body := []byte("<!DOCTYPE html><html><head><title>slow body</title></head><body><p>" + hostileFiller)
	t := time.NewTicker(w.spec.Trickle)
	defer t.Stop()
	for i := 0; ; i++ {
		if _, err := rw.Write(body[i%len(body) : i%len(body)+1]); err != nil {
			return
		}
		if fl != nil {
			fl.Flush()
		}
		select {
		case <-t.C:
		case <-req.Context().Done():
			return
		case <-w.done:
			return
		}
	}
}

// trickleHeaders hijacks the connection and sends an endless header block
// one byte per interval.
func (w *Hostile) trickleHeaders(rw http.ResponseWriter, _ *http.Request) {
	conn := hijack(rw)
	if conn == nil {
		return
	}
	defer conn.Close()
	head := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
	pad := []byte("X-Slow: trickle\r\n")
	t := time.NewTicker(w.spec.Trickle)
	defer t.Stop()
	for i := 0; ; i++ {
		var c byte
		if i < len(head) {
			c = head[i]
		} else {
			c = pad[(i-len(head))%len(pad)]
		}
		_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if _, err := conn.Write([]byte{c}); err != nil {
			return
		}
		select {
		case <-t.C:
		case <-w.done:
			return
		}
	}
}

// hijack takes over the connection; nil if it cannot.
func hijack(rw http.ResponseWriter) net.Conn {
	hj, ok := rw.(http.Hijacker)
	if !ok {
		return nil
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return nil
	}
	if buf != nil && buf.Writer.Buffered() > 0 {
		_ = buf.Flush()
	}
	return conn
}

// resetAfter hijacks the connection, writes p and resets the connection
// (TCP RST, by closing with SO_LINGER 0).
func resetAfter(rw http.ResponseWriter, p string) {
	conn := hijack(rw)
	if conn == nil {
		return
	}
	_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, _ = conn.Write([]byte(p))
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
