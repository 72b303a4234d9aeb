package policy

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/scruple/scruple/pii"
	"go.yaml.in/yaml/v3"
)

// maxPolicySize bounds a policy file: a policy is a page of text, and a
// bound keeps a wrong --policy argument (a log, a binary) from being read.
const maxPolicySize = 1 << 20

// maxBulkThreshold bounds bulk-threshold; above it the bulk rule could never
// fire on a real page, which is a mistake rather than a policy.
const maxBulkThreshold = 1_000_000

// Error is one problem in a policy file, with its position.
type Error struct {
	File string // file name as given to Load or Parse
	Line int    // 1-based; 0 when the problem has no line (empty file)
	Msg  string
}

// Error formats the problem as file:line: reason.
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Errors are all the problems found in one policy file, in line order. Load
// and Parse return them as the error, so that a user fixes a file in one go.
type Errors []*Error

// Error lists the problems one a line.
func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Load reads and parses the policy file at path. Invalid policies fail with
// Errors naming the file, the line and the reason.
func Load(path string) (*Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPolicySize+1))
	if err != nil {
		return nil, fmt.Errorf("policy: %s: %w", path, err)
	}
	if len(data) > maxPolicySize {
		return nil, Errors{{File: path, Msg: fmt.Sprintf("larger than %d bytes: not a policy file", maxPolicySize)}}
	}
	return Parse(data, path)
}

// Parse parses a policy; file names it in error messages and is its name
// when the policy has no name key.
func Parse(data []byte, file string) (*Policy, error) {
	var warn []string
	p, err := parse(data, file, &warn)
	if err != nil {
		return nil, err
	}
	p.warnings = warn
	return p, nil
}

// parser collects the problems of one file.
type parser struct {
	file string
	errs Errors
	warn *[]string
}

func (ps *parser) errorf(n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	ps.errs = append(ps.errs, &Error{File: ps.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (ps *parser) warnf(n *yaml.Node, format string, args ...any) {
	if ps.warn != nil {
		*ps.warn = append(*ps.warn, fmt.Sprintf("%s:%d: ", ps.file, n.Line)+fmt.Sprintf(format, args...))
	}
}

func parse(data []byte, file string, warn *[]string) (*Policy, error) {
	ps := &parser{file: file, warn: warn}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Errors{{File: file, Msg: "empty policy: it needs at least version: 1"}}
		}
		return nil, Errors{yamlError(file, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		ps.errorf(&extra, "a second YAML document: a policy file holds one")
		return nil, ps.errs
	} else if !errors.Is(err, io.EOF) {
		return nil, Errors{yamlError(file, err)}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		ps.errorf(root, "a policy is a mapping of keys (version, types, classes, signals, ...)")
		return nil, ps.errs
	}
	p := builtin()
	p.name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	sawVersion := false
	var classNodes = map[Class]*yaml.Node{}
	ps.mapping(root, func(k, v *yaml.Node) {
		switch k.Value {
		case "version":
			sawVersion = true
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || v.Value != "1" {
				ps.errorf(v, "version must be 1 (the only policy schema version), not %q", v.Value)
			}
		case "name":
			if s, ok := ps.str(v, "name"); ok && s != "" {
				p.name = s
			}
		case "purpose-required":
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" {
				ps.errorf(v, "purpose-required must be true or false, not %q", v.Value)
				return
			}
			p.purposeRequired = v.Value == "true" || v.Value == "True" || v.Value == "TRUE"
		case "bulk-threshold":
			n, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || err != nil || n < 1 || n > maxBulkThreshold {
				ps.errorf(v, "bulk-threshold must be a whole number of distinct subjects from 1 to %d, not %q", maxBulkThreshold, v.Value)
				return
			}
			p.bulkThreshold = n
		case "types":
			ps.mapping(v, func(k, v *yaml.Node) { ps.typeRule(p, k, v) })
		case "classes":
			ps.mapping(v, func(k, v *yaml.Node) {
				if c, a, ok := ps.classRule(k, v); ok {
					p.classes[c] = a
					classNodes[c] = v
				}
			})
		case "signals":
			ps.mapping(v, func(k, v *yaml.Node) { ps.signalRule(p, k, v) })
		default:
			ps.errorf(k, "unknown key %q (known: version, name, purpose-required, types, classes, signals, bulk-threshold)", k.Value)
		}
	})
	if !sawVersion {
		ps.errorf(root, "missing version: 1")
	}
	// A keep rule for the sensitive class is legal (another legal basis, Art.
	// 13) but deserves a remark: sensitive PI normally needs separate consent.
	if n := classNodes[ClassSensitive]; n != nil && p.classes[ClassSensitive] == Keep {
		ps.warnf(n, "sensitive: keep stores sensitive personal information without consent; PIPL Art. 28-29 require a specific purpose, necessity and another legal basis")
	}
	if len(ps.errs) > 0 {
		return nil, ps.errs
	}
	return p, nil
}

// yamlError turns a yaml syntax error ("yaml: line 3: ...") into an Error.
func yamlError(file string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ":"); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line, msg = n, strings.TrimSpace(rest[i+1:])
			}
		}
	}
	return &Error{File: file, Line: line, Msg: "invalid YAML: " + msg}
}

