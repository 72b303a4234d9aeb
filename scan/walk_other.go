//go:build !unix

package scan

import "os"

// dirID has no portable identity to give here; loops are still found by
// the ancestor check.
func dirID(os.FileInfo) (id [2]uint64, ok bool) { return id, false }
