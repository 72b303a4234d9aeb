package serve

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Bundle upload bounds: a bundle is a handful of files plus WARCs, so a
// thousand entries is generous, and the unpacked total is bounded by
// Config.MaxUnpacked (a zip bomb stops there).
const maxBundleFiles = 1000

// errUnsafe is an archive entry that would land outside the bundle
// directory (absolute, "..", a link, a device), or an archive beyond its
// bounds.
var errUnsafe = errors.New("unsafe bundle archive")

// unpackError says what is wrong with an uploaded archive; its message
// names the entry by position, never by a name that could carry anything.
type unpackError struct{ msg string }

func (e *unpackError) Error() string { return e.msg }
func (e *unpackError) Unwrap() error { return errUnsafe }

func unsafef(format string, args ...any) error { return &unpackError{fmt.Sprintf(format, args...)} }

// Unpack writes the bundle archive read from r (tar.gz or zip, told apart
// by their magic numbers) into dir, which must exist and be empty. Every
// entry must be a regular file or directory with a relative, clean path
// inside dir; links, devices, absolute paths and ".." are refused, as are
// more than maxBundleFiles entries or more than maxBytes unpacked. A zip
// is spooled to a temporary file in dir's parent first (its directory is
// at its end), bounded by the reader.
func Unpack(r io.Reader, dir string, maxBytes int64) error {
	br := bufio.NewReader(r)
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		return unpackTarGz(br, dir, maxBytes)
	case bytes.HasPrefix(magic, []byte("PK\x03\x04")), bytes.HasPrefix(magic, []byte("PK\x05\x06")):
		return unpackZip(br, dir, maxBytes)
	}
	return unsafef("not a .tar.gz or .zip archive")
}

// entryPath checks an archive name and returns it as a relative path in
// dir's syntax. Names use "/" (tar and zip both); a trailing "/" marks a
// directory.
func entryPath(name string) (string, error) {
	name = strings.TrimSuffix(name, "/")
	if name == "" || name == "." {
		return "", nil
	}
	if strings.ContainsAny(name, "\\\x00:") || strings.HasPrefix(name, "/") {
		return "", unsafef("an entry has an absolute or non-portable path")
	}
	clean := path.Clean(name)
	if clean != name && clean != strings.TrimPrefix(name, "./") {
		return "", unsafef("an entry's path is not clean")
	}
	if clean == ".." || strings.HasPrefix(clean, "../") || !filepath.IsLocal(filepath.FromSlash(clean)) {
		return "", unsafef("an entry's path escapes the bundle directory")
	}
	return filepath.FromSlash(clean), nil
}

// budget counts what an archive has written.
type budget struct {
	files, max int64
	left       int64
}

func (b *budget) file() error {
	b.files++
	if b.files > maxBundleFiles {
		return unsafef("more than %d entries", maxBundleFiles)
	}
	return nil
}

func writeEntry(dir, rel string, r io.Reader, b *budget) error {
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	// O_EXCL: a second entry of the same name cannot overwrite the first,
	// and nothing can have been planted at p (dir is fresh and has no links).
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return unsafef("two entries have the same path")
		}
		return err
	}
	n, err := io.Copy(f, io.LimitReader(r, b.left+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if n > b.left {
		return unsafef("the bundle unpacks to more than %d bytes", b.max)
	}
	b.left -= n
	return nil
}

func unpackTarGz(r io.Reader, dir string, maxBytes int64) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return unsafef("not a gzip stream")
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	b := &budget{max: maxBytes, left: maxBytes}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return unsafef("a corrupt tar archive")
		}
		if err := b.file(); err != nil {
			return err
		}
		rel, err := entryPath(h.Name)
		if err != nil {
			return err
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if rel != "" {
				if err := os.MkdirAll(filepath.Join(dir, rel), 0o700); err != nil {
					return err
				}
			}
		case tar.TypeReg:
			if rel == "" {
				return unsafef("a file entry without a name")
			}
			if err := writeEntry(dir, rel, tr, b); err != nil {
				return err
			}
		case tar.TypeXGlobalHeader:
		default:
			return unsafef("an entry is a link or special file (only files and directories are accepted)")
		}
	}
}

func unpackZip(r io.Reader, dir string, maxBytes int64) error {
	spool, err := os.CreateTemp(filepath.Dir(dir), ".upload-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	size, err := io.Copy(spool, r)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(spool, size)
	if err != nil {
		return unsafef("a corrupt zip archive")
	}
	if len(zr.File) > maxBundleFiles {
		return unsafef("more than %d entries", maxBundleFiles)
	}
	b := &budget{max: maxBytes, left: maxBytes}
	for _, f := range zr.File {
		if err := b.file(); err != nil {
			return err
		}
		rel, err := entryPath(f.Name)
		if err != nil {
			return err
		}
		mode := f.Mode()
		switch {
		case mode.IsDir():
			if rel != "" {
				if err := os.MkdirAll(filepath.Join(dir, rel), 0o700); err != nil {
					return err
				}
			}
		case mode.IsRegular():
			if rel == "" {
				return unsafef("a file entry without a name")
			}
			rc, err := f.Open()
			if err != nil {
				return unsafef("an entry cannot be read")
			}
			err = writeEntry(dir, rel, rc, b)
			rc.Close()
			if err != nil {
				var ue *unpackError
				if errors.As(err, &ue) {
					return err
				}
				if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrAlgorithm) {
					return unsafef("a corrupt zip entry")
				}
				return err
			}
		default:
			return unsafef("an entry is a link or special file (only files and directories are accepted)")
		}
	}
	return nil
}

// bundleRoot returns the directory holding the bundle: dir itself, or its
// only subdirectory when the archive wrapped the bundle in one folder (as
// `tar czf b.tgz bundle/` does).
func bundleRoot(dir string) string {
	es, err := os.ReadDir(dir)
	if err != nil || len(es) != 1 || !es[0].IsDir() {
		return dir
	}
	return filepath.Join(dir, es[0].Name())
}
