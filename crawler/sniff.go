package crawler

import (
	"bytes"
	"net/http"
	"strings"
)

// sniffLen is how much of a body the sniffer reads: http.DetectContentType
// looks at 512 bytes; NUL bytes are looked for a little further, since a
// text page never holds one and a binary body often starts with a header
// that looks like text.
const sniffLen = 1024

// notText returns the sniffed media type of a body that is not text,
// whatever its declared type, or "" for text. The WHATWG sniffing
// algorithm (http.DetectContentType) recognises images, audio, video,
// fonts, archives and PDF by their magic numbers and calls a body holding
// binary control bytes application/octet-stream; a NUL byte anywhere in the
// first KiB also marks a body as binary (UTF-16 text without a byte-order
// mark is refused with it: scruple does not extract it).
func notText(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	sniffed, _, _ := strings.Cut(http.DetectContentType(body), ";")
	switch {
	case strings.HasPrefix(sniffed, "text/"):
		// text/html, text/plain (any charset, BOMs included), text/xml.
	case sniffed == "application/octet-stream":
		return sniffed
	default:
		// Images, media, fonts, archives, PDF, PostScript, WebAssembly.
		return sniffed
	}
	if bytes.IndexByte(body[:min(len(body), sniffLen)], 0) >= 0 {
		return "application/octet-stream"
	}
	return ""
}
