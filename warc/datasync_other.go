//go:build !linux

package warc

import "os"

// datasync makes f's written data durable (fsync: fdatasync is used on Linux
// only).
func datasync(f *os.File) error { return f.Sync() }
