package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/consent/ledger"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/policy"
	"github.com/scruple/scruple/provenance"
)

// consentFlags are shared by the consent subcommands.
type consentFlags struct {
	storeFlags
	keyFile string
	maxTTL  time.Duration
	policy  string
}

func (f *consentFlags) register(cmd *cobra.Command) {
	fl := cmd.PersistentFlags()
	fl.StringVar(&f.data, "data", "./scruple-data", "data directory holding the consent ledger")
	fl.StringVar(&f.keyFile, "consent-key-file", "", "consent HMAC key (default: DATA/consent.key, created on first use)")
	fl.DurationVar(&f.maxTTL, "max-ttl", consent.DefaultMaxTTL, "longest consent accepted (expiry beyond it is refused)")
	fl.StringVar(&f.policy, "policy", "", "policy whose hash purge entries record (default: the built-in policy)")
	fl.String("config", "", "YAML file of settings (keys are flag names)")
	f.storeFlags.registerShared(fl)
}

func newConsentCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var f consentFlags
	cmd := &cobra.Command{
		Use:   "consent",
		Short: "Manage the consent ledger: grant, withdraw, refuse, list, show, import, sweep",
		Long: `The consent ledger records specific consents (PIPL Art. 14, 23, 29, 31). A
crawl keeps a personal value raw only when its policy says keep-with-consent
and a live consent covers the subject, the type and the crawl's --purpose.
Subjects are stored only as a keyed HMAC of the normalised identifier; the key
is DATA/consent.key (0600). Blanket consent is refused. Withdrawal and refusal
act at once: every stored record holding the subject's consented values is
re-redacted and each purge is logged in the provenance log. Withdrawal and
refusal are final: granting or importing the same grant again is refused, and
a refusal also ends (and refuses) every grant of its subject dated at or
before it. Every grant, import, withdrawal, refusal and expiry is a
provenance-log entry. Each of these commands first sweeps the ledger (see
'consent sweep').

These commands do not take the data-directory lock, so they work while a
crawl runs; the crawl reloads the ledger every few seconds.`,
	}
	f.register(cmd)
	cmd.AddCommand(newConsentGrant(&f, stdin, stdout), newConsentWithdraw(&f, stdout), newConsentRefuse(&f, stdin, stdout),
		newConsentList(&f, stdout), newConsentShow(&f, stdout), newConsentImport(&f, stdin, stdout, stderr),
		newConsentSweep(&f, stdout))
	return cmd
}

