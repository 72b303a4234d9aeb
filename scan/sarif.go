package scan

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/scruple/scruple/pii"
)

// SARIF 2.1.0 (OASIS), the format code-scanning dashboards ingest.
const (
	SARIFVersion = "2.1.0"
	SARIFSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

// The SARIF objects written; only the properties scan fills.
type (
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifMessage   `json:"shortDescription"`
		FullDescription      sarifMessage   `json:"fullDescription"`
		DefaultConfiguration map[string]any `json:"defaultConfiguration"`
		Properties           map[string]any `json:"properties"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifArtifactLocation struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int  `json:"startLine"`
		StartColumn int  `json:"startColumn"`
		EndLine     int  `json:"endLine"`
		EndColumn   int  `json:"endColumn"`
		ByteOffset  *int `json:"byteOffset,omitempty"`
		ByteLength  *int `json:"byteLength,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
		LogicalLocations []sarifLogical        `json:"logicalLocations,omitempty"`
	}
	sarifLogical struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
		Kind               string `json:"kind"`
	}
	sarifResult struct {
		RuleID     string          `json:"ruleId"`
		RuleIndex  *int            `json:"ruleIndex,omitempty"`
		Level      string          `json:"level"`
		Message    sarifMessage    `json:"message"`
		Locations  []sarifLocation `json:"locations"`
		Properties map[string]any  `json:"properties,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
)

// sarifWriter streams the results array, so that memory does not grow with
// the number of findings; the run's invocation (with the unreadable paths)
// closes the document.
type sarifWriter struct {
	bw      *bufio.Writer
	index   map[pii.Type]int
	rules   []sarifRule
	version string
	n       int
	notes   []sarifNotification
	started bool
}

func newSARIFWriter(w io.Writer, types []pii.Type, version string) *sarifWriter {
	if len(types) == 0 {
		types = pii.Types()
	}
	s := &sarifWriter{bw: bufio.NewWriter(w), index: map[pii.Type]int{}, version: version}
	for _, t := range types {
		if _, dup := s.index[t]; dup {
			continue
		}
		s.index[t] = len(s.rules)
		s.rules = append(s.rules, ruleFor(t))
	}
	return s
}

func ruleFor(t pii.Type) sarifRule {
	inf := pii.Info(t)
	desc := inf.Description
	if desc == "" {
		desc = string(t)
	}
	var full []string
	full = append(full, desc+".")
	if inf.Sensitive {
		full = append(full, "Sensitive personal information under PIPL Art. 28.")
	}
	if inf.Level != "" {
		full = append(full, "JR/T 0171-2020 class "+string(inf.Level)+".")
	}
	if !inf.Personal {
		full = append(full, "Does not identify a natural person.")
	}
	tags := []string{"privacy", "pii"}
	if inf.Sensitive {
		tags = append(tags, "sensitive")
	}
	return sarifRule{ID: string(t), Name: ruleName(t),
		ShortDescription:     sarifMessage{desc},
		FullDescription:      sarifMessage{strings.Join(full, " ")},
		DefaultConfiguration: map[string]any{"level": sarifLevel(inf.Sensitive, inf.Level)},
		Properties: map[string]any{"tags": tags, "sensitive": inf.Sensitive,
			"level": string(inf.Level), "personal": inf.Personal}}
}

// ruleName is the PascalCase form SARIF suggests for rule names.
func ruleName(t pii.Type) string {
	var b strings.Builder
	for _, w := range strings.Split(string(t), "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// sarifLevel: sensitive and C3 findings are errors, the rest warnings.
func sarifLevel(sensitive bool, l pii.Level) string {
	if sensitive || l == pii.C3 {
		return "error"
	}
	return "warning"
}

// ArtifactURI is the SARIF uri of a path: a relative reference for a
// relative path, a file URL for an absolute one.
func ArtifactURI(path string) string {
	if path == StdinPath {
		return "stdin"
	}
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

func (s *sarifWriter) start() error {
	if s.started {
		return nil
	}
	s.started = true
	driver, err := json.MarshalIndent(sarifDriver{Name: "scruple", Version: s.version, Rules: s.rules}, "        ", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(s.bw, "{\n  \"$schema\": %q,\n  \"version\": %q,\n  \"runs\": [\n    {\n", SARIFSchema, SARIFVersion)
	fmt.Fprintf(s.bw, "      \"tool\": {\n        \"driver\": %s\n      },\n", driver)
	// Columns count characters, as Finding.Col does.
	fmt.Fprintf(s.bw, "      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [")
	return nil
}

func (s *sarifWriter) File(r *FileResult) error {
	if err := s.start(); err != nil {
		return err
	}
	uri := ArtifactURI(r.Path)
	if r.Err != nil {
		s.notes = append(s.notes, sarifNotification{Level: "error",
			Message:   sarifMessage{fmt.Sprintf("%s: %v", r.Name(), r.Err)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{uri}}}}})
		return nil
	}
	// Byte offsets are offsets into the artifact in SARIF and must agree
	// with lines and columns; they do only for uncompressed UTF-8 files.
	// Findings inside a part or a cell have no region of the file: their
	// place is a logical location (Finding.Where).
	exact := r.Encoding == UTF8 && !r.Gzip && r.Part == "" && r.Format == "text"
	for _, f := range r.Findings {
		var reg *sarifRegion
		var logical []sarifLogical
		if f.Line > 0 && f.Part == "" && f.Page == 0 {
			reg = &sarifRegion{StartLine: f.Line, StartColumn: f.Col, EndLine: f.EndLine, EndColumn: f.EndCol}
			if exact {
				off, n := f.Start, f.End-f.Start
				reg.ByteOffset, reg.ByteLength = &off, &n
			}
		} else {
			logical = []sarifLogical{{FullyQualifiedName: f.Where(), Kind: "element"}}
		}
		// The rules were written first; a type outside them (the caller
		// passed fewer types than the detector has) keeps only its ruleId.
		var idx *int
		if i, ok := s.index[f.Type]; ok {
			idx = &i
		}
		msg := fmt.Sprintf("%s %s (%s", f.Type, oneLine(shown(&f)), Class(&f))
		if !f.Personal {
			msg += ", non-personal"
		}
		res := sarifResult{RuleID: string(f.Type), RuleIndex: idx, Level: sarifLevel(f.Sensitive, f.Level),
			Message: sarifMessage{msg + ")"},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{uri}, Region: reg},
				LogicalLocations: logical}},
			Properties: map[string]any{"confidence": f.Confidence, "start": f.Start, "end": f.End}}
		b, err := json.MarshalIndent(res, "        ", "  ")
		if err != nil {
			return err
		}
		if s.n > 0 {
			s.bw.WriteByte(',')
		}
		s.n++
		s.bw.WriteString("\n        ")
		s.bw.Write(b)
	}
	return nil
}

func (s *sarifWriter) Close(sum *Summary) error {
	if err := s.start(); err != nil {
		return err
	}
	inv, err := json.MarshalIndent([]sarifInvocation{{ExecutionSuccessful: sum.Failed == 0,
		ToolExecutionNotifications: s.notes}}, "      ", "  ")
	if err != nil {
		return err
	}
	if s.n > 0 {
		s.bw.WriteString("\n      ")
	}
	fmt.Fprintf(s.bw, "],\n      \"invocations\": %s\n    }\n  ]\n}\n", inv)
	return s.bw.Flush()
}
