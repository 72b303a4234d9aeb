package report

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple/provenance"
)

// maxListed bounds the problems the verdict lists.
const maxListed = 50

// issueOrder is the order issues appear in the headline.
var issueOrder = []Issue{IssueResigned, IssueAltered, IssueTruncated, IssueMissing, IssueAttest, IssueManifest}

// verdict turns Verify's report into the verdict, adding the report's own
// checks of manifest.json and of files outside the signed core.
func (a *aggregator) verdict(rep *provenance.Report, checked Checked, files []FileCheck) {
	v := &a.r.Verdict
	for _, n := range checked.Notes {
		v.Notes = append(v.Notes, safeReason(a.det, n))
	}
	v.Key, v.TreeSize, v.RootHash = rep.Key, rep.TreeSize, rep.RootHash
	v.Entries, v.Records = rep.Entries, rep.Records
	v.Pinned = a.opt.Key != ""
	v.KeyName, v.KeyHash, v.Fingerprint = keyIdentity(rep.Key)
	v.From, v.To = a.from, a.to
	counts := map[Issue]int{}
	add := func(p provenance.Problem, is Issue) {
		counts[is]++
		if len(v.Problems) < maxListed {
			p.URL = safeURL(a.det, p.URL)
			p.Message = safeReason(a.det, p.Message)
			v.Problems = append(v.Problems, p)
		} else {
			v.ProblemsOmitted++
		}
	}
	for _, p := range rep.Problems {
		add(p, classify(p))
	}
	if rep.Omitted > 0 {
		counts[IssueAltered] += rep.Omitted
		v.ProblemsOmitted += rep.Omitted
	}
	for _, p := range a.manifestProblems(rep) {
		is := IssueManifest
		if p.Kind == provenance.ProblemKey {
			is = IssueResigned
		}
		add(p, is)
	}
	for i, fc := range files {
		switch {
		case fc.Status == FileBad:
			add(provenance.Problem{Kind: "manifest", File: fc.Name, Message: fmt.Sprintf(
				"%s does not match the SHA-256 manifest.json gives for it", fc.Name)}, IssueManifest)
		case !rep.OK():
			files[i].Status = FileUnchecked // nothing of a bundle that does not verify is vouched for
		case checked.Attested && fc.Name != provenance.ManifestFile:
			files[i].Status = FileAttested
		}
	}
	v.Files = files
	for _, is := range issueOrder {
		if counts[is] > 0 {
			v.Issues = append(v.Issues, IssueCount{Issue: is, Count: counts[is]})
		}
	}
	v.Verified = len(v.Issues) == 0
	if a.manifest != nil {
		v.CreatedAt = a.manifest.CreatedAt
	}
}

// classify sorts one of Verify's problems into a headline issue. The
// messages are provenance's; the report tests pin the wording it relies on.
func classify(p provenance.Problem) Issue {
	m := p.Message
	switch p.Kind {
	case provenance.ProblemKey:
		return IssueResigned
	case provenance.ProblemCheckpoint:
		if strings.Contains(m, "not signed by key") || strings.Contains(m, "origin") {
			return IssueResigned
		}
		return IssueAltered
	case provenance.ProblemMissing:
		return IssueMissing
	case "manifest":
		return IssueManifest
	case "attestation":
		return IssueAttest
	case provenance.ProblemRemoved:
		return IssueTruncated
	case provenance.ProblemLog, provenance.ProblemAltered:
		if strings.Contains(m, "truncated") || strings.Contains(m, "lines were removed") {
			return IssueTruncated
		}
	}
	return IssueAltered
}