// readSubject reads the raw identifier from the flag, or from stdin when the
// flag is "-" (keeping it out of shell history and the process list).
func readSubject(v string, stdin io.Reader) (string, error) {
	if v != "-" {
		return v, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

func parseTime(flag, v string, def time.Time) (time.Time, error) {
	if v == "" {
		return def, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("--%s: want an RFC 3339 time like 2027-01-31T00:00:00Z", flag)}
	}
	return t, nil
}

func newConsentGrant(f *consentFlags, stdin io.Reader, stdout io.Writer) *cobra.Command {
	var g consent.Grant
	var subjectType, subject, evidenceFile, grantedAt, expiresAt string
	var types []string
	var expiresIn time.Duration
	cmd := &cobra.Command{
		Use:   "grant --subject-type TYPE --subject VALUE|- --types T1,T2 --purpose TEXT --processor NAME --recipient NAME|none --method TEXT --evidence FILE --expires-in DUR",
		Short: "Record a specific consent",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			raw, err := readSubject(subject, stdin)
			if err != nil {
				return err
			}
			now := time.Now().UTC()
			g.SubjectType, g.Subject = pii.Type(subjectType), raw
			for _, t := range types {
				g.Types = append(g.Types, pii.Type(strings.TrimSpace(t)))
			}
			if g.GrantedAt, err = parseTime("granted-at", grantedAt, now); err != nil {
				return err
			}
			switch {
			case expiresAt != "" && expiresIn != 0:
				return usageError{errors.New("give --expires-at or --expires-in, not both")}
			case expiresAt != "":
				if g.ExpiresAt, err = parseTime("expires-at", expiresAt, time.Time{}); err != nil {
					return err
				}
			case expiresIn != 0:
				g.ExpiresAt = g.GrantedAt.Add(expiresIn)
			}
			if evidenceFile != "" {
				g.EvidenceFile = evidenceFile
				if err := g.HashEvidence(); err != nil {
					return usageError{fmt.Errorf("--evidence: %v", err)}
				}
			}
			key, err := consentKey(f.data, f.keyFile)
			if err != nil {
				return err
			}
			st, lg, err := f.openLedger(cmd, key, false)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := lg.Grant(cmd.Context(), g)
			if err != nil {
				return consentRefused(err)
			}
			c := res.Consent
			if res.Unchanged {
				fmt.Fprintf(stdout, "consent %s is already granted and live; nothing changed\n", c.ID)
				return nil
			}
			fmt.Fprintf(stdout, "granted consent %s (subject %s…, types %s, expires %s)\n",
				c.ID, c.Subject[:12], strings.Join(c.Types, ","), c.ExpiresAt.Format(time.RFC3339))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&subjectType, "subject-type", "", "PI type of the identifier naming the subject, e.g. cn_mobile")
	fl.StringVar(&subject, "subject", "", "the identifier (use - to read it from stdin); only its HMAC is stored")
	fl.StringSliceVar(&types, "types", nil, "PI types covered (comma-separated; must include --subject-type; no wildcards)")
	fl.StringVar(&g.Purpose, "purpose", "", "the specific purpose consented to")
	fl.StringVar(&g.Processor, "processor", "", "the party processing the data")
	fl.StringArrayVar(&g.Recipients, "recipient", nil, "each third party the data goes to (repeatable), or none")
	fl.StringVar(&g.Method, "method", "", "how consent was collected, e.g. \"signed paper form\"")
	fl.StringVar(&evidenceFile, "evidence", "", "file of consent evidence (only its SHA-256 is stored)")
	fl.StringVar(&g.Evidence, "evidence-digest", "", "hex SHA-256 of the evidence, instead of --evidence")
	fl.StringVar(&grantedAt, "granted-at", "", "grant time, RFC 3339 (default: now)")
	fl.StringVar(&expiresAt, "expires-at", "", "expiry, RFC 3339")
	fl.DurationVar(&expiresIn, "expires-in", 0, "expiry as a duration from the grant, e.g. 2160h")
	fl.BoolVar(&g.Separate, "separate", false, "the subject gave separate consent (required for sensitive types, PIPL Art. 29)")
	fl.BoolVar(&g.Guardian, "guardian", false, "a guardian consented (required for a minor's data, PIPL Art. 31)")
	return cmd
}

// buildInfo names the software and policy in purge entries.
func (f *consentFlags) buildInfo() (provenance.BuildInfo, error) {
	pol := policy.Default()
	if f.policy != "" {
		var err error
		if pol, err = policy.Load(f.policy); err != nil {
			return provenance.BuildInfo{}, usageError{err}
		}
	}
	return provenance.BuildInfo{CrawlerVersion: scruple.Version, DetectorVersion: pii.Version, PolicyVersion: pol.Hash()}, nil
}

func newConsentWithdraw(f *consentFlags, stdout io.Writer) *cobra.Command {
	var at string
	cmd := &cobra.Command{
		Use:   "withdraw CONSENT_ID",
		Short: "Withdraw a consent and purge the values it kept (PIPL Art. 15)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			when, err := parseTime("at", at, time.Now().UTC())
			if err != nil {
				return err
			}
			st, lg, err := f.openLedger(cmd, nil, true)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := lg.Withdraw(cmd.Context(), args[0], when)
			if err != nil {
				return consentRefused(err)
			}
			c, n := res.Consent, res.Purged
			if res.Unchanged {
				fmt.Fprintf(stdout, "consent %s was already withdrawn: %d records purged and logged\n", c.ID, n)
				return nil
			}
			fmt.Fprintf(stdout, "withdrew consent %s: %d records purged and logged\n", c.ID, n)
			return nil
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "withdrawal time, RFC 3339 (default: now)")
	return cmd
}

func newConsentRefuse(f *consentFlags, stdin io.Reader, stdout io.Writer) *cobra.Command {
	var subjectType, subject string
	cmd := &cobra.Command{
		Use:   "refuse --subject-type TYPE --subject VALUE|-",
		Short: "Record that a subject refused consent, and purge their kept values (PIPL Art. 27)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			raw, err := readSubject(subject, stdin)
			if err != nil {
				return err
			}
			key, err := consentKey(f.data, f.keyFile)
			if err != nil {
				return err
			}
			st, lg, err := f.openLedger(cmd, key, false)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := lg.Refuse(cmd.Context(), pii.Type(subjectType), raw, time.Time{})
			if err != nil {
				return consentRefused(err)
			}
			c, n := res.Consent, res.Purged
			if len(res.Ended) > 0 {
				fmt.Fprintf(stdout, "the refusal ended %d earlier consents of the subject: %s\n", len(res.Ended), strings.Join(res.Ended, ", "))
			}
			fmt.Fprintf(stdout, "recorded refusal %s: %d records purged and logged\n", c.ID, n)
			return nil
		},
	}
	cmd.Flags().StringVar(&subjectType, "subject-type", "", "PI type of the identifier naming the subject")
	cmd.Flags().StringVar(&subject, "subject", "", "the identifier (use - to read it from stdin)")
	return cmd
}

// openLedger opens the store (no data-directory lock: consent commands run
// beside a crawl), sweeps it (ledger.Sweep: every command that opens a store
// first purges what has expired) and returns a ledger on it. key may be nil
// for commands that name no subject.
func (f *consentFlags) openLedger(cmd *cobra.Command, key []byte, mustExist bool) (scruple.Store, *ledger.Ledger, error) {
	info, err := f.buildInfo()
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(cmd.Context(), f.storeFlags, false, mustExist)
	if err != nil {
		return nil, nil, err
	}
	// --consent-key-file: kept values are sealed under that key (shred).
	if err := useConsentKey(st, key); err != nil {
		st.Close()
		return nil, nil, err
	}
	lg := ledger.New(st, ledger.Options{Key: key, MaxTTL: f.maxTTL, Info: info})
	if _, err := lg.Sweep(cmd.Context()); err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("consent sweep: %w", err)
	}
	return st, lg, nil
}

