// Package piibench holds the issue 4 speed benchmark: scruple's pii engine
// against a regexp baseline (package baseline) over the same generated corpus
// (package corpus). bench/pii.sh runs it; BENCHMARKS.md has the figures.
package piibench
