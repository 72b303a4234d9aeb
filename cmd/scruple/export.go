package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/bundle"
	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
)

func newExportCmd(stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var out, signingKey string
	cmd := &cobra.Command{
		Use:   "export [--data DIR | --store DSN --crawl NAME] --out OUTDIR",
		Short: "Write a signed bundle: records, log, checkpoint, key, manifest, WARC files, in-toto attestation",
		Long: `Write the data directory's records and provenance log to OUTDIR as a bundle a
data buyer can check offline with 'scruple verify OUTDIR': records.jsonl (one
record per line), log.jsonl (the Merkle-tree log entries), checkpoint (a signed
tree head, ed25519 in the signed-note format), key.pub (the verifier key),
manifest.json, the crawl's WARC files and CDXJ index under warc/ (when it ran
with --warc), and attestation.intoto.json: an in-toto statement (SLSA
Provenance v1) over every file of the bundle, in a DSSE envelope signed with
the same key.

With --store and --crawl it exports a crawl of a shared (PostgreSQL) store;
run it once the crawl's workers have stopped, since records committed during
the export would miss its checkpoint. The signing key comes from --signing-key
or the --data directory, as for the workers that signed the crawl.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			if out == "" {
				return usageError{errors.New("export needs --out OUTDIR")}
			}
			var m provenance.Manifest
			var err error
			if sf.shared() {
				m, err = exportShared(cmd, sf, out, signingKey)
			} else {
				m, err = exportBundle(cmd, sf.data, out, signingKey)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "exported %d records and %d log entries to %s (tree size %d, key %s)\n",
				m.Records, m.LogEntries, out, m.TreeSize, m.Key)
			return nil
		},
	}
	cmd.Flags().StringVar(&sf.data, "data", "./scruple-data", "data directory to export (with --store: where the signing key is)")
	sf.registerShared(cmd.Flags())
	cmd.Flags().StringVar(&out, "out", "", "output directory (created if needed)")
	cmd.Flags().StringVar(&signingKey, "signing-key", "", "signing key file (default: DATA/signing.key, created on first use)")
	cmd.Flags().String("config", "", "YAML file of settings (keys are flag names)")
	return cmd
}

// dataKeys returns the data directory's signer and verifier key, or those of
// --signing-key.
func dataKeys(data, signingKey string) (note.Signer, string, error) {
	if signingKey != "" {
		s, v, err := provenance.LoadSigner(signingKey)
		if err != nil {
			return nil, "", usageError{fmt.Errorf("--signing-key: %v", err)}
		}
		return s, v, nil
	}
	s, v, err := provenance.LoadOrCreateKey(data, provenance.DefaultKeyName())
	if err != nil {
		return nil, "", fmt.Errorf("signing key in %s: %w", data, err)
	}
	return s, v, nil
}

func exportBundle(cmd *cobra.Command, data, out, signingKey string) (provenance.Manifest, error) {
	if _, err := os.Stat(filepath.Join(data, sqlite.FileName)); err != nil {
		return provenance.Manifest{}, scruple.Errorf(scruple.EINVALID, "no scruple data in %s (run a crawl first, or pass --data)", data)
	}
	st, err := sqlite.Open(data)
	if err != nil {
		return provenance.Manifest{}, err
	}
	defer st.Close()
	// Kept values are opened with their consents' keys as they stand now:
	// a value whose consent ended is exported masked.
	if err := dataConsentKey(st, data); err != nil {
		return provenance.Manifest{}, err
	}
	signer, verifier, err := dataKeys(data, signingKey)
	if err != nil {
		return provenance.Manifest{}, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return provenance.Manifest{}, fmt.Errorf("--out %s: %w", out, err)
	}
	return exportLive(cmd.Context(), st, func() (provenance.Manifest, error) {
		return bundle.Export(cmd.Context(), st, signer, verifier, out, bundleOptions(data))
	})
}

// exportShared exports a crawl of a shared store.
func exportShared(cmd *cobra.Command, sf storeFlags, out, signingKey string) (provenance.Manifest, error) {
	st, err := openShared(cmd.Context(), sf, postgres.Options{MustExist: true})
	if err != nil {
		return provenance.Manifest{}, err
	}
	defer st.Close()
	signer, verifier, err := dataKeys(sf.data, signingKey)
	if err != nil {
		return provenance.Manifest{}, err
	}
	if err := (&sharedCrawl{st: st}).checkKey(cmd.Context(), verifier); err != nil {
		return provenance.Manifest{}, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return provenance.Manifest{}, fmt.Errorf("--out %s: %w", out, err)
	}
	return exportLive(cmd.Context(), st, func() (provenance.Manifest, error) {
		return bundle.Export(cmd.Context(), st, signer, verifier, out, bundleOptions(sf.data))
	})
}
