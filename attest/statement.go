package attest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	slsa "github.com/in-toto/attestation/go/predicates/provenance/v1"
	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Run is one run of a crawl (a crawl resumed after a stop has several), as
// the crawl records it for the attestation: the parameters a user chose
// (External) and the engine's settings (Internal).
type Run struct {
	// StartedOn and FinishedOn bound the run.
	StartedOn  time.Time `json:"started_on"`
	FinishedOn time.Time `json:"finished_on"`
	// Seeds, Scope, Include, Exclude, MaxDepth, Purpose, PolicyHash and
	// UserAgent are the external parameters.
	Seeds      []string `json:"seeds"`
	Scope      string   `json:"scope"`
	Include    []string `json:"include,omitempty"`
	Exclude    []string `json:"exclude,omitempty"`
	MaxDepth   int      `json:"max_depth"`
	Purpose    string   `json:"purpose,omitempty"`
	PolicyHash string   `json:"policy_hash"`
	UserAgent  string   `json:"user_agent"`
	Operator   string   `json:"operator,omitempty"`
	// Internal are delays, concurrency and limits, by flag name
	// ("delay": "1s", "concurrency": "8", ...).
	Internal map[string]string `json:"internal"`
	// Version is scruple's version; Detector the detector's.
	Version  string `json:"version"`
	Detector string `json:"detector,omitempty"`
}

// Dependency is a resolved dependency: a robots.txt the crawl read, with
// the digest of the body it obeyed.
type Dependency struct {
	URI    string
	SHA256 string // hex; "" when the fetch returned no body
}

// Checkpoint is the provenance log checkpoint the bundle carries: a
// byproduct of the crawl.
type Checkpoint struct {
	SHA256   string // of the checkpoint file
	TreeSize int64
	RootHash string
	Key      string
}

// Input is what a bundle's statement says.
type Input struct {
	// Subjects maps each bundle file (slash-separated path) to its hex SHA-256.
	Subjects map[string]string
	// Runs are the crawl's runs, oldest first; the external parameters are
	// the latest run's, and every run is listed in the internal ones.
	Runs []Run
	// Robots are the robots.txt files read.
	Robots []Dependency
	// Checkpoint is the log checkpoint.
	Checkpoint Checkpoint
	// InvocationID identifies the crawl (the log's key name and tree size).
	InvocationID string
}

// Statement builds the in-toto statement (JSON) of a bundle.
func Statement(in Input) ([]byte, error) {
	if len(in.Subjects) == 0 {
		return nil, fmt.Errorf("attest: no subject")
	}
	names := make([]string, 0, len(in.Subjects))
	for n := range in.Subjects {
		names = append(names, n)
	}
	slices.Sort(names)
	st := &intoto.Statement{Type: intoto.StatementTypeUri, PredicateType: PredicateType}
	for _, n := range names {
		st.Subject = append(st.Subject, &intoto.ResourceDescriptor{Name: n, Digest: map[string]string{"sha256": in.Subjects[n]}})
	}
	prov, err := provenance(in)
	if err != nil {
		return nil, err
	}
	if err := prov.Validate(); err != nil {
		return nil, fmt.Errorf("attest: provenance: %w", err)
	}
	pj, err := protojson.Marshal(prov)
	if err != nil {
		return nil, err
	}
	st.Predicate = &structpb.Struct{}
	if err := protojson.Unmarshal(pj, st.Predicate); err != nil {
		return nil, err
	}
	if err := st.Validate(); err != nil {
		return nil, fmt.Errorf("attest: statement: %w", err)
	}
	return protojson.Marshal(st)
}

