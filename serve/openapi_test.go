package serve

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestOpenAPIDescribesEveryRoute: every API route is in the description,
// with its method, and the description names no route that does not exist.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	f := newFixture(t)
	var spec struct {
		OpenAPI string                               `yaml:"openapi"`
		Paths   map[string]map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openAPISpec, &spec); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if !strings.HasPrefix(spec.OpenAPI, "3.1") {
		t.Fatalf("openapi %q, want 3.1", spec.OpenAPI)
	}
	described := map[string]bool{}
	for p, ops := range spec.Paths {
		for m := range ops {
			if m != "parameters" {
				described[strings.ToUpper(m)+" "+p] = true
			}
		}
	}
	served := map[string]bool{}
	for _, rt := range f.srv.routes {
		if rt.page || strings.HasPrefix(rt.path, "/static/") {
			continue
		}
		key := rt.method + " " + rt.path
		served[key] = true
		if !described[key] {
			t.Errorf("route %s is not in openapi.yaml", key)
		}
	}
	for k := range described {
		if !served[k] {
			t.Errorf("openapi.yaml describes %s, which is not served", k)
		}
	}
	r := f.do("GET", "/api/openapi.yaml", "", nil)
	if r.code != 200 || r.body != string(openAPISpec) {
		t.Fatalf("GET /api/openapi.yaml: %d", r.code)
	}
}
