package pii

import "strings"

// Mask returns s with every value d finds replaced by its typed mask
// ("[cn_mobile]"), the crawler's own form. Free text shown to a reader (a
// consent's purpose, an error quoting what was typed) goes through it, so
// that a value written where none belongs never comes back raw.
func (d *Detector) Mask(s string) string {
	if s == "" {
		return s
	}
	fs, _ := d.ScanString(s)
	if len(fs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, f := range fs {
		if f.Start < last || f.End > len(s) {
			continue
		}
		b.WriteString(s[last:f.Start])
		b.WriteString("[" + string(f.Type) + "]")
		last = f.End
	}
	b.WriteString(s[last:])
	return b.String()
}
