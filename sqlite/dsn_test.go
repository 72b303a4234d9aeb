package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/scruple/scruple"
)

// TestDataDirWithURISyntax: a data directory whose name holds characters that
// mean something in a file: URI (# ? % space ; &) keeps its database inside
// it. Before, "file:"+path cut the path at '?' or '#', so the database landed
// outside the locked directory (issue 10 item 12).
func TestDataDirWithURISyntax(t *testing.T) {
	names := []string{"a#b", "c?d", "e%41f", "g h", "x?mode=ro#frag", "p;q&r=s", "%3F", "trail?"}
	// One temporary root with a plain name: subtests' own temporary
	// directories carry the subtest name, so a database escaping at the
	// first '#' would land outside any directory the test looks at.
	root := t.TempDir()
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			parent := filepath.Join(root, strconv.Itoa(i))
			dir := filepath.Join(parent, name)
			s, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if _, err := s.Enqueue(ctx, []scruple.URLItem{item("http://a.test/1", "a.test:80")}); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
				t.Errorf("database not inside the data directory: %v", err)
			}
			// Nothing but the data directory itself may appear beside it.
			ents, _ := os.ReadDir(parent)
			var got []string
			for _, e := range ents {
				got = append(got, e.Name())
			}
			sort.Strings(got)
			if len(got) != 1 || got[0] != name {
				t.Errorf("files beside the data directory: %q", got)
			}
			// Reopen: the same database, with its URL.
			s, err = Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			n, err := s.Enqueue(ctx, []scruple.URLItem{item("http://a.test/1", "a.test:80")})
			if err != nil || n != 0 {
				t.Errorf("reopened store: enqueue of a known URL added %d (%v), want 0", n, err)
			}
		})
	}
}

func TestFileURI(t *testing.T) {
	tests := []struct{ path, query, want string }{
		{"/d/scruple.db", "mode=ro", "file:///d/scruple.db?mode=ro"},
		{"/a#b/c?d/e%f g/x.db", "", "file:///a%23b/c%3Fd/e%25f%20g/x.db"},
	}
	for _, tc := range tests {
		got, err := fileURI(tc.path, tc.query)
		if err != nil || got != tc.want {
			t.Errorf("fileURI(%q, %q) = %q, %v; want %q", tc.path, tc.query, got, err, tc.want)
		}
		if strings.Count(got, "?") > 1 || strings.Contains(got, "#") {
			t.Errorf("fileURI(%q): %q has a bare ? or #", tc.path, got)
		}
	}
}
