//go:build unix

package scan

import (
	"os"
	"syscall"
)

// dirID identifies a directory by device and inode, so that one reached
// again through links is walked once.
func dirID(fi os.FileInfo) (id [2]uint64, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return id, false
	}
	return [2]uint64{uint64(st.Dev), uint64(st.Ino)}, true
}
