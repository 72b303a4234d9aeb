package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/scruple/scruple/bundle"
	"github.com/scruple/scruple/provenance"
)

func newVerifyCmd(stdout, stderr io.Writer) *cobra.Command {
	var key, record string
	cmd := &cobra.Command{
		Use:   "verify BUNDLE_DIR [--key VERIFIER_KEY] [--record URL]",
		Short: "Check an exported bundle: signature, Merkle tree, every record, WARC digests, attestation",
		Long: `Check a bundle written by 'scruple export'. Exit 0 when it is intact, 1
otherwise, saying what is wrong: a record altered, removed, reordered or added,
a log line changed, a checkpoint or signature that does not match, a key
other than --key, a file that differs from manifest.json, a WARC record whose
block digest does not match or that a log entry names but the bundle lacks,
or an attestation that is missing, not signed by the key, or not over exactly
the bundle's files. With --record URL, print an inclusion proof for that record.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			dir := args[0]
			if record != "" {
				p, err := provenance.Prove(dir, record)
				if err != nil {
					return &exitError{code: exitFailure, msg: err.Error()}
				}
				if err := p.Check(key); err != nil {
					return &exitError{code: exitFailure, msg: "inclusion proof does not verify: " + err.Error()}
				}
				fmt.Fprint(stdout, p.String())
				return nil
			}
			rep, sum, err := bundle.Verify(dir, key)
			if err != nil {
				return &exitError{code: exitFailure, msg: err.Error()}
			}
			fmt.Fprint(stdout, rep.String())
			fmt.Fprintln(stdout, sum.String())
			if !rep.OK() {
				return &exitError{code: exitFailure}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&key, "key", "", "verifier key the checkpoint must be signed with (default: the bundle's key.pub)")
	cmd.Flags().StringVar(&record, "record", "", "print an inclusion proof for the record of this URL")
	cmd.Flags().String("config", "", "YAML file of settings (keys are flag names)")
	return cmd
}
