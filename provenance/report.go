package provenance

import (
	"fmt"
	"strings"
)

// ProblemKind classifies what Verify found wrong.
type ProblemKind string

// Problem kinds.
const (
	// ProblemAltered: a record's content differs from what its log entry
	// vouches for.
	ProblemAltered ProblemKind = "altered"
	// ProblemRemoved: a logged record is missing and no purge removed it.
	ProblemRemoved ProblemKind = "removed"
	// ProblemReordered: records are not in log order.
	ProblemReordered ProblemKind = "reordered"
	// ProblemAdded: a record no signed log entry vouches for (or a repeat).
	ProblemAdded ProblemKind = "added"
	// ProblemLog: log.jsonl does not match the checkpoint, or an entry is
	// malformed or inconsistent.
	ProblemLog ProblemKind = "log"
	// ProblemCheckpoint: the checkpoint is missing, malformed or its
	// signature does not verify.
	ProblemCheckpoint ProblemKind = "checkpoint"
	// ProblemKey: key.pub is missing, malformed, or not the expected key.
	ProblemKey ProblemKind = "key"
	// ProblemMissing: a bundle file is missing or unreadable.
	ProblemMissing ProblemKind = "missing"
)

// MaxProblems bounds the problems a Report lists; further ones are counted
// in Report.Omitted. A bundle with a million altered records needs the first
// few to be acted on, not a million lines.
const MaxProblems = 1000

// Problem is one thing wrong with a bundle.
type Problem struct {
	// Kind classifies the problem.
	Kind ProblemKind `json:"kind"`
	// File is the bundle file concerned ("records.jsonl", "log.jsonl", ...).
	File string `json:"file,omitempty"`
	// Line is the 1-based line in File, 0 when the problem is not one line.
	Line int64 `json:"line,omitempty"`
	// URL is the record concerned, if known.
	URL string `json:"url,omitempty"`
	// Message says what is wrong, in a sentence.
	Message string `json:"message"`
}

// String formats the problem as "file:line: kind: message".
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s: %s", p.Kind, p.Message)
	return b.String()
}

// Report is the result of Verify.
type Report struct {
	// Dir is the bundle directory.
	Dir string `json:"dir"`
	// Key is the verifier key the checkpoint was checked against.
	Key string `json:"key"`
	// TreeSize and RootHash are the signed checkpoint's (0 and "" when it
	// could not be read).
	TreeSize int64  `json:"tree_size"`
	RootHash string `json:"root_hash,omitempty"`
	// Entries and Records count the lines of log.jsonl and records.jsonl.
	Entries int64 `json:"entries"`
	Records int64 `json:"records"`
	// Problems lists what is wrong (at most MaxProblems), in file order.
	Problems []Problem `json:"problems"`
	// Omitted counts problems beyond MaxProblems.
	Omitted int `json:"omitted,omitempty"`
}

// OK reports whether the bundle verified.
func (r *Report) OK() bool { return len(r.Problems) == 0 && r.Omitted == 0 }

// String summarises the report: a verdict line, then one line per problem.
func (r *Report) String() string {
	var b strings.Builder
	if r.OK() {
		fmt.Fprintf(&b, "OK: %d records, %d log entries, tree size %d, root %s, signed by %s\n",
			r.Records, r.Entries, r.TreeSize, r.RootHash, r.Key)
		return b.String()
	}
	n := len(r.Problems) + r.Omitted
	fmt.Fprintf(&b, "FAILED: %d problem(s) in %s (%d records, %d log entries, checkpoint size %d)\n",
		n, r.Dir, r.Records, r.Entries, r.TreeSize)
	for _, p := range r.Problems {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	if r.Omitted > 0 {
		fmt.Fprintf(&b, "... and %d more\n", r.Omitted)
	}
	return b.String()
}

func (r *Report) add(p Problem) {
	if len(r.Problems) >= MaxProblems {
		r.Omitted++
		return
	}
	r.Problems = append(r.Problems, p)
}
