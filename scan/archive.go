package scan

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// randomAccess returns the input as an io.ReaderAt: the file itself, or
// the part read into memory (bounded by Limits.MaxPart).
func (k *walk) randomAccess(in *input) (io.ReaderAt, int64, error) {
	if in.ra != nil && !in.gz {
		return in.ra, in.size, nil
	}
	b, err := k.readAll(in.br)
	if err != nil {
		return nil, 0, err
	}
	return bytes.NewReader(b), int64(len(b)), nil
}

// zip opens a zip file and hands it to the reader of what it holds: an
// office document (XLSX, DOCX, PPTX, OpenDocument) or an archive.
func (k *walk) zip(in *input) error {
	ra, size, err := k.randomAccess(in)
	if err != nil {
		return k.fail(in, "zip", err)
	}
	zr, err := zip.NewReader(ra, size)
	// Names with "../" or a leading "/" are only ever printed here, so an
	// insecure path is no reason to refuse the archive.
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return k.fail(in, "zip", fmt.Errorf("zip: %w", unquoted(err)))
	}
	if err := k.nested(in); err != nil {
		return k.fail(in, "zip", err)
	}
	if len(zr.File) > k.w.opt.Limits.MaxEntries {
		return k.fail(in, "zip", fmt.Errorf("%w: more than %d entries in one archive", ErrLimit, k.w.opt.Limits.MaxEntries))
	}
	switch officeKind(zr) {
	case "xlsx":
		return k.xlsx(in, zr, ra, size)
	case "docx", "pptx", "odf":
		return k.office(in, zr)
	}
	return k.zipMembers(in, zr)
}

// zipMembers scans every member of an archive, in the order stored. Names
// are only printed (never used as paths), so "../" in them is harmless.
func (k *walk) zipMembers(in *input, zr *zip.Reader) error {
	if len(zr.File) == 0 {
		r := k.result(in, "zip")
		return k.send(r)
	}
	for _, f := range zr.File {
		if err := k.ctx.Err(); err != nil {
			return err
		}
		if strings.HasSuffix(f.Name, "/") && f.UncompressedSize64 == 0 {
			continue // a directory entry: no content
		}
		m := &input{part: join(in.part, cleanName(f.Name)), name: f.Name, depth: in.depth + 1}
		if f.Flags&1 != 0 {
			if err := k.skip(m, "", SkipEncrypted); err != nil {
				return err
			}
			continue
		}
		if err := k.zipMember(m, f); err != nil {
			return err
		}
	}
	return nil
}

func (k *walk) zipMember(m *input, f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return k.fail(m, "", unquoted(err))
	}
	defer rc.Close()
	m.br = bufio.NewReaderSize(k.limited(rc, nil, int64(f.CompressedSize64)), sniffSize)
	m.reopen = func() (io.Reader, error) {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		return k.limited(rc, nil, int64(f.CompressedSize64)), nil
	}
	return k.content(m)
}

// unquoted drops what an error from archive/zip or archive/tar may quote
// of the archive (names are printed as the part instead).
func unquoted(err error) error {
	switch {
	case errors.Is(err, zip.ErrFormat):
		return zip.ErrFormat
	case errors.Is(err, zip.ErrChecksum):
		return zip.ErrChecksum
	case errors.Is(err, zip.ErrAlgorithm):
		return zip.ErrAlgorithm
	}
	return err
}

// isTar recognises a POSIX or GNU tar header ("ustar" at offset 257).
func isTar(head []byte) bool {
	return len(head) >= 262 && bytes.Equal(head[257:262], []byte("ustar"))
}

// tar scans the regular files of a tar stream (.tar, .tar.gz).
func (k *walk) tar(in *input) error {
	if err := k.nested(in); err != nil {
		return k.fail(in, "tar", err)
	}
	tr := tar.NewReader(in.br)
	n := 0
	for {
		if err := k.ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if err == io.EOF {
			if n == 0 {
				return k.send(k.result(in, "tar"))
			}
			return nil
		}
		if err != nil {
			return k.fail(in, "tar", fmt.Errorf("tar: %w", err))
		}
		if n++; n > k.w.opt.Limits.MaxEntries {
			return k.fail(in, "tar", fmt.Errorf("%w: more than %d entries in one archive", ErrLimit, k.w.opt.Limits.MaxEntries))
		}
		m := &input{part: join(in.part, cleanName(h.Name)), name: h.Name, depth: in.depth + 1}
		switch h.Typeflag {
		case tar.TypeReg, tar.TypeRegA:
			m.br = bufio.NewReaderSize(tr, sniffSize)
			if err := k.content(m); err != nil {
				return err
			}
		case tar.TypeDir, tar.TypeXGlobalHeader:
		default:
			if err := k.skip(m, "", SkipSpecial); err != nil {
				return err
			}
		}
	}
}