// manifestProblems compares manifest.json with what Verify found. The
// manifest is not signed, so it proves nothing, but a bundle whose manifest
// names another key or tree than its checkpoint was re-signed or edited.
func (a *aggregator) manifestProblems(rep *provenance.Report) []provenance.Problem {
	m := a.manifest
	if m == nil {
		return []provenance.Problem{{Kind: provenance.ProblemMissing, File: provenance.ManifestFile,
			Message: "manifest.json is missing or unreadable"}}
	}
	var out []provenance.Problem
	bad := func(kind provenance.ProblemKind, format string, args ...any) {
		out = append(out, provenance.Problem{Kind: kind, File: provenance.ManifestFile, Message: fmt.Sprintf(format, args...)})
	}
	if m.Key != "" && rep.Key != "" && m.Key != rep.Key {
		bad(provenance.ProblemKey, "manifest.json names key %s but the checkpoint was checked against %s: the bundle was re-signed or edited",
			m.Key, rep.Key)
	}
	if rep.TreeSize > 0 && (m.TreeSize != rep.TreeSize || m.RootHash != rep.RootHash) {
		bad("manifest", "manifest.json states tree size %d and root %s, the checkpoint signs %d and %s",
			m.TreeSize, m.RootHash, rep.TreeSize, rep.RootHash)
	}
	if m.Records != rep.Records || m.LogEntries != rep.Entries {
		bad("manifest", "manifest.json counts %d records and %d log entries, the files hold %d and %d",
			m.Records, m.LogEntries, rep.Records, rep.Entries)
	}
	return out
}

// coreFiles are the files the checkpoint covers, directly (log) or through
// the log (records), or that verify it (checkpoint, key).
var coreFiles = map[string]bool{provenance.RecordsFile: true, provenance.LogFile: true,
	provenance.CheckpointFile: true, provenance.KeyFile: true, provenance.ManifestFile: true}

// hashFiles lists the bundle's files, hashing each and comparing it with
// the manifest's digest. The core files count as signed here; verdict
// withdraws that when the bundle does not verify. Files outside the signed
// core (archives and attestations of newer bundles) are vouched for by the
// manifest only, or by nothing.
func (a *aggregator) hashFiles(dir string) []FileCheck {
	var out []FileCheck
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || len(out) >= 10_000 {
			return nil
		}
		name, _ := filepath.Rel(dir, path)
		name = filepath.ToSlash(name)
		if strings.HasPrefix(d.Name(), ".") && path != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		fc := FileCheck{Name: name}
		if fi, err := d.Info(); err == nil {
			fc.Size = fi.Size()
		}
		fc.SHA256 = fileDigest(path)
		want := ""
		if a.manifest != nil {
			want = a.manifest.Files[name]
		}
		switch {
		case name == provenance.ManifestFile:
			fc.Status = FileUnchecked
		case want != "" && want != fc.SHA256:
			fc.Status = FileBad
		case coreFiles[name]:
			fc.Status = FileSigned
		case want != "":
			fc.Status = FileManifest
		default:
			fc.Status = FileUnchecked
		}
		out = append(out, fc)
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		ci, cj := coreFiles[out[i].Name], coreFiles[out[j].Name]
		if ci != cj {
			return ci
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func fileDigest(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// keyIdentity returns a verifier key's name, its note key hash and the
// SHA-256 fingerprint of its ed25519 public key ("" parts when malformed).
func keyIdentity(key string) (name, hash, fingerprint string) {
	v, err := note.NewVerifier(key)
	if err != nil {
		return "", "", ""
	}
	name, hash = v.Name(), fmt.Sprintf("%08x", v.KeyHash())
	// name+hash+base64(algorithm byte, public key); the base64 may hold '+'.
	if parts := strings.SplitN(key, "+", 3); len(parts) == 3 {
		if raw, err := base64.StdEncoding.DecodeString(parts[2]); err == nil && len(raw) > 1 {
			sum := sha256.Sum256(raw[1:])
			fingerprint = groupHex(hex.EncodeToString(sum[:]))
		}
	}
	return name, hash, fingerprint
}

// groupHex writes hex in groups of four, as fingerprints are read aloud.
func groupHex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}
