package scan

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/transform"

	"github.com/scruple/scruple/extract"
)

// skipHeaders hold identifiers of messages and machines, signatures and
// MIME plumbing, not personal information: Message-ID looks like an e-mail
// address, DKIM signatures like random strings.
var skipHeaders = map[string]bool{"Message-Id": true, "In-Reply-To": true, "References": true,
	"Dkim-Signature": true, "X-Google-Dkim-Signature": true, "Arc-Seal": true, "Arc-Message-Signature": true,
	"Arc-Authentication-Results": true, "Content-Type": true, "Content-Transfer-Encoding": true,
	"Content-Disposition": true, "Mime-Version": true, "Thread-Index": true, "X-Ms-Exchange-Organization-Network-Message-Id": true}

// wordDecoder decodes RFC 2047 encoded words (=?GBK?B?...?=) in every
// charset of the WHATWG index, the GBK family as GB18030.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	name, e := charsetByName(charset)
	switch {
	case name == UTF8:
		return r, nil
	case e == nil:
		return nil, fmt.Errorf("unknown charset")
	}
	return transform.NewReader(r, e.NewDecoder()), nil
}}

// decodeHeader decodes encoded words, and raw 8-bit header text (which
// real mailers send) as UTF-8 or, when it is not, GB18030.
func decodeHeader(v string) string {
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		v = d
	}
	if !looksUTF8([]byte(v), true) {
		dec := newTextDecoder([]byte(v), true, "")
		if out, _, err := transform.String(dec.t, v); err == nil {
			v = out
		}
	}
	return v
}

// mail scans an RFC 5322 message: its headers as fields (From, To,
// Subject ... are the context of their values, reported at the header
// name), then every MIME part: text and HTML bodies in their declared
// charset, quoted-printable and base64 decoded, and attachments as files
// of their own (a CSV, a zip, another message). Parts are numbered as
// IMAP numbers them (1, 2, 2.1 ...), with the file name: "2:orders.csv".
func (k *walk) mail(in *input) error {
	if in.depth+1 > k.w.opt.Limits.MaxDepth {
		return k.fail(in, "eml", k.w.opt.Limits.depthErr())
	}
	hg := &headerGuard{r: in.br, left: k.w.opt.Limits.MaxRecord, open: true}
	msg, err := mail.ReadMessage(hg)
	hg.open = false
	switch {
	case errors.Is(err, ErrLimit):
		return k.fail(in, "eml", err)
	case err != nil:
		return k.fail(in, "eml", errors.New("eml: malformed header"))
	}
	r := k.result(in, "eml")
	r.Encoding = UTF8
	b := &builder{r: r, send: k.send}
	t := &fieldText{k: k, b: b}
	names := make([]string, 0, len(msg.Header))
	for name := range msg.Header {
		names = append(names, name)
	}
	// The header map has lost the order; a fixed order keeps the output
	// the same from run to run.
	slices.Sort(names)
	for _, name := range names {
		if skipHeaders[name] || strings.HasPrefix(name, "Arc-") {
			continue
		}
		for _, v := range msg.Header[name] {
			if err := t.add(name, []byte(decodeHeader(v)), fieldLoc{key: name}); err != nil {
				return err
			}
		}
	}
	if err := t.flush(); err != nil {
		return err
	}
	if err := b.done(); err != nil {
		return err
	}
	return k.entity(in, textproto.MIMEHeader(msg.Header), msg.Body, "", in.depth+1, new(int))
}

