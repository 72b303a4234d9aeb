package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/sqlite"
)

// storeFlags name a store: the embedded one in a data directory (default) or
// a shared one (--store postgres://..., --crawl NAME).
type storeFlags struct {
	data, store, crawl string
}

// openStore opens the named store. lock=false opens an embedded store without
// the data-directory lock, for commands that may run beside a crawl (consent
// changes take effect in a running crawl within seconds).
func openStore(ctx context.Context, f storeFlags, lock, mustExist bool) (scruple.Store, error) {
	if mustExist {
		if _, err := os.Stat(filepath.Join(f.data, sqlite.FileName)); err != nil {
			return nil, scruple.Errorf(scruple.EINVALID, "no scruple data in %s (run a crawl first, or pass --data)", f.data)
		}
	}
	return sqlite.OpenWith(f.data, sqlite.Options{NoLock: !lock})
}