func provenance(in Input) (*slsa.Provenance, error) {
	var last Run
	if len(in.Runs) > 0 {
		last = in.Runs[len(in.Runs)-1]
	}
	ext := map[string]any{
		"seeds": strs(last.Seeds), "scope": last.Scope, "maxDepth": float64(last.MaxDepth),
		"purpose": last.Purpose, "policyHash": last.PolicyHash, "userAgent": last.UserAgent,
	}
	if len(last.Include) > 0 {
		ext["include"] = strs(last.Include)
	}
	if len(last.Exclude) > 0 {
		ext["exclude"] = strs(last.Exclude)
	}
	if last.Operator != "" {
		ext["operator"] = last.Operator
	}
	internal := map[string]any{}
	for k, v := range last.Internal {
		internal[k] = v
	}
	var runs []any
	for _, r := range in.Runs {
		b, _ := json.Marshal(r)
		var m map[string]any
		json.Unmarshal(b, &m)
		runs = append(runs, m)
	}
	internal["runs"] = runs
	es, err := structpb.NewStruct(ext)
	if err != nil {
		return nil, err
	}
	is, err := structpb.NewStruct(internal)
	if err != nil {
		return nil, err
	}
	bd := &slsa.BuildDefinition{BuildType: BuildType, ExternalParameters: es, InternalParameters: is}
	for _, d := range in.Robots {
		rd := &intoto.ResourceDescriptor{Uri: d.URI, Name: "robots.txt"}
		if d.SHA256 != "" {
			rd.Digest = map[string]string{"sha256": d.SHA256}
		} else {
			rd.Annotations, _ = structpb.NewStruct(map[string]any{"note": "no body: RFC 9309 status rules applied"})
		}
		bd.ResolvedDependencies = append(bd.ResolvedDependencies, rd)
	}
	md := &slsa.BuildMetadata{InvocationId: in.InvocationID}
	if len(in.Runs) > 0 {
		md.StartedOn = timestamppb.New(in.Runs[0].StartedOn)
		md.FinishedOn = timestamppb.New(last.FinishedOn)
	}
	cp := &intoto.ResourceDescriptor{Name: "checkpoint", MediaType: "text/plain; charset=utf-8",
		Digest: map[string]string{"sha256": in.Checkpoint.SHA256}}
	cp.Annotations, _ = structpb.NewStruct(map[string]any{"treeSize": strconv.FormatInt(in.Checkpoint.TreeSize, 10),
		"rootHash": in.Checkpoint.RootHash, "key": in.Checkpoint.Key, "format": "signed note (golang.org/x/mod/sumdb/note)"})
	version := map[string]string{"scruple": last.Version}
	if last.Detector != "" {
		version["detector"] = last.Detector
	}
	rd := &slsa.RunDetails{Builder: &slsa.Builder{Id: BuilderID, Version: version}, Metadata: md,
		Byproducts: []*intoto.ResourceDescriptor{cp}}
	return &slsa.Provenance{BuildDefinition: bd, RunDetails: rd}, nil
}

func strs(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// Parsed is what Verify reads from a statement.
type Parsed struct {
	Statement *intoto.Statement
	// Subjects maps each subject name to its sha256 (hex).
	Subjects map[string]string
	// Checkpoint is the checkpoint byproduct's sha256.
	Checkpoint string
}

// Parse decodes and validates a statement: in-toto Statement v1 with SLSA
// Provenance v1 of scruple's build type, subjects named and digested once
// each.
func Parse(statement []byte) (*Parsed, error) {
	st := &intoto.Statement{}
	if err := protojson.Unmarshal(statement, st); err != nil {
		return nil, fmt.Errorf("statement: %w", err)
	}
	if err := st.Validate(); err != nil {
		return nil, fmt.Errorf("statement: %w", err)
	}
	if st.GetType() != intoto.StatementTypeUri || st.GetPredicateType() != PredicateType {
		return nil, fmt.Errorf("statement: type %q predicate %q, want %q and %q", st.GetType(), st.GetPredicateType(), intoto.StatementTypeUri, PredicateType)
	}
	pj, err := protojson.Marshal(st.GetPredicate())
	if err != nil {
		return nil, err
	}
	prov := &slsa.Provenance{}
	if err := protojson.Unmarshal(pj, prov); err != nil {
		return nil, fmt.Errorf("predicate: %w", err)
	}
	if err := prov.Validate(); err != nil {
		return nil, fmt.Errorf("predicate: %w", err)
	}
	if bt := prov.GetBuildDefinition().GetBuildType(); bt != BuildType {
		return nil, fmt.Errorf("predicate: build type %q, want %q", bt, BuildType)
	}
	p := &Parsed{Statement: st, Subjects: map[string]string{}}
	for _, s := range st.GetSubject() {
		d := digestHex(s.GetDigest())
		if s.GetName() == "" || d == "" {
			return nil, fmt.Errorf("statement: subject %q without a name or a sha256 digest", s.GetName())
		}
		if _, dup := p.Subjects[s.GetName()]; dup {
			return nil, fmt.Errorf("statement: subject %q listed twice", s.GetName())
		}
		p.Subjects[s.GetName()] = d
	}
	for _, b := range prov.GetRunDetails().GetByproducts() {
		if b.GetName() == "checkpoint" {
			p.Checkpoint = digestHex(b.GetDigest())
		}
	}
	return p, nil
}