// entity scans one MIME entity: the parts of a multipart, or a leaf.
func (k *walk) entity(in *input, h textproto.MIMEHeader, body io.Reader, section string, depth int, count *int) error {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mt, params = "text/plain", map[string]string{}
	}
	if strings.HasPrefix(mt, "multipart/") && params["boundary"] != "" {
		if depth > k.w.opt.Limits.MaxDepth {
			return k.fail(&input{part: join(in.part, sectionName(section, "1"))}, "eml", k.w.opt.Limits.depthErr())
		}
		mr := multipart.NewReader(body, params["boundary"])
		for i := 1; ; i++ {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			sub := sectionName(section, strconv.Itoa(i))
			if err != nil {
				return k.fail(&input{part: join(in.part, sub)}, "eml", errors.New("multipart: malformed part"))
			}
			if *count++; *count > k.w.opt.Limits.MaxEntries {
				return k.fail(&input{part: join(in.part, sub)}, "eml",
					fmt.Errorf("%w: more than %d parts in one message", ErrLimit, k.w.opt.Limits.MaxEntries))
			}
			if err := k.entity(in, p.Header, p, sub, depth+1, count); err != nil {
				return err
			}
		}
	}
	if section == "" {
		section = "1"
	}
	name := ""
	if _, dp, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil && dp["filename"] != "" {
		name = dp["filename"]
	} else if params["name"] != "" {
		name = params["name"]
	}
	name = decodeHeader(name)
	part := join(in.part, section)
	if name != "" {
		var err error
		if part, err = k.named(in, section+":"+name); err != nil {
			return err
		}
	}
	var rd io.Reader = body
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "base64":
		rd = base64.NewDecoder(base64.StdEncoding, &base64Filter{r: body})
	case "quoted-printable":
		rd = quotedprintable.NewReader(body)
	}
	m := &input{part: part, name: name, br: bufio.NewReaderSize(rd, sniffSize), depth: depth, ctype: mt}
	if strings.HasPrefix(mt, "text/") {
		m.charset = params["charset"]
	}
	if mt == "message/rfc822" || mt == "message/global" {
		return k.mail(m)
	}
	return k.content(m)
}

func sectionName(parent, n string) string {
	if parent == "" {
		return n
	}
	return parent + "." + n
}

// base64Filter drops what base64 bodies carry besides the alphabet (spaces
// at line ends, stray characters), which encoding/base64 would reject.
type base64Filter struct{ r io.Reader }

func (f *base64Filter) Read(p []byte) (int, error) {
	for {
		n, err := f.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// html scans the visible text of an HTML part (an e-mail body).
func (k *walk) html(in *input, dec *textDecoder) error {
	raw, release, err := k.readAll(dec.reader(in.br, true))
	if err != nil {
		return k.fail(in, "html", err)
	}
	defer release()
	p := extract.HTML(raw, nil, extract.Options{MaxTextBytes: int(k.w.opt.Limits.MaxPart)})
	r := k.result(in, "html")
	r.Encoding = dec.enc
	b := &builder{r: r, send: k.send}
	if err := k.w.chunks(k.ctx, strings.NewReader(p.Text), b, nil); err != nil {
		return k.partErr(in, b, err)
	}
	return b.done()
}

// mbox splits an mbox file into its messages at "From " lines (mboxo and
// mboxrd: ">From " quoting is undone) and scans each as a message; they
// are numbered from 1: "inbox.mbox!/#3".
func (k *walk) mbox(in *input) error {
	if err := k.nested(in); err != nil {
		return k.fail(in, "mbox", err)
	}
	var msg bytes.Buffer
	n, tooBig := 0, false
	limit := k.w.opt.Limits.MaxMessage
	flush := func() error {
		if n == 0 {
			return nil
		}
		m := &input{part: join(in.part, "#"+strconv.Itoa(n)), depth: in.depth + 1, ctype: "message/rfc822"}
		if tooBig {
			return k.fail(m, "eml", fmt.Errorf("%w: message larger than %s", ErrLimit, sizeString(limit)))
		}
		data := msg.Bytes()
		m.br = bufio.NewReader(bytes.NewReader(data))
		return k.mail(m)
	}
	prevBlank := true
	for {
		if err := k.ctx.Err(); err != nil {
			return err
		}
		line, err := in.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			err = nil // a long line: its rest comes with the next read
		}
		if len(line) > 0 {
			switch {
			case prevBlank && bytes.HasPrefix(line, []byte("From ")):
				if err := flush(); err != nil {
					return err
				}
				n++
				msg.Reset()
				tooBig = false
			case n == 0:
				// Text before the first "From " line: not mbox after all;
				// keep it as a message of its own so nothing is lost.
				n = 1
				fallthrough
			default:
				if q := bytes.TrimLeft(line, ">"); len(q) < len(line) && bytes.HasPrefix(q, []byte("From ")) {
					line = line[1:]
				}
				if !tooBig {
					msg.Write(line)
					if int64(msg.Len()) > limit {
						tooBig = true
						msg.Reset()
					}
				}
			}
			prevBlank = len(bytes.TrimRight(line, "\r\n")) == 0
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return k.fail(in, "mbox", err)
		}
	}
	if n == 0 {
		return k.send(k.result(in, "mbox"))
	}
	return flush()
}
