package provenance

// WARCRef names the WARC record an entry's record was archived as (see
// package warc): the response, revisit or conversion record of the capture,
// or its metadata record when nothing else was archived. Verify checks that
// the bundle's WARC file holds a record with this ID at this offset.
type WARCRef struct {
	// File is the WARC file's name; the bundle keeps it under warc/.
	File string `json:"file"`
	// Offset and Length locate the record's gzip member in File.
	Offset int64 `json:"offset"`
	Length int64 `json:"length"`
	// RecordID is the record's WARC-Record-ID.
	RecordID string `json:"record_id"`
	// Type is the record's WARC-Type.
	Type string `json:"type"`
}

// Extra writes further files into a bundle directory before its manifest is
// written (WARC files, their index) and returns their digests by bundle
// path (slash-separated, e.g. "warc/index.cdxj"), for the manifest.
type Extra func(outDir string) (map[string]string, error)
