package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/crawler"
	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/sqlite"
)

// storeFlags name a store: the embedded one in a data directory (default) or
// a shared one (--store postgres://..., --crawl NAME).
type storeFlags struct {
	data, store, crawl string
}

// registerShared adds --store and --crawl. SCRUPLE_STORE and SCRUPLE_CRAWL
// name them too (applyConfig for commands that have the flags, resolved for
// those that do not).
func (f *storeFlags) registerShared(fl *pflag.FlagSet) {
	fl.StringVar(&f.store, "store", "", "shared store: a PostgreSQL DSN (postgres://user@host:5432/db); default: the embedded store in --data")
	fl.StringVar(&f.crawl, "crawl", "", "the crawl's name in the shared store (one database holds many crawls)")
}

// resolved fills an empty store and crawl name from SCRUPLE_STORE and
// SCRUPLE_CRAWL.
func (f storeFlags) resolved() storeFlags {
	if f.store == "" {
		f.store = os.Getenv("SCRUPLE_STORE")
	}
	if f.crawl == "" {
		f.crawl = os.Getenv("SCRUPLE_CRAWL")
	}
	return f
}

// shared reports whether the flags name a shared (PostgreSQL) store.
func (f storeFlags) shared() bool { return f.resolved().store != "" }

// openStore opens the named store. lock=false opens an embedded store without
// the data-directory lock, for commands that may run beside a crawl (consent
// changes take effect in a running crawl within seconds). A shared store has
// no lock: many workers serve one crawl. mustExist refuses to create a store
// (a data directory, or a crawl in the database).
func openStore(ctx context.Context, f storeFlags, lock, mustExist bool) (scruple.Store, error) {
	if f.shared() {
		return openShared(ctx, f, postgres.Options{MustExist: mustExist})
	}
	if mustExist {
		if _, err := os.Stat(filepath.Join(f.data, sqlite.FileName)); err != nil {
			return nil, scruple.Errorf(scruple.EINVALID, "no scruple data in %s (run a crawl first, or pass --data)", f.data)
		}
	}
	st, err := sqlite.OpenWith(f.data, sqlite.Options{NoLock: !lock})
	if err != nil {
		return nil, err
	}
	if err := dataConsentKey(st, f.data); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// keyedStore is a store that seals the values kept under consent (package
// shred) once it has the consent key they are sealed under.
type keyedStore interface {
	UseConsentKey(consentKey []byte) error
}

// useConsentKey gives st the consent key its kept values are sealed under.
// A command that loads the key itself (--consent-key-file) calls it after
// opening the store, which overrides the data directory's key.
func useConsentKey(st any, key []byte) error {
	if k, ok := st.(keyedStore); ok && key != nil {
		return k.UseConsentKey(key)
	}
	return nil
}

// dataConsentKey gives st the data directory's consent key when there is
// one. Without it, kept values are written in clear and sealed ones read as
// masked: a directory without consent.key has no consent, so none of either.
func dataConsentKey(st any, data string) error {
	key, err := consent.LoadKey(filepath.Join(data, consent.KeyFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("consent key in %s: %w", data, err)
	}
	return useConsentKey(st, key)
}

// openShared opens the crawl named by f in the PostgreSQL database named by f.
func openShared(ctx context.Context, f storeFlags, opt postgres.Options) (*postgres.Store, error) {
	f = f.resolved()
	if !strings.HasPrefix(f.store, "postgres://") && !strings.HasPrefix(f.store, "postgresql://") {
		return nil, usageError{errors.New("--store must be a PostgreSQL DSN (postgres://user@host:5432/db?sslmode=...)")}
	}
	if f.crawl == "" {
		return nil, usageError{errors.New("a shared store needs --crawl NAME (or SCRUPLE_CRAWL)")}
	}
	st, err := postgres.Open(ctx, f.store, f.crawl, opt)
	if err != nil {
		return nil, err
	}
	if err := dataConsentKey(st, f.data); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// Interface guards: the PostgreSQL store is a crawler.SharedStore in full
// (politeness, robots.txt cache, lease renewal), checked at compile time
// here, where both packages meet; the embedded store is none of it (the
// crawler refuses a store that is only partly shared, at run time:
// crawler.TestPartialSharedStoreRefused).
var (
	_ crawler.SharedStore = (*postgres.Store)(nil)
	_ scruple.Store       = (*sqlite.Store)(nil)
)
