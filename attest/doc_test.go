package attest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildTypeDocumented: the build type URL has a document
// (docs/attestation-crawl-v1.md, linked from the README) naming the build
// type and every key a statement's parameters, dependencies, byproducts
// and run details carry.
func TestBuildTypeDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "attestation-crawl-v1.md"))
	if err != nil {
		t.Fatalf("the build type %s has no document: %v", BuildType, err)
	}
	readme, _ := os.ReadFile(filepath.Join("..", "README.md"))
	if !strings.Contains(string(readme), "(docs/attestation-crawl-v1.md)") {
		t.Error("the README does not link the build type's document")
	}
	in := testInput()
	in.Runs[0].Include, in.Runs[0].Exclude, in.Runs[0].Operator, in.Runs[0].Detector = []string{"a"}, []string{"b"}, "op", "d"
	stb, err := Statement(in)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Predicate struct {
			BuildDefinition struct {
				BuildType            string                       `json:"buildType"`
				ExternalParameters   map[string]any               `json:"externalParameters"`
				InternalParameters   map[string]any               `json:"internalParameters"`
				ResolvedDependencies []map[string]json.RawMessage `json:"resolvedDependencies"`
			} `json:"buildDefinition"`
			RunDetails struct {
				Builder    map[string]any               `json:"builder"`
				Metadata   map[string]any               `json:"metadata"`
				Byproducts []map[string]json.RawMessage `json:"byproducts"`
			} `json:"runDetails"`
		} `json:"predicate"`
	}
	if err := json.Unmarshal(stb, &st); err != nil {
		t.Fatal(err)
	}
	bd, rd := st.Predicate.BuildDefinition, st.Predicate.RunDetails
	var keys []string
	for k := range bd.ExternalParameters {
		keys = append(keys, k)
	}
	keys = append(keys, "runs")
	for _, d := range append(bd.ResolvedDependencies, rd.Byproducts...) {
		for k := range d {
			keys = append(keys, k)
		}
	}
	for k := range rd.Builder {
		keys = append(keys, k)
	}
	for k := range rd.Metadata {
		keys = append(keys, k)
	}
	var ann map[string]any
	json.Unmarshal(rd.Byproducts[0]["annotations"], &ann)
	for k := range ann {
		keys = append(keys, k)
	}
	b, _ := json.Marshal(in.Runs[0])
	var run map[string]any
	json.Unmarshal(b, &run)
	for k := range run {
		keys = append(keys, k)
	}
	for _, k := range append(keys, "buildType", "externalParameters", "internalParameters", "resolvedDependencies", "byproducts") {
		named := strings.Contains(string(doc), "`"+k+"`") || strings.Contains(string(doc), "."+k+"`") || strings.Contains(string(doc), "`"+k+".")
		if !named {
			t.Errorf("docs/attestation-crawl-v1.md does not describe `%s`", k)
		}
	}
	if !strings.Contains(string(doc), BuildType) || !strings.Contains(string(doc), BuilderID) {
		t.Error("the document does not name the build type and builder")
	}
}
