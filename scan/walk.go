package scan

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/scruple/scruple/scan/db"
)

// entry is one path to scan, or a path already known to be skipped or failed
// (those go through the ordered output like the others, so that errors and
// skips appear in path order too).
type entry struct {
	path string // as reported: the argument joined with the walked names
	// explicit entries were named on the command line: they are scanned
	// whatever their extension (but a non-listed one must not be binary).
	explicit bool
	stdin    bool
	dsn      string      // a postgres URL; path is its display form
	mode     fs.FileMode // permissions for the redacted copy
	skip     string
	err      error
}

// IsTextName reports whether a file name has one of the extensions scanned
// by default: .txt .md .log .csv .tsv .json .jsonl .html .htm .xml, each
// possibly followed by .gz. Case is ignored.
func IsTextName(name string) bool {
	n := strings.ToLower(name)
	n = strings.TrimSuffix(n, ".gz")
	switch filepath.Ext(n) {
	case ".txt", ".md", ".log", ".csv", ".tsv", ".json", ".jsonl", ".html", ".htm", ".xml":
		return true
	}
	return false
}

// collect walks the paths and returns the entries in output order.
func collect(paths []string, opt *Options) []entry {
	w := walker{opt: opt}
	for _, p := range paths {
		w.root(p)
	}
	sortEntries(w.entries)
	return w.entries
}

type walker struct {
	opt     *Options
	entries []entry
	// seen holds the directories walked when links are followed: links
	// that fan out without looping (two links a level, thirty levels)
	// would otherwise make a billion paths to the same files. Links wait
	// in pending until the real tree is walked, so that a directory is
	// reported under its own path rather than a link's.
	seen    map[[2]uint64]bool
	pending []pendingLink
}

type pendingLink struct {
	path string
	fi   os.FileInfo
	anc  []os.FileInfo
}

func (w *walker) add(e entry) { w.entries = append(w.entries, e) }

// root adds one command-line path. A named symlink is followed even to a
// directory (as find -H does): the user asked for it.
func (w *walker) root(p string) {
	if db.IsURL(p) {
		w.add(entry{path: db.Redacted(p), explicit: true, dsn: p})
		return
	}
	if p == "-" {
		w.add(entry{path: StdinPath, explicit: true, stdin: true, mode: 0o644})
		return
	}
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		w.fail(p, err)
	case fi.IsDir():
		w.dir(filepath.Clean(p), []os.FileInfo{fi})
		for len(w.pending) > 0 {
			l := w.pending[0]
			w.pending = w.pending[1:]
			if id, ok := dirID(l.fi); ok && w.seen[id] {
				w.add(entry{path: l.path, skip: SkipSeen})
				continue
			}
			w.dir(l.path, append(l.anc, l.fi))
		}
	default:
		// Regular files and also named pipes: `scruple scan <(zcat x)`.
		w.add(entry{path: filepath.Clean(p), explicit: true, mode: fi.Mode().Perm()})
	}
}

// fail records an unreadable path; a link loop is a skip, not an error,
// because it is a property of the tree rather than a failure to read data.
func (w *walker) fail(p string, err error) {
	if errors.Is(err, syscall.ELOOP) {
		w.add(entry{path: p, skip: SkipLoop})
		return
	}
	w.add(entry{path: p, err: cleanErr(err)})
}

// dir walks a directory; anc holds the directories above it, to detect a
// followed link that leads back up.
func (w *walker) dir(p string, anc []os.FileInfo) {
	if w.opt.FollowSymlinks && len(anc) > 0 {
		if id, ok := dirID(anc[len(anc)-1]); ok {
			if w.seen == nil {
				w.seen = map[[2]uint64]bool{}
			}
			w.seen[id] = true
		}
	}
	des, err := os.ReadDir(p)
	if err != nil {
		w.fail(p, err) // and still take whatever entries were read
	}
	for _, de := range des {
		cp := filepath.Join(p, de.Name())
		t := de.Type()
		switch {
		case t.IsDir():
			fi, err := de.Info()
			if err != nil {
				w.fail(cp, err)
				continue
			}
			w.dir(cp, append(anc, fi))
		case t.IsRegular():
			fi, err := de.Info()
			if err != nil {
				w.fail(cp, err)
				continue
			}
			w.file(cp, fi)
		case t&fs.ModeSymlink != 0:
			w.link(cp, anc)
		default:
			w.add(entry{path: cp, skip: SkipSpecial})
		}
	}
}

func (w *walker) link(p string, anc []os.FileInfo) {
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		w.fail(p, err) // dangling: the data it named is unreadable
	case fi.IsDir():
		if !w.opt.FollowSymlinks {
			w.add(entry{path: p, skip: SkipDirLink})
			return
		}
		for _, a := range anc {
			if os.SameFile(a, fi) {
				w.add(entry{path: p, skip: SkipLoop})
				return
			}
		}
		w.pending = append(w.pending, pendingLink{p, fi, slices.Clone(anc)})
	case fi.Mode().IsRegular():
		w.file(p, fi)
	default:
		w.add(entry{path: p, skip: SkipSpecial})
	}
}

func (w *walker) file(p string, fi os.FileInfo) {
	w.add(entry{path: p, mode: fi.Mode().Perm()})
}

// cleanErr drops the path from an *fs.PathError: results carry the path
// already, and a one-line report should not say it twice.
func cleanErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// DestPath is where the redacted copy of path goes under dir: the path as
// given when it is relative and stays below the working directory, else its
// absolute form without the leading separator (so /srv/a.csv goes to
// dir/srv/a.csv). Stdin goes to dir/stdin.txt.
func DestPath(dir, path string) (string, error) {
	if path == StdinPath {
		return filepath.Join(dir, "stdin.txt"), nil
	}
	c := filepath.Clean(path)
	if !filepath.IsLocal(c) {
		abs, err := filepath.Abs(c)
		if err != nil {
			return "", err
		}
		c = strings.TrimLeft(abs[len(filepath.VolumeName(abs)):], string(filepath.Separator))
	}
	return filepath.Join(dir, c), nil
}

// checkRedactDir refuses a redact directory that is a scanned path or lies
// inside one (the walk would read the copies back), and one whose mirror of a
// path would be that path or overlap it (the copy would overwrite the
// original).
func checkRedactDir(paths []string, dir string) error {
	out, err := resolve(dir)
	if err != nil {
		return fmt.Errorf("redact directory %s: %w", dir, err)
	}
	for _, p := range paths {
		if p == "-" {
			continue
		}
		in, err := resolve(p)
		if err != nil {
			continue // reported as unreadable by the walk
		}
		if within(out, in) {
			return fmt.Errorf("redact directory %s is inside or equal to scanned path %s", dir, p)
		}
		d, err := DestPath(dir, p)
		if err != nil {
			return err
		}
		if dr, err := resolve(d); err == nil && (within(dr, in) || within(in, dr)) {
			return fmt.Errorf("redact directory %s: the copy of %s would overwrite it", dir, p)
		}
	}
	return nil
}

// within reports whether path a is b or below it; both are absolute and clean.
func within(a, b string) bool {
	if a == b {
		return true
	}
	rel, err := filepath.Rel(b, a)
	return err == nil && filepath.IsLocal(rel)
}

// resolve makes p absolute and resolves symlinks in its longest existing
// prefix, so that a redact directory yet to be created compares correctly.
func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}
