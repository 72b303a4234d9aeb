package warc

import (
	"slices"
	"strings"
	"testing"

	"github.com/scruple/scruple"
)

// TestMaskSpans: overlapping, nested and adjacent spans. A value kept
// under a consent is never written, whatever other finding overlaps it: the
// union of overlapping spans is masked as one; adjacent spans stay apart;
// a finding that cannot be placed is listed without a place (-1), and one
// kept under a consent that cannot be placed withholds the whole field.
func TestMaskSpans(t *testing.T) {
	const text = "call 13912345678 now" // the number: bytes 5..16
	kept := func(s, e int) scruple.Finding {
		return scruple.Finding{Type: "cn_mobile", Start: s, End: e, Action: "keep", Consent: "c-1", Subject: "h"}
	}
	other := func(typ string, s, e int) scruple.Finding {
		return scruple.Finding{Type: typ, Start: s, End: e, Action: "keep"}
	}
	type span struct{ start, end int }
	for _, c := range []struct {
		name  string
		text  string
		fs    []scruple.Finding
		want  string
		spans []span
	}{
		{"alone", text, []scruple.Finding{kept(5, 16)}, "call [cn_mobile] now", []span{{5, 16}}},
		{"overlapping, earlier span first", text, []scruple.Finding{other("name", 0, 10), kept(5, 16)},
			"[cn_mobile] now", []span{{0, 11}, {0, 11}}},
		{"overlapping, kept first", text, []scruple.Finding{kept(5, 16), other("name", 12, 20)},
			"call [cn_mobile]", []span{{5, 16}, {5, 16}}},
		{"nested in a public span", text, []scruple.Finding{other("address", 0, 20), kept(5, 16)},
			"[cn_mobile]", []span{{0, 11}, {0, 11}}},
		{"nested public span", text, []scruple.Finding{kept(5, 16), other("x", 7, 9)},
			"call [cn_mobile] now", []span{{5, 16}, {5, 16}}},
		{"same span twice", text, []scruple.Finding{kept(5, 16), kept(5, 16)},
			"call [cn_mobile] now", []span{{5, 16}, {5, 16}}},
		{"chain of three", text, []scruple.Finding{other("a", 0, 6), kept(5, 16), other("b", 15, 18)},
			"[cn_mobile]ow", []span{{0, 11}, {0, 11}, {0, 11}}},
		{"adjacent", "1391234567813712345678", []scruple.Finding{kept(0, 11), kept(11, 22)},
			"[cn_mobile][cn_mobile]", []span{{0, 11}, {11, 22}}},
		{"adjacent public then kept", text, []scruple.Finding{other("x", 0, 5), kept(5, 16)},
			"call [cn_mobile] now", []span{{0, 5}, {5, 16}}},
		{"public spans overlapping, nothing withheld", text, []scruple.Finding{other("x", 0, 10), other("y", 5, 16)},
			text, []span{{0, 10}, {5, 16}}},
		{"already redacted", "a [cn_mobile] b", []scruple.Finding{{Type: "cn_mobile", Start: 2, End: 13, Action: "redact"}},
			"a [cn_mobile] b", []span{{2, 13}}},
		{"public finding out of range is listed", text, []scruple.Finding{kept(5, 16), other("x", 18, 40)},
			"call [cn_mobile] now", []span{{5, 16}, {-1, -1}}},
		{"reversed span is listed", text, []scruple.Finding{other("x", 9, 3)}, text, []span{{-1, -1}}},
		{"kept value out of range withholds the field", text, []scruple.Finding{kept(5, 40)},
			"[cn_mobile]", []span{{0, 11}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, out := mask(c.text, c.fs, "", nil)
			if got != c.want {
				t.Errorf("masked %q, want %q", got, c.want)
			}
			anyKept := slices.ContainsFunc(c.fs, func(f scruple.Finding) bool { return f.Consent != "" })
			if anyKept && (strings.Contains(got, "3912345") || strings.Contains(got, "371234")) {
				t.Error("a kept value (or part of it) is in the archived text")
			}
			if len(out) != len(c.fs) {
				t.Fatalf("%d findings listed, want %d", len(out), len(c.fs))
			}
			for i, f := range out {
				if (span{f.Start, f.End}) != c.spans[i] {
					t.Errorf("finding %d (%s) at %d..%d, want %v", i, f.Type, f.Start, f.End, c.spans[i])
				}
				if f.Start >= 0 && (f.End > len(got) || f.Start > f.End) {
					t.Errorf("finding %d outside the text", i)
				}
			}
		})
	}
}

// FuzzMask: whatever findings overlap it, a value kept under a consent is
// never in the archived text, and every listed place is in the text.
func FuzzMask(f *testing.F) {
	f.Add("call 13912345678 now", 5, 0, 10, 12, 20)
	f.Add("13912345678", 0, 0, 0, 5, 11)
	f.Add("ab", 0, 3, -1, 1, 1)
	f.Fuzz(func(t *testing.T, text string, at, s1, e1, s2, e2 int) {
		if strings.ContainsAny(text, "0123456789") || at < 0 || at > len(text) || len(text) > 1<<10 {
			return
		}
		const v = "13912345678"
		s := text[:at] + v + text[at:]
		fs := []scruple.Finding{
			{Type: "x", Start: s1, End: e1, Action: "keep"},
			{Type: "cn_mobile", Start: at, End: at + len(v), Action: "keep", Consent: "c"},
			{Type: "y", Start: s2, End: e2, Action: "redact"},
		}
		got, out := mask(s, fs, "", nil)
		if strings.ContainsAny(got, "0123456789") {
			t.Fatalf("a kept digit archived: %q", got)
		}
		if len(out) != len(fs) {
			t.Fatalf("%d findings listed of %d", len(out), len(fs))
		}
		for _, o := range out {
			if o.Start == -1 && o.End == -1 {
				continue
			}
			if o.Start < 0 || o.Start > o.End || o.End > len(got) {
				t.Fatalf("finding at %d..%d outside %d bytes", o.Start, o.End, len(got))
			}
		}
	})
}
