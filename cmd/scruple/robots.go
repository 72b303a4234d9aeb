package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"

	"github.com/spf13/cobra"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/robots"
	"github.com/scruple/scruple/urls"
)

func newRobotsCmd(stdout, stderr io.Writer) *cobra.Command {
	var agent, file, robotsURL string
	var why bool
	var allow []string
	cmd := &cobra.Command{
		Use:   "robots --agent UA (--file ROBOTS_TXT | --url ROBOTS_URL) URL...",
		Short: "Say whether robots.txt allows each URL (and, with --why, which rule decided)",
		Long: `Print one line per URL, in order: "allowed URL" or "disallowed URL".
The rules are RFC 9309's, exactly as the crawler applies them: the longest
matching rule wins, Allow wins a tie, the agent's product token (the
--agent up to its first "/") selects the group, and "*" applies only when no
group names the agent. --url fetches robots.txt with the crawler's status-code
rules (4xx: allow all; 5xx or unreachable: disallow all).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			if (file == "") == (robotsURL == "") {
				return usageError{errors.New("robots needs exactly one of --file or --url")}
			}
			if len(args) == 0 {
				return usageError{errors.New("robots needs at least one URL to test")}
			}
			rb, src, err := loadRobots(cmd.Context(), file, robotsURL, agent, allow)
			if err != nil {
				return err
			}
			if why && src != "" {
				fmt.Fprintf(stdout, "# %s\n", src)
			}
			for _, raw := range args {
				u, err := urls.Canonicalize(raw)
				if err != nil {
					return usageError{fmt.Errorf("URL %q: %v", raw, err)}
				}
				v := rb.Test(agent, pathQuery(u))
				verdict := "disallowed"
				if v.Allowed {
					verdict = "allowed"
				}
				if why {
					rule := v.Rule
					if rule == "" {
						rule = "no rule matched"
					}
					if v.Line > 0 {
						rule = fmt.Sprintf("%s (line %d)", rule, v.Line)
					}
					fmt.Fprintf(stdout, "%s %s\t%s\n", verdict, raw, rule)
				} else {
					fmt.Fprintf(stdout, "%s %s\n", verdict, raw)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&agent, "agent", scruple.DefaultUserAgent, "User-Agent whose product token selects the group")
	cmd.Flags().StringVar(&file, "file", "", "robots.txt file to read")
	cmd.Flags().StringVar(&robotsURL, "url", "", "robots.txt URL to fetch")
	cmd.Flags().BoolVar(&why, "why", false, "also print the rule that decided each URL")
	cmd.Flags().StringArrayVar(&allow, "allow-cidr", nil, "allow fetching from this address range, refused by default (repeatable)")
	cmd.Flags().String("config", "", "YAML file of settings (keys are flag names)")
	return cmd
}

func loadRobots(ctx context.Context, file, robotsURL, agent string, allow []string) (*robots.Robots, string, error) {
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, "", usageError{fmt.Errorf("--file: %v", err)}
		}
		defer f.Close()
		// Read one byte past the limit at most: the parser ignores the rest.
		b, err := io.ReadAll(io.LimitReader(f, robots.MaxSize+1))
		if err != nil {
			return nil, "", fmt.Errorf("--file %s: %w", file, err)
		}
		return robots.Parse(b), "", nil
	}
	u, err := urls.Canonicalize(robotsURL)
	if err != nil {
		return nil, "", usageError{fmt.Errorf("--url: %v", err)}
	}
	cidrs, err := fetch.ParseCIDRs(allow)
	if err != nil {
		return nil, "", usageError{err}
	}
	c := fetch.New(fetch.Config{UserAgent: agent, AllowCIDRs: cidrs})
	defer c.Close()
	rf := &robots.Fetcher{Client: c.HTTPClient(), UserAgent: agent}
	res := rf.Fetch(ctx, u.String())
	return res.Robots, fmt.Sprintf("%s: %s", u, res.Reason), nil
}

func pathQuery(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}
