package scan

import (
	"bufio"
	"io"
	"strings"

	"github.com/scruple/scruple/scan/internal/pdf"
)

// maxPDFTree bounds the levels of a PDF name tree or form field tree walked:
// a file may make them loop.
const maxPDFTree = 32

// pdfExtras scans what page text leaves out, each a part of the file:
// "info" (the document information dictionary), "metadata" (XMP),
// "annotations" (comments, their authors, links), "form" (form field
// values) and "embedded:NAME" (attached files, read as files of their
// own). Parts with nothing in them are not reported.
func (k *walk) pdfExtras(in *input, rd *pdf.Reader, pages []pdf.Page) error {
	root := rd.Trailer().Key("Root")
	var files []pdf.Value
	steps := []struct {
		part string
		run  func(t *fieldText) error
	}{
		{"info", func(t *fieldText) error {
			info := rd.Trailer().Key("Info")
			for _, key := range info.Keys() {
				if err := k.pdfField(t, Label(key), info.Key(key), key); err != nil {
					return err
				}
			}
			return nil
		}},
		{"annotations", func(t *fieldText) error {
			n := 0
			for i, p := range pages {
				annots := p.V.Key("Annots")
				for j := 0; j < annots.Len() && n < k.w.opt.Limits.MaxEntries; j, n = j+1, n+1 {
					a := annots.Index(j)
					key := "page=" + itoa(i+1) + "/" + pdfIndex("Annots", j) + "/"
					if a.Key("Subtype").Name() == "FileAttachment" {
						files = append(files, a.Key("FS"))
					}
					if a.Key("Subtype").Name() == "Widget" {
						continue // a form field's place: read with the form
					}
					for _, f := range []struct{ key, label string }{{"T", "author"}, {"Subj", "subject"},
						{"Contents", "comment"}, {"RC", "comment"}} {
						if err := k.pdfField(t, f.label, a.Key(f.key), key+f.key); err != nil {
							return err
						}
					}
					if err := k.pdfField(t, "link", a.Key("A").Key("URI"), key+"A/URI"); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"form", func(t *fieldText) error {
			n := 0
			return k.pdfFormFields(t, root.Key("AcroForm").Key("Fields"), "", 0, &n)
		}},
	}
	// XMP metadata is XML: read as document properties are.
	if md := root.Key("Metadata"); md.Kind() == pdf.Stream {
		m := &input{part: join(in.part, "metadata"), depth: in.depth + 1}
		var rc io.Reader
		if err := guard(func() error { rc = pdfReader{md.Reader()}; return nil }); err != nil {
			if err := k.fail(m, "properties", pdfErr(err)); err != nil {
				return err
			}
		} else if err := k.props(m, io.LimitReader(rc, 4<<20)); err != nil {
			return err
		}
	}
	for _, s := range steps {
		m := &input{part: join(in.part, s.part), depth: in.depth + 1}
		res := k.result(m, "properties")
		res.Encoding = UTF8
		b := &builder{r: res, send: k.send}
		t := &fieldText{k: k, b: b}
		err := guard(func() error { return s.run(t) })
		if ferr := t.flush(); ferr != nil {
			return ferr
		}
		switch {
		case err != nil && isSendErr(err):
			return err
		case err != nil:
			res.Err = pdfErr(err)
		case res.Bytes == 0 && len(res.Findings) == 0:
			continue // nothing there
		}
		if err := b.done(); err != nil {
			return err
		}
	}
	n := 0
	if err := guard(func() error {
		files = k.pdfNameTree(root.Key("Names").Key("EmbeddedFiles"), files, 0, &n)
		return nil
	}); err != nil {
		return k.fail(&input{part: join(in.part, "embedded")}, "pdf", pdfErr(err))
	}
	for _, fs := range files {
		if err := k.pdfEmbedded(in, fs); err != nil {
			return err
		}
	}
	return nil
}

// pdfField adds a string (or a name, or an array of strings) as a field.
func (k *walk) pdfField(t *fieldText, label string, v pdf.Value, key string) error {
	switch v.Kind() {
	case pdf.String:
		if s := strings.TrimSpace(pdfString(v)); s != "" {
			return t.add(label, []byte(s), fieldLoc{key: k.masked(key)})
		}
	case pdf.Name:
		if s := v.Name(); s != "" && s != "Off" {
			return t.add(label, []byte(s), fieldLoc{key: k.masked(key)})
		}
	case pdf.Array:
		for i := 0; i < v.Len() && i < k.w.opt.Limits.MaxEntries; i++ {
			if x := v.Index(i); x.Kind() == pdf.String {
				if err := k.pdfField(t, label, x, pdfIndex(key, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// pdfFormFields adds the value of every form field, labelled with the
// name a person sees (TU) or the field's own (T), and keyed by the field's
// full name (applicant.mobile).
func (k *walk) pdfFormFields(t *fieldText, fields pdf.Value, parent string, depth int, n *int) error {
	if depth > maxPDFTree {
		return nil
	}
	for i := 0; i < fields.Len() && *n < k.w.opt.Limits.MaxEntries; i++ {
		*n++
		f := fields.Index(i)
		name := pdfString(f.Key("T"))
		full := name
		if parent != "" && name != "" {
			full = parent + "." + name
		} else if name == "" {
			full = parent
		}
		label := pdfString(f.Key("TU"))
		if label == "" {
			label = name
		}
		if err := k.pdfField(t, Label(label), f.Key("V"), "form/"+full); err != nil {
			return err
		}
		if kids := f.Key("Kids"); kids.Kind() == pdf.Array {
			if err := k.pdfFormFields(t, kids, full, depth+1, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// pdfNameTree collects the values of a name tree (the embedded files).
func (k *walk) pdfNameTree(node pdf.Value, out []pdf.Value, depth int, n *int) []pdf.Value {
	if depth > maxPDFTree {
		return out
	}
	names := node.Key("Names")
	for i := 1; i < names.Len() && *n < k.w.opt.Limits.MaxEntries; i += 2 {
		*n++
		out = append(out, names.Index(i))
	}
	kids := node.Key("Kids")
	for i := 0; i < kids.Len() && *n < k.w.opt.Limits.MaxEntries; i++ {
		*n++
		out = k.pdfNameTree(kids.Index(i), out, depth+1, n)
	}
	return out
}

// pdfEmbedded scans a file attached to the PDF as a part of its own,
// "embedded:NAME", sniffed and read as any file is.
func (k *walk) pdfEmbedded(in *input, fs pdf.Value) error {
	var name string
	var strm pdf.Value
	var size int64
	if err := guard(func() error {
		name = pdfString(fs.Key("UF"))
		if name == "" {
			name = pdfString(fs.Key("F"))
		}
		strm = fs.Key("EF").Key("UF")
		if strm.Kind() != pdf.Stream {
			strm = fs.Key("EF").Key("F")
		}
		size = strm.Key("Length").Int64()
		return nil
	}); err != nil {
		return k.fail(&input{part: join(in.part, "embedded")}, "", pdfErr(err))
	}
	if strm.Kind() != pdf.Stream {
		return nil // a reference to a file outside the PDF
	}
	part, err := k.named(in, "embedded:"+name)
	if err != nil {
		return err
	}
	m := &input{part: part, name: name, depth: in.depth + 1}
	if err := k.nested(in); err != nil {
		return k.fail(m, "", err)
	}
	var rd io.Reader
	if err := guard(func() error { rd = pdfReader{strm.Reader()}; return nil }); err != nil {
		return k.fail(m, "", pdfErr(err))
	}
	m.br = bufio.NewReaderSize(k.limited(rd, nil, max(size, 1)), sniffSize)
	return k.content(m)
}
