package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/bundle"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/report"
	"github.com/scruple/scruple/serve"
)

// serveFlags are shared by serve and its token subcommands.
type serveFlags struct {
	consentFlags
	tokens string
}

func (f *serveFlags) tokenFile() string {
	if f.tokens != "" {
		return f.tokens
	}
	return filepath.Join(f.data, "serve-tokens.json")
}

func newServeCmd(stdout, stderr io.Writer) *cobra.Command {
	var f serveFlags
	var addr, certFile, keyFile, signingKey string
	var insecure bool
	var maxUpload int64
	cmd := &cobra.Command{
		Use:   "serve [--data DIR | --store DSN --crawl NAME] [--addr 127.0.0.1:8088]",
		Short: "Serve the consent API, the crawl console, OpenAPI and Prometheus metrics",
		Long: `Serve a JSON API under /api/v1 (status, records, consents, withdrawals,
refusals, subject lookup, report, bundle verification), its OpenAPI 3.1
description at /api/openapi.yaml, Prometheus metrics at /metrics and a web
console at / — assets embedded, no CDN, works offline. It runs beside a crawl:
the data directory is opened without its lock.

Requests need a bearer token made with 'scruple serve token create --role
viewer|operator|admin' (printed once; DATA/serve-tokens.json keeps only its
hash). viewer reads, operator manages consents, admin manages tokens.

A non-loopback --addr needs --tls-cert and --tls-key, or --insecure-no-tls.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			if (certFile == "") != (keyFile == "") {
				return usageError{errors.New("give both --tls-cert and --tls-key, or neither")}
			}
			if err := serve.CheckAddr(addr, certFile != "", insecure); err != nil {
				return usageError{err}
			}
			ctx := cmd.Context()
			st, err := openStore(ctx, f.storeFlags, false, true)
			if err != nil {
				return err
			}
			defer st.Close()
			key, err := consentKey(f.data, f.keyFile)
			if err != nil {
				return err
			}
			// --consent-key-file: kept values are sealed under that key (shred).
			if f.keyFile != "" {
				if err := useConsentKey(st, key); err != nil {
					return err
				}
			}
			if err := sweepStore(ctx, st); err != nil {
				return err
			}
			info, err := f.buildInfo()
			if err != nil {
				return err
			}
			log := slog.New(slog.NewJSONHandler(stderr, nil))
			srv, err := serve.New(serve.Config{
				Store:     st,
				Ledger:    &serve.StoreLedger{Store: st, Key: key, MaxTTL: f.maxTTL, Info: info},
				Tokens:    serve.OpenTokens(f.tokenFile()),
				Report:    liveReport(st, f.data, signingKey),
				Verify:    verifyBundle,
				Info:      info,
				Sweep:     func(ctx context.Context) error { return sweepStore(ctx, st) },
				Logger:    log,
				MaxUpload: maxUpload,
				Secure:    certFile != "",
			})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usageError{fmt.Errorf("--addr: %v", err)}
			}
			scheme := "http"
			if certFile != "" {
				scheme = "https"
			}
			fmt.Fprintf(stdout, "serving %s://%s/ (API /api/v1, OpenAPI /api/openapi.yaml, metrics /metrics; tokens in %s)\n",
				scheme, ln.Addr(), f.tokenFile())
			return srv.Serve(ctx, ln, certFile, keyFile)
		},
	}
	f.register(cmd)
	cmd.PersistentFlags().StringVar(&f.tokens, "tokens", "", "token file (default: DATA/serve-tokens.json)")
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8088", "address to listen on")
	fl.StringVar(&certFile, "tls-cert", "", "TLS certificate file (PEM)")
	fl.StringVar(&keyFile, "tls-key", "", "TLS key file (PEM)")
	fl.BoolVar(&insecure, "insecure-no-tls", false, "allow a non-loopback --addr without TLS (tokens travel in clear text)")
	fl.Int64Var(&maxUpload, "max-upload", serve.DefaultMaxUpload, "largest bundle upload accepted, in bytes")
	fl.StringVar(&signingKey, "signing-key", "", "signing key for the live report (default: DATA/signing.key)")
	cmd.AddCommand(newServeTokenCmd(&f, stdout, stderr))
	return cmd
}

// liveReport exports the open store to a temporary bundle and writes its
// report, with the store's consent ledger for terms the log lacks. The
// crawl's WARC files are left out: repairing a live crawl's WARC directory
// (as an export does) is not for a reader to do. So the bundle is verified
// without them (verifyLiveBundle): its verdict checks the log, records and
// attestation and says the WARC files were not included, rather than call
// an honest store tampered for lacking files it was never given.
func liveReport(st scruple.Store, data, signingKey string) func(ctx context.Context, w io.Writer, lang string) error {
	return func(ctx context.Context, w io.Writer, lang string) error {
		tmp, err := os.MkdirTemp("", "scruple-serve-report-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		signer, verifier, err := dataKeys(data, signingKey)
		if err != nil {
			return err
		}
		// Swept first, like every export: the report shows no value whose
		// consent ended while the server ran.
		m, err := exportLive(ctx, st, func() (provenance.Manifest, error) {
			return bundle.Export(ctx, st, signer, verifier, tmp, bundle.Options{Runs: filepath.Join(data, bundle.RunsFile)})
		})
		if err != nil {
			return err
		}
		rep, err := report.Build(ctx, tmp, report.Options{Lang: lang, Key: m.Key, Subject: "live store", Verify: verifyLiveBundle,
			Ledger: st.Consents})
		if err != nil {
			return err
		}
		return rep.WriteHTML(w)
	}
}

func newServeTokenCmd(f *serveFlags, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Create, revoke and list the server's bearer tokens"}
	var role, label string
	create := &cobra.Command{
		Use:   "create --role viewer|operator|admin --label NAME",
		Short: "Create a token; it is printed once and only its hash is kept",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			r, err := serve.ParseRole(role)
			if err != nil {
				return usageError{err}
			}
			if label == "" {
				label = r.String()
			}
			// The store is opened first: a token whose creation cannot be
			// logged is not created.
			st, err := openStore(cmd.Context(), f.storeFlags, false, false)
			if err != nil {
				return err
			}
			defer st.Close()
			now := time.Now()
			tokens := serve.OpenTokens(f.tokenFile())
			tok, info, err := tokens.Create(r, label, now)
			if err != nil {
				return err
			}
			if err := logTokenChange(cmd.Context(), st, &f.consentFlags, provenance.APIAction{
				Action: provenance.ActionTokenCreate, Target: info.ID, Role: info.Role.String()}, now); err != nil {
				// A token whose creation the log does not hold is not
				// handed out: it is revoked before anyone saw it.
				if rerr := tokens.Revoke(info.ID, time.Now()); rerr != nil {
					return fmt.Errorf("%w; revoking the unlogged token %s failed too: %v", err, info.ID, rerr)
				}
				return fmt.Errorf("%w; the token was revoked unused", err)
			}
			fmt.Fprintf(stdout, "%s\n", tok)
			fmt.Fprintf(stderr, "token %s (%s, %q) created; it is shown only now\n", info.ID, info.Role, info.Label)
			return nil
		},
	}
	create.Flags().StringVar(&role, "role", "", "viewer, operator or admin")
	create.Flags().StringVar(&label, "label", "", "who holds it (a system or team); recorded with every change it makes")
	revoke := &cobra.Command{
		Use:   "revoke TOKEN_ID",
		Short: "Revoke a token at once (running servers notice at their next request)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			st, err := openStore(cmd.Context(), f.storeFlags, false, false)
			if err != nil {
				return err
			}
			defer st.Close()
			now := time.Now()
			if err := serve.OpenTokens(f.tokenFile()).Revoke(args[0], now); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "revoked token %s\n", args[0])
			return logTokenChange(cmd.Context(), st, &f.consentFlags, provenance.APIAction{
				Action: provenance.ActionTokenRevoke, Target: args[0]}, now)
		},
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List tokens (ids, roles, labels; never secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			ts, err := serve.OpenTokens(f.tokenFile()).List()
			if err != nil {
				return err
			}
			for _, t := range ts {
				state := "live"
				if t.Revoked != nil {
					state = "revoked " + t.Revoked.Format(time.RFC3339)
				}
				fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", t.ID, t.Role, t.Label, state)
			}
			return nil
		},
	}
	cmd.AddCommand(create, revoke, list)
	return cmd
}

// logTokenChange appends the api entry of a token created or revoked on the
// command line, as the server does for one made through the API (issue 15:
// every token change is in the log). The token file is written first, as
// in the server: a revocation stands even when the log cannot take its
// entry, and the command then fails saying so.
func logTokenChange(ctx context.Context, st scruple.Store, f *consentFlags, a provenance.APIAction, at time.Time) error {
	info, err := f.buildInfo()
	if err != nil {
		return err
	}
	a.Label, a.TokenID = provenance.CLILabel, ""
	e := provenance.NewAPIEntry(a, "", at, info)
	if _, err := st.AppendEntries(ctx, [][]byte{e.Marshal()}); err != nil {
		return fmt.Errorf("token %s: %s done, but its log entry was not written: %w", a.Target, a.Action, err)
	}
	return nil
}
