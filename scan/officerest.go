package scan

import (
	"archive/zip"
	"bufio"
	"io"
	"path"
	"slices"
	"strings"
)

// officeRest scans the members of an office document that its reader did
// not read (read tells those): embedded documents (a spreadsheet in a
// contract, a PDF in a slide deck) as files of their own, and every other
// XML part as properties, element text and attribute values labelled with
// their names. Personal data hides there: cell comments and their authors,
// custom properties, defined names, pivot caches (a copy of the source
// data), hyperlink targets (mailto:), the people who edited, chart titles.
// Parts that only style or lay out a document are left out.
func (k *walk) officeRest(in *input, zr *zip.Reader, ra io.ReaderAt, read func(name string) bool) error {
	files := slices.Clone(zr.File)
	slices.SortStableFunc(files, func(a, b *zip.File) int { return naturalCmp(a.Name, b.Name) })
	for _, f := range files {
		if err := k.ctx.Err(); err != nil {
			return err
		}
		n := f.Name
		if read(n) || layoutPart(n) || strings.HasSuffix(n, "/") {
			continue
		}
		switch {
		case embedded(n):
			part, err := k.named(in, n)
			if err != nil {
				return err
			}
			m := &input{part: part, name: n, depth: in.depth + 1}
			if err := k.nested(in); err != nil {
				if err := k.fail(m, "", err); err != nil {
					return err
				}
				continue
			}
			if err := k.zipMember(m, f, ra); err != nil {
				return err
			}
		case strings.HasSuffix(n, ".xml") || strings.HasSuffix(n, ".rels"):
			m := &input{part: join(in.part, cleanName(n)), name: n, depth: in.depth + 1}
			rc, err := f.Open()
			if err != nil {
				if err := k.fail(m, "properties", unquoted(err)); err != nil {
					return err
				}
				continue
			}
			err = k.props(m, bufio.NewReader(io.LimitReader(k.limited(rc, nil, int64(f.CompressedSize64)), k.w.opt.Limits.MaxRecord)))
			rc.Close()
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// embedded tells the members that are documents of their own: OOXML
// embeddings, OpenDocument sub-documents ("Object 1/"), attachments.
func embedded(name string) bool {
	if strings.Contains(name, "/embeddings/") || strings.HasPrefix(name, "Object ") {
		return !strings.HasSuffix(name, ".xml") || strings.HasPrefix(name, "Object ")
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".odt", ".ods", ".odp", ".pdf", ".zip", ".csv", ".txt", ".eml", ".msg", ".json":
		return true
	}
	return false
}

// layoutPart tells the parts that style, lay out or describe the package:
// no personal data, and much noise.
func layoutPart(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"[content_types].xml", "styles", "/theme/", "fonttable", "settings.xml", "websettings",
		"numbering.xml", "calcchain", "/slidelayouts/", "/slidemasters/", "/notesmasters/", "/handoutmasters/",
		"tablestyles", "presprops", "viewprops", "/printersettings/", "meta-inf/", "/media/", "/fonts/", "thumbnail",
		"/activex/", "vbaproject", "/_rels/.rels", "customxml/itemprops"} {
		if strings.Contains(n, s) || n == strings.TrimPrefix(s, "/") {
			return true
		}
	}
	return false
}