// consentRefused formats a ledger refusal for the terminal: a broken
// consent rule is a usage error, as before the ledger existed.
func consentRefused(err error) error {
	var le *ledger.Error
	if errors.As(err, &le) && le.Code == scruple.EINVALID {
		return usageError{fmt.Errorf("consent refused: %v", err)}
	}
	if errors.As(err, &le) {
		return &scruple.Error{Code: le.Code, Message: "consent refused: " + le.Error()}
	}
	return err
}

// consentStates returns the state of every consent at now, refusals of
// their subjects included (scruple.Consent.StateAmong).
func consentStates(all []*scruple.Consent, now time.Time) map[string]scruple.ConsentState {
	refusals := map[string][]*scruple.Consent{}
	for _, c := range all {
		if c.Refused {
			refusals[c.Subject] = append(refusals[c.Subject], c)
		}
	}
	out := map[string]scruple.ConsentState{}
	for _, c := range all {
		out[c.ID] = c.StateAmong(now, refusals[c.Subject])
	}
	return out
}

func newConsentSweep(f *consentFlags, stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "sweep",
		Short: "Log expired consents and purge the values ended consents kept (for cron); nothing else",
		Long: `Sweep does what every command that opens a store does first: each consent
whose expiry has passed gets an "expire" entry in the provenance log (once)
and a "sweep" entry lists them; every stored value kept under an expired,
withdrawn or refused consent is re-redacted and the purge logged. Run it from
cron so that expiry takes effect on a store nobody opens.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			info, err := f.buildInfo()
			if err != nil {
				return err
			}
			st, err := openStore(cmd.Context(), f.storeFlags, false, true)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := ledger.New(st, ledger.Options{Info: info}).Sweep(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "swept: %d consents expired, %d records purged and logged\n", len(res.Expired), res.Purged)
			return nil
		},
	}
}

func newConsentList(f *consentFlags, stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List consents (subjects shown as the start of their HMAC, never raw)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			st, _, err := f.openLedger(cmd, nil, true)
			if err != nil {
				return err
			}
			defer st.Close()
			var all []*scruple.Consent
			if err := st.Consents(cmd.Context(), func(c *scruple.Consent) error { all = append(all, c); return nil }); err != nil {
				return err
			}
			states := consentStates(all, time.Now())
			tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATUS\tSUBJECT\tTYPES\tPURPOSE\tEXPIRES")
			for _, c := range all {
				exp := ""
				if !c.ExpiresAt.IsZero() {
					exp = c.ExpiresAt.Format("2006-01-02")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s:%s…\t%s\t%s\t%s\n", c.ID, states[c.ID], c.SubjectType, c.Subject[:12],
					strings.Join(c.Types, ","), c.Purpose, exp)
			}
			return tw.Flush()
		},
	}
}

func newConsentShow(f *consentFlags, stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "show CONSENT_ID",
		Short: "Print one consent as JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			st, _, err := f.openLedger(cmd, nil, true)
			if err != nil {
				return err
			}
			defer st.Close()
			c, err := st.Consent(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			var all []*scruple.Consent
			if err := st.Consents(cmd.Context(), func(x *scruple.Consent) error { all = append(all, x); return nil }); err != nil {
				return err
			}
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(struct {
				*scruple.Consent
				Status scruple.ConsentState `json:"status"`
			}{c, consentStates(all, time.Now())[c.ID]})
		},
	}
}

func newConsentImport(f *consentFlags, stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE|-",
		Short: "Import consents from JSON Lines; bad lines are reported, good ones kept (in one transaction)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			var r io.Reader = stdin
			if args[0] != "-" {
				fh, err := os.Open(args[0])
				if err != nil {
					return usageError{err}
				}
				defer fh.Close()
				r = fh
			}
			key, err := consentKey(f.data, f.keyFile)
			if err != nil {
				return err
			}
			st, lg, err := f.openLedger(cmd, key, false)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := lg.Import(cmd.Context(), r)
			if err != nil {
				return err
			}
			for _, e := range res.Bad {
				fmt.Fprintf(stderr, "%s: %v\n", args[0], e)
			}
			ok, bad := res.Imported, res.Bad
			if len(res.Unchanged) > 0 {
				fmt.Fprintf(stdout, "%d consents were already granted and live; unchanged\n", len(res.Unchanged))
			}
			fmt.Fprintf(stdout, "imported %d consents; %d lines refused\n", len(ok), len(bad))
			if len(bad) > 0 {
				return &exitError{code: exitFailure}
			}
			return nil
		},
	}
}
