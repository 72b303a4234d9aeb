package warc

import (
	"os"
	"syscall"
)

// datasync makes f's written data durable with fdatasync(2): unlike fsync it
// skips metadata a read does not need (the modification time), but still
// flushes the file size, so appended records survive a power failure. It
// runs under f's fd reference (SyscallConn), so a concurrent Close cannot
// make it sync a reused descriptor; a closed file reports os.ErrClosed, as
// f.Sync does.
func datasync(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		for {
			serr = syscall.Fdatasync(int(fd))
			if serr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return os.ErrClosed // Control fails only on a closed (or closing) file
	}
	if serr != nil {
		return &os.PathError{Op: "fdatasync", Path: f.Name(), Err: serr}
	}
	return nil
}
