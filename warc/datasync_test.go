package warc

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A file rotated (closed) while Sync ran reports os.ErrClosed, which Sync
// ignores (finishLocked synced it); an open file syncs.
func TestDatasync(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("record"); err != nil {
		t.Fatal(err)
	}
	if err := datasync(f); err != nil {
		t.Fatalf("datasync: %v", err)
	}
	f.Close()
	if err := datasync(f); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("datasync of a closed file: %v, want os.ErrClosed", err)
	}
}
