package sqlite

import (
	"fmt"
	"net/url"
	"path/filepath"
)

// fileURI is the driver's data source name for the database file at path:
// a file: URI (https://www.sqlite.org/uri.html) whose path is absolute and
// percent-encoded, followed by query, the driver's parameters.
//
// Pasting the path into "file:"+path+"?"+query is wrong for any directory
// whose name holds '?', '#' or '%': SQLite ends the path at the first '?'
// or '#' and decodes '%XX', so the database would be created outside the
// (locked) data directory. net/url escapes exactly those.
func fileURI(path, query string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("database path %s: %w", path, err)
	}
	// An absolute path gives file:///path: an empty authority, which SQLite
	// accepts; a relative one would be read as an authority.
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: query}
	return u.String(), nil
}
