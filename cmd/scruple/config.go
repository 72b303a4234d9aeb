package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// applyConfig fills every flag the user did not set on the command line, first
// from SCRUPLE_<FLAG> environment variables (dashes become underscores), then
// from the YAML file named by --config, whose keys are the flag names. Flags
// therefore win over the environment, which wins over the file.
func applyConfig(cmd *cobra.Command, getenv func(string) string) error {
	file := map[string]any{}
	path := ""
	if f := cmd.Flags().Lookup("config"); f != nil {
		path = f.Value.String()
		if path == "" {
			path = getenv("SCRUPLE_CONFIG")
		}
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return usageError{fmt.Errorf("--config: %v", err)}
		}
		if err := yaml.Unmarshal(b, &file); err != nil {
			return usageError{fmt.Errorf("--config %s: %v", path, err)}
		}
		for k := range file {
			if k == "config" || cmd.Flags().Lookup(k) == nil {
				return usageError{fmt.Errorf("--config %s: unknown setting %q (settings are flag names, e.g. max-depth)", path, k)}
			}
		}
	}
	var firstErr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if firstErr != nil || f.Changed || f.Name == "config" || f.Name == "help" {
			return
		}
		env := "SCRUPLE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(env); v != "" {
			if err := setFlag(f, []string{v}); err != nil {
				firstErr = usageError{fmt.Errorf("%s: %v", env, err)}
			}
			return
		}
		v, ok := file[f.Name]
		if !ok {
			return
		}
		var vals []string
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				vals = append(vals, fmt.Sprint(e))
			}
		default:
			vals = []string{fmt.Sprint(x)}
		}
		if err := setFlag(f, vals); err != nil {
			firstErr = usageError{fmt.Errorf("--config %s: %s: %v", path, f.Name, err)}
		}
	})
	return firstErr
}

func setFlag(f *pflag.Flag, vals []string) error {
	for _, v := range vals {
		if err := f.Value.Set(v); err != nil {
			return err
		}
	}
	f.Changed = true
	return nil
}
