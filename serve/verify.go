package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/scruple/scruple/report"
)

// VerifyView answers POST /api/v1/verify: the verdict and the report.
type VerifyView struct {
	Verified    bool           `json:"verified"`
	Issues      map[string]int `json:"issues"`
	KeyName     string         `json:"key_name"`
	KeyHash     string         `json:"key_hash"`
	Fingerprint string         `json:"fingerprint"`
	Pinned      bool           `json:"pinned"`
	TreeSize    int64          `json:"tree_size"`
	Records     int64          `json:"records"`
	Entries     int64          `json:"entries"`
	// ReportHTML is the full report (one self-contained page).
	ReportHTML string `json:"report_html"`
}

// uploadError is a bad upload: status and FieldError to answer with.
type uploadError struct {
	status int
	fe     FieldError
}

func (e *uploadError) Error() string { return e.fe.Message }

// verifyUpload unpacks a bundle archive into a fresh temporary directory,
// builds its report and removes the directory.
func (s *Server) verifyUpload(ctx context.Context, body io.Reader, lang string) (*report.Report, error) {
	tmp, err := os.MkdirTemp("", "scruple-verify-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "bundle")
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, err
	}
	if err := Unpack(body, dir, s.cfg.MaxUnpacked); err != nil {
		var mbe *http.MaxBytesError
		var ue *unpackError
		switch {
		case errors.As(err, &mbe):
			return nil, &uploadError{http.StatusRequestEntityTooLarge,
				FieldError{"bundle", "body_too_large", fmt.Sprintf("upload over the limit of %d bytes", mbe.Limit)}}
		case errors.As(err, &ue):
			return nil, &uploadError{http.StatusUnprocessableEntity, FieldError{"bundle", "archive", ue.msg}}
		}
		return nil, &uploadError{http.StatusUnprocessableEntity, FieldError{"bundle", "archive", "the archive could not be unpacked"}}
	}
	rep, err := report.Build(ctx, bundleRoot(dir), report.Options{Lang: lang, Verify: s.cfg.Verify, Subject: "uploaded bundle"})
	if err != nil {
		return nil, &uploadError{http.StatusUnprocessableEntity, FieldError{"bundle", "bundle", "the archive does not hold a scruple bundle"}}
	}
	return rep, nil
}

// uploadBody returns the bundle bytes of a request: the body itself, or
// the "bundle" part of a multipart form (the console's upload).
func uploadBody(r *http.Request) (io.Reader, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return r.Body, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, &uploadError{http.StatusBadRequest, FieldError{"bundle", "multipart", "a malformed multipart form"}}
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, &uploadError{http.StatusRequestEntityTooLarge,
					FieldError{"bundle", "body_too_large", fmt.Sprintf("upload over the limit of %d bytes", mbe.Limit)}}
			}
			return nil, &uploadError{http.StatusBadRequest, FieldError{"bundle", "required", "the form has no bundle file"}}
		}
		if p.FormName() == "bundle" {
			return p, nil
		}
	}
}

func langOf(r *http.Request) (string, bool) {
	lang := r.URL.Query().Get("lang")
	switch lang {
	case "":
		return "en", true
	case "en", "zh":
		return lang, true
	}
	return "", false
}

func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request) {
	lang, ok := langOf(r)
	if !ok {
		writeError(w, http.StatusBadRequest, "lang", "enum", "zh or en")
		return
	}
	body, err := uploadBody(r)
	var rep *report.Report
	if err == nil {
		rep, err = s.verifyUpload(r.Context(), body, lang)
	}
	if err != nil {
		var ue *uploadError
		if errors.As(err, &ue) {
			writeErrors(w, ue.status, ue.fe)
			return
		}
		s.internal(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.WriteHTML(&buf); err != nil {
		s.internal(w, r, err)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "text/html") {
		w.Header().Set("Content-Security-Policy", reportCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(buf.Bytes())
		return
	}
	v := rep.Verdict
	out := VerifyView{Verified: v.Verified, Issues: map[string]int{}, KeyName: v.KeyName, KeyHash: v.KeyHash,
		Fingerprint: v.Fingerprint, Pinned: v.Pinned, TreeSize: v.TreeSize, Records: v.Records, Entries: v.Entries,
		ReportHTML: buf.String()}
	for _, is := range v.Issues {
		out.Issues[string(is.Issue)] = is.Count
	}
	writeJSON(w, http.StatusOK, out)
}
