package scantest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"mime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// GBK encodes s as GBK (GB18030), as Chinese Windows and Excel write it.
func GBK(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Zip builds a zip archive of the named members, in order.
func Zip(t testing.TB, members ...Member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		method := zip.Deflate
		if m.Store {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.Name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(m.Data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Member is one member of an archive built by Zip or TarGz.
type Member struct {
	Name  string
	Data  []byte
	Store bool
}

// TarGz builds a gzip-compressed tar archive.
func TarGz(t testing.TB, members ...Member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, m := range members {
		tw.WriteHeader(&tar.Header{Name: m.Name, Mode: 0o644, Size: int64(len(m.Data)), Typeflag: tar.TypeReg})
		tw.Write(m.Data)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// Docx builds a minimal Word document whose paragraphs are paras, with
// author as its creator.
func Docx(t testing.TB, author string, paras ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		// Split each paragraph into two runs, as Word does at random.
		h := len(p) / 2
		for h > 0 && p[h]&0xC0 == 0x80 {
			h--
		}
		fmt.Fprintf(&body, `<w:p><w:r><w:t>%s</w:t></w:r><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, xmlEsc(p[:h]), xmlEsc(p[h:]))
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`
	core := `<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>` + xmlEsc(author) + `</dc:creator></cp:coreProperties>`
	return Zip(t, Member{Name: "[Content_Types].xml", Data: []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)},
		Member{Name: "word/document.xml", Data: []byte(doc)},
		Member{Name: "docProps/core.xml", Data: []byte(core)})
}

// ODT builds a minimal OpenDocument text whose paragraphs are paras.
func ODT(t testing.TB, paras ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		fmt.Fprintf(&body, `<text:p text:style-name="P1">%s</text:p>`, xmlEsc(p))
	}
	content := `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>` + body.String() + `</office:text></office:body></office:document-content>`
	return Zip(t, Member{Name: "mimetype", Data: []byte("application/vnd.oasis.opendocument.text"), Store: true},
		Member{Name: "content.xml", Data: []byte(content)})
}

func xmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// PDF builds a PDF whose pages each show one line of ASCII text in
// Helvetica, and, when cjk is not empty, a last page whose text is drawn
// with a Type0 (Identity-H) font and mapped to Unicode by a ToUnicode CMap,
// as Chinese PDFs carry their text.
func PDF(t testing.TB, cjk string, pages ...string) []byte {
	t.Helper()
	var objs []string
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	catalog := add("") // filled in below
	pagesObj := add("")
	font := add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	var kids []string
	for _, p := range pages {
		stream := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(p))
		c := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
		pg := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", pagesObj, font, c))
		kids = append(kids, fmt.Sprintf("%d 0 R", pg))
	}
	if cjk != "" {
		rs := []rune(cjk)
		var cmap, hex strings.Builder
		fmt.Fprintf(&cmap, "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def 1 begincodespacerange <0000> <FFFF> endcodespacerange %d beginbfchar\n", len(rs))
		for i, r := range rs {
			fmt.Fprintf(&cmap, "<%04X> <%04X>\n", i+1, r)
			fmt.Fprintf(&hex, "%04X", i+1)
		}
		cmap.WriteString("endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
		tu := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", cmap.Len(), cmap.String()))
		desc := add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>")
		f0 := add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", desc, tu))
		stream := fmt.Sprintf("BT /F2 12 Tf 72 720 Td <%s> Tj ET", hex.String())
		c := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
		pg := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F2 %d 0 R >> >> /Contents %d 0 R >>", pagesObj, f0, c))
		kids = append(kids, fmt.Sprintf("%d 0 R", pg))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj)
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, catalog, x)
	return b.Bytes()
}

// Mail builds a support e-mail as mail clients in China send it: a GBK
// subject and sender name in RFC 2047 encoded words, a GB2312
// quoted-printable text body, a base64 UTF-8 HTML body, and attachments
// (base64), each given as file name and content.
func Mail(t testing.TB, fromName, from, to, subject, text, html string, attachments ...Member) []byte {
	t.Helper()
	var b strings.Builder
	enc := func(s string) string {
		return "=?GBK?B?" + base64.StdEncoding.EncodeToString(GBK(t, s)) + "?="
	}
	fmt.Fprintf(&b, "Return-Path: <%s>\r\nMessage-ID: <CAF123.456@mail.example.com>\r\n", from)
	fmt.Fprintf(&b, "From: %s <%s>\r\nTo: %s\r\nSubject: %s\r\nDate: Mon, 1 Jan 2024 10:00:00 +0800\r\nMIME-Version: 1.0\r\n", enc(fromName), from, to, enc(subject))
	b.WriteString("Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\nThis is a multi-part message.\r\n")
	b.WriteString("--outer\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n")
	b.WriteString("--alt\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	b.WriteString(qp(GBK(t, text)) + "\r\n")
	b.WriteString("--alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	b.WriteString(wrap(base64.StdEncoding.EncodeToString([]byte(html))) + "\r\n--alt--\r\n")
	for _, a := range attachments {
		name := mime.BEncoding.Encode("UTF-8", a.Name)
		fmt.Fprintf(&b, "--outer\r\nContent-Type: application/octet-stream; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", name, name)
		b.WriteString(wrap(base64.StdEncoding.EncodeToString(a.Data)) + "\r\n")
	}
	b.WriteString("--outer--\r\n")
	return []byte(b.String())
}

// qp is quoted-printable for bytes (every non-ASCII byte escaped).
func qp(p []byte) string {
	var b strings.Builder
	n := 0
	for _, c := range p {
		s := string(c)
		if c >= 0x80 || c == '=' {
			s = fmt.Sprintf("=%02X", c)
		}
		if c == '\n' {
			b.WriteString("\r\n")
			n = 0
			continue
		}
		if n+len(s) > 72 {
			b.WriteString("=\r\n")
			n = 0
		}
		b.WriteString(s)
		n += len(s)
	}
	return b.String()
}

func wrap(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}
