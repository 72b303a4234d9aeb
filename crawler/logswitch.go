//go:build !scruple_nolog

package crawler

// provenanceLog is true in every build but the benchmark build tagged
// scruple_nolog (see logswitch_off.go).
const provenanceLog = true
