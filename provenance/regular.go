package provenance

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular reports a bundle entry that is not a regular file.
var ErrNotRegular = fmt.Errorf("not a regular file")

// OpenRegular opens path for reading only if it is a regular file: a
// symbolic link is not followed (a bundle holds its bytes, not a pointer
// to them) and a FIFO or device is never opened (opening a FIFO blocks
// until a writer comes). The file is checked again once open.
func OpenRegular(path string) (*os.File, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: path, Err: ErrNotRegular}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi2, err := f.Stat(); err != nil || !os.SameFile(fi, fi2) {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: path, Err: ErrNotRegular}
	}
	return f, nil
}

// ReadRegular reads path whole if it is a regular file (OpenRegular).
func ReadRegular(path string) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
