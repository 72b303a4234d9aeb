package scan

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// randomAccess returns the input as an io.ReaderAt: the file itself (or a
// stored member of it, in place), or the part read into memory (bounded by
// Limits.MaxPart); release frees what it holds when the part is done.
func (k *walk) randomAccess(in *input) (ra io.ReaderAt, size int64, release func(), err error) {
	if in.ra != nil && !in.gz {
		return in.ra, in.size, func() {}, nil
	}
	b, release, err := k.readAll(in.br)
	if err != nil {
		return nil, 0, nil, err
	}
	return bytes.NewReader(b), int64(len(b)), release, nil
}

// zip opens a zip file and hands it to the reader of what it holds: an
// office document (XLSX, DOCX, PPTX, OpenDocument) or an archive.
func (k *walk) zip(in *input) error {
	ra, size, release, err := k.randomAccess(in)
	if err != nil {
		return k.fail(in, "zip", err)
	}
	defer release()
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
	if err := zipLayout(zr, size); err != nil {
		return k.fail(in, "zip", err)
	}
	switch officeKind(zr) {
	case "xlsx":
		return k.xlsx(in, zr, ra, size)
	case "docx", "pptx", "odf":
		return k.office(in, zr, ra)
	}
	return k.zipMembers(in, zr, ra)
}

// zipLayout refuses entries whose data overlap or run past the end of the
// archive. Overlapping entries are how a non-recursive zip bomb (Fifield,
// 2019) makes thousands of files out of one compressed kernel, each under
// any per-member ratio; a compressed size larger than the archive is a lie
// that would defeat the ratio check. Neither occurs in an archive a tool
// wrote.
func zipLayout(zr *zip.Reader, size int64) error {
	type span struct{ from, to int64 }
	spans := make([]span, 0, len(zr.File))
	for _, f := range zr.File {
		off, err := f.DataOffset()
		if err != nil {
			continue // its own read fails and says so
		}
		end := off + int64(f.CompressedSize64)
		if f.CompressedSize64 > uint64(size) || end > size {
			return fmt.Errorf("%w: zip: a member's compressed size runs past the end of the archive (a decompression bomb?)", ErrLimit)
		}
		spans = append(spans, span{off, end})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	for i := 1; i < len(spans); i++ {
		if spans[i].from < spans[i-1].to {
			return fmt.Errorf("%w: zip: members share their data (overlapping entries: a decompression bomb)", ErrLimit)
		}
	}
	return nil
}

// zipMembers scans every member of an archive, in the order stored. Names
// are only printed (never used as paths), so "../" in them is harmless.
func (k *walk) zipMembers(in *input, zr *zip.Reader, ra io.ReaderAt) error {
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
		part, err := k.named(in, f.Name)
		if err != nil {
			return err
		}
		m := &input{part: part, name: f.Name, depth: in.depth + 1}
		if f.Flags&1 != 0 {
			if err := k.skip(m, "", SkipEncrypted); err != nil {
				return err
			}
			continue
		}
		if err := k.zipMember(m, f, ra); err != nil {
			return err
		}
	}
	return nil
}

func (k *walk) zipMember(m *input, f *zip.File, ra io.ReaderAt) error {
	if off, err := f.DataOffset(); err == nil && f.Method == zip.Store && ra != nil {
		// Stored: read in place, so that an archive stored in an archive
		// needs no copy in memory (zipLayout bounded its size).
		n := int64(f.CompressedSize64)
		m.ra, m.size = io.NewSectionReader(ra, off, n), n
		m.br = bufio.NewReaderSize(k.limited(io.NewSectionReader(ra, off, n), nil, n), sniffSize)
		m.reopen = func() (io.Reader, error) { return io.NewSectionReader(ra, off, n), nil }
		return k.content(m)
	}
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
		part, err := k.named(in, h.Name)
		if err != nil {
			return err
		}
		m := &input{part: part, name: h.Name, depth: in.depth + 1}
		switch h.Typeflag {
		case tar.TypeReg, tar.TypeRegA:
			// Counted: a sparse member (PAX GNU.sparse) reads back its holes
			// as zeros, terabytes from a few kilobytes.
			m.br = bufio.NewReaderSize(k.limited(tr, nil, max(h.Size, 1)), sniffSize)
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
