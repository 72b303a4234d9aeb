package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/sqlite"
)

func newExportCmd(stdout, stderr io.Writer) *cobra.Command {
	var data, out string
	cmd := &cobra.Command{
		Use:   "export --data DIR --out OUTDIR",
		Short: "Write the data directory's records to OUTDIR/records.jsonl",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			if out == "" {
				return usageError{errors.New("export needs --out OUTDIR")}
			}
			n, err := exportRecords(cmd, data, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "exported %d records to %s\n", n, filepath.Join(out, "records.jsonl"))
			return nil
		},
	}
	cmd.Flags().StringVar(&data, "data", "./scruple-data", "data directory to export")
	cmd.Flags().StringVar(&out, "out", "", "output directory (created if needed)")
	return cmd
}

// exportRecords writes records.jsonl atomically: to a temporary file renamed
// into place, so a reader never sees half an export.
func exportRecords(cmd *cobra.Command, data, out string) (int, error) {
	if _, err := os.Stat(filepath.Join(data, sqlite.FileName)); err != nil {
		return 0, scruple.Errorf(scruple.EINVALID, "no scruple data in %s (run a crawl first, or pass --data)", data)
	}
	// Export reads while a crawl may be running: SQLite's WAL gives readers a
	// consistent view, so the directory lock is not taken.
	st, err := sqlite.OpenWith(data, sqlite.Options{NoLock: true})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, fmt.Errorf("--out %s: %w", out, err)
	}
	tmp, err := os.CreateTemp(out, ".records-*.jsonl")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := 0
	err = st.Records(cmd.Context(), func(r *scruple.Record) error {
		n++
		return enc.Encode(r)
	})
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	return n, os.Rename(tmp.Name(), filepath.Join(out, "records.jsonl"))
}
