package scan

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestHostileSymlinkDAG: links that never loop but fan out (each level
// links twice to the next) make 2^16 paths to one file. Each directory is
// walked once.
func TestHostileSymlinkDAG(t *testing.T) {
	root := t.TempDir()
	const levels = 16
	for i := 0; i <= levels; i++ {
		os.Mkdir(filepath.Join(root, "d"+strconv.Itoa(i)), 0o755)
	}
	os.WriteFile(filepath.Join(root, "d"+strconv.Itoa(levels), "f.txt"), []byte("手机 "+vMobile+"\n"), 0o644)
	for i := range levels {
		for _, l := range []string{"a", "b"} {
			if err := os.Symlink(filepath.Join(root, "d"+strconv.Itoa(i+1)), filepath.Join(root, "d"+strconv.Itoa(i), l)); err != nil {
				t.Skip("no symlinks:", err)
			}
		}
	}
	var n int
	_, err := Run(t.Context(), []string{filepath.Join(root, "d0")}, Options{FollowSymlinks: true, Workers: 1}, func(r *FileResult) error {
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n > 4*levels {
		t.Errorf("%d results for %d directories", n, levels+1)
	}
	// A followed link to a directory outside the tree is still walked.
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "g.txt"), []byte("手机 "+vMob2+"\n"), 0o644)
	os.Symlink(out, filepath.Join(root, "d"+strconv.Itoa(levels), "outside"))
	var got []string
	Run(t.Context(), []string{filepath.Join(root, "d"+strconv.Itoa(levels))}, Options{FollowSymlinks: true}, func(r *FileResult) error {
		got = append(got, filepath.Base(r.Path))
		return nil
	})
	if !slices.Contains(got, "g.txt") {
		t.Errorf("link out of the tree not followed: %v", got)
	}
}

// TestHostileTerminalNames: a file name with terminal escape sequences is
// printed escaped by the text writer, in findings and in the summary.
func TestHostileTerminalNames(t *testing.T) {
	dir := t.TempDir()
	name := "a\x1b]0;owned\x07\x1b[2J\u202e.txt"
	var rows strings.Builder
	for i := range 30 {
		rows.WriteString("手机 1390000" + strconv.Itoa(1000+i) + "\n") // bulk: many people
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(rows.String()), 0o644); err != nil {
		t.Skip("file system refuses the name:", err)
	}
	out, sum := render(t, "text", []string{dir}, Options{})
	if sum.Findings == 0 {
		t.Fatal("nothing found")
	}
	for _, bad := range []string{"\x1b", "\x07", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("text output holds %q", bad)
		}
	}
}
