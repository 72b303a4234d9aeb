//go:build scruple_nolog

package crawler

// provenanceLog is false in a build tagged scruple_nolog: records are
// committed without provenance entries. It exists only so that the log's
// cost in a whole crawl can be measured (bench/crawl.sh, PEER_TAGS), never
// for use: a crawl without its log cannot prove where its data came from,
// and `scruple verify` of its export fails. No release is built with it.
const provenanceLog = false
