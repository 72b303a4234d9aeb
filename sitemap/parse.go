package sitemap

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// charsetReader maps a declared encoding to a UTF-8 reader. UTF-16 is
// passed through because sniff has already transcoded it (encoding/xml
// only sees the declaration after the bytes are UTF-8).
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(label)), "utf-16") {
		return input, nil
	}
	return charset.NewReaderLabel(label, input)
}

// parseXML streams tokens, keeping only the element-name stack, and takes
// the text of every <loc> whose parent is <url> or <sitemap>. Matching is
// on local names, case-insensitively, so any namespace (or none, or a
// wrong one) works, and extension elements such as <image:loc> (whose
// parent is <image:image>) are ignored.
//
// RawToken is used rather than Token because Token's non-strict recovery
// gives up on a single mis-cased end tag; here an end tag closes the
// nearest open element of that name, and a stray one is ignored.
// maxDepth bounds element nesting. Real sitemaps nest four deep; the cap
// keeps a "<a><a><a>..." body from costing memory per byte read.
const maxDepth = 64

func parseXML(br *bufio.Reader, limit Limits, sm *Sitemap) error {
	d := xml.NewDecoder(br)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader

	var stack []string
	locAt := -1 // stack index of the <loc> being captured, or -1
	var loc strings.Builder
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			switch {
			case sm.Kind == "":
				return fmt.Errorf("sitemap: no root element: %w", ErrNotSitemap)
			case len(stack) > 0:
				return fmt.Errorf("%w: unexpected end of document inside <%s>", ErrMalformed, stack[len(stack)-1])
			}
			return nil
		}
		if err != nil {
			return wrapReadErr(err, limit)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if len(stack) == 0 {
				if sm.Kind != "" {
					return fmt.Errorf("%w: second root element <%.40s>", ErrMalformed, t.Name.Local)
				}
				switch name {
				case "urlset":
					sm.Kind = KindURLSet
				case "sitemapindex":
					sm.Kind = KindIndex
				default:
					return fmt.Errorf("sitemap: root element <%.40s>: %w", t.Name.Local, ErrNotSitemap)
				}
			}
			if name == "loc" && locAt < 0 && len(stack) > 0 {
				if p := stack[len(stack)-1]; p == "url" || p == "sitemap" {
					locAt = len(stack)
					loc.Reset()
				}
			}
			if len(stack) >= maxDepth {
				return fmt.Errorf("%w: elements nested deeper than %d", ErrMalformed, maxDepth)
			}
			stack = append(stack, name)
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			i := len(stack) - 1
			for i >= 0 && stack[i] != name {
				i--
			}
			if i < 0 {
				continue // stray end tag
			}
			stack = stack[:i]
			if locAt >= 0 && i <= locAt {
				locAt = -1
				if err := add(sm, loc.String(), limit); err != nil {
					return err
				}
			}
		case xml.CharData:
			if locAt >= 0 && loc.Len() <= maxLineLen {
				loc.Write(t)
			}
		}
	}
}

// add appends one URL, enforcing MaxURLs and dropping empty or oversized
// values.
func add(sm *Sitemap, v string, limit Limits) error {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > maxLineLen {
		return nil
	}
	if len(sm.URLs) >= limit.MaxURLs {
		return fmt.Errorf("sitemap: more than %d URLs: %w", limit.MaxURLs, ErrTooManyURLs)
	}
	sm.URLs = append(sm.URLs, v)
	return nil
}

// parseText takes lines that start with http:// or https:// (after
// trimming), which skips blank lines, comments and binary junk. Overlong
// lines are skipped whole; a final line cut short by ErrTooLarge is dropped
// rather than returned truncated.
func parseText(br *bufio.Reader, limit Limits, sm *Sitemap) error {
	first := true
	skipping := false // inside an overlong line
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			skipping = true
			continue
		}
		complete := err == nil || err == io.EOF
		if skipping {
			skipping = false
		} else if complete {
			if first {
				line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			}
			if isURLLine(line) {
				if aerr := add(sm, string(line), limit); aerr != nil {
					return aerr
				}
			}
		}
		first = false
		if err != nil {
			return wrapReadErr(err, limit)
		}
	}
}

func isURLLine(line []byte) bool {
	line = bytes.TrimSpace(line)
	for _, p := range []string{"http://", "https://"} {
		if len(line) > len(p) && strings.EqualFold(string(line[:len(p)]), p) {
			return true
		}
	}
	return false
}