// mapping calls fn for each key and value of a mapping node, reporting
// non-mappings, non-scalar keys, aliases and duplicate keys.
func (ps *parser) mapping(n *yaml.Node, fn func(k, v *yaml.Node)) {
	if n.Kind == yaml.AliasNode {
		ps.errorf(n, "aliases (*%s) are not supported in a policy: write the rules out", n.Value)
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // "types:" with nothing after it: no rules
	}
	if n.Kind != yaml.MappingNode {
		ps.errorf(n, "expected a mapping of key: value lines")
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			ps.errorf(k, "keys must be plain words")
			continue
		}
		if k.Value == "<<" {
			ps.errorf(k, "merge keys (<<) are not supported in a policy: write the rules out")
			continue
		}
		if first, dup := seen[k.Value]; dup {
			ps.errorf(k, "duplicate key %q (first at line %d)", k.Value, first)
			continue
		}
		seen[k.Value] = k.Line
		if v.Kind == yaml.AliasNode {
			ps.errorf(v, "aliases (*%s) are not supported in a policy: write the rules out", v.Value)
			continue
		}
		fn(k, v)
	}
}

// str returns a scalar's value.
func (ps *parser) str(v *yaml.Node, what string) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
		ps.errorf(v, "%s must be a single value", what)
		return "", false
	}
	return v.Value, true
}

// action parses an action value.
func (ps *parser) action(v *yaml.Node, what string) (Action, bool) {
	s, ok := ps.str(v, what)
	if !ok {
		return "", false
	}
	a := Action(s)
	if !a.Valid() {
		ps.errorf(v, "%s: unknown action %q (use drop-page, redact, keep-with-consent or keep)", what, s)
		return "", false
	}
	return a, true
}

func knownType(t pii.Type) bool { return pii.Info(t).Type == t && t != "" }

func (ps *parser) typeRule(p *Policy, k, v *yaml.Node) {
	t := pii.Type(k.Value)
	if !knownType(t) {
		ps.errorf(k, "unknown type id %q (known: %s)", k.Value, typeList())
		return
	}
	a, ok := ps.action(v, "types."+k.Value)
	if !ok {
		return
	}
	inf := pii.Info(t)
	switch {
	case inf.Level == pii.C3 && (a == Keep || a == KeepWithConsent):
		ps.errorf(v, "types.%s: %s is C3 authentication data (JR/T 0171-2020): it is never stored, not even with consent; use redact or drop-page", k.Value, a)
		return
	case !inf.Personal && a == KeepWithConsent:
		ps.errorf(v, "types.%s: keep-with-consent cannot apply: %s identifies an organisation, not a natural person, so no consent can cover it (PIPL Art. 4); use keep or redact", k.Value, k.Value)
		return
	case inf.Sensitive && a == Keep:
		ps.warnf(v, "types.%s: keep stores sensitive personal information without consent; PIPL Art. 28-29 require a specific purpose, necessity and another legal basis", k.Value)
	}
	p.types[t] = a
}

func (ps *parser) classRule(k, v *yaml.Node) (Class, Action, bool) {
	c := Class(k.Value)
	switch c {
	case ClassC3, ClassSensitive, ClassPersonal, ClassOrganisation:
	case "minor":
		ps.errorf(k, "minor is a page signal, not a class: write it under signals")
		return "", "", false
	case "c3":
		ps.errorf(k, "unknown class %q: did you mean C3?", k.Value)
		return "", "", false
	default:
		ps.errorf(k, "unknown class %q (known: C3, sensitive, personal, organisation)", k.Value)
		return "", "", false
	}
	a, ok := ps.action(v, "classes."+k.Value)
	if !ok {
		return "", "", false
	}
	switch {
	case c == ClassC3 && (a == Keep || a == KeepWithConsent):
		ps.errorf(v, "classes.C3: %s is not allowed: C3 authentication data (JR/T 0171-2020) is never stored, not even with consent; use redact or drop-page", a)
		return "", "", false
	case c == ClassOrganisation && a == KeepWithConsent:
		ps.errorf(v, "classes.organisation: keep-with-consent cannot apply: organisation identifiers have no data subject to consent (PIPL Art. 4); use keep or redact")
		return "", "", false
	}
	return c, a, true
}

func (ps *parser) signalRule(p *Policy, k, v *yaml.Node) {
	s := Signal(k.Value)
	switch s {
	case SignalBulk, SignalMinor, SignalCredential:
	default:
		ps.errorf(k, "unknown signal %q (known: bulk, minor, credential)", k.Value)
		return
	}
	a, ok := ps.action(v, "signals."+k.Value)
	if !ok {
		return
	}
	if s == SignalCredential && (a == Keep || a == KeepWithConsent) {
		ps.errorf(v, "signals.credential: %s is not allowed: a page showing C3 credentials is redacted or dropped (JR/T 0171-2020)", a)
		return
	}
	if s == SignalMinor && a == Keep {
		ps.errorf(v, "signals.minor: keep is not allowed: a minor's personal information needs a guardian's consent (PIPL Art. 31); use keep-with-consent, redact or drop-page")
		return
	}
	p.signals[s] = a
}

func typeList() string {
	all := pii.Types()
	s := make([]string, len(all))
	for i, t := range all {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}
