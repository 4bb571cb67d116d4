package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrChecksum marks a download whose sha256 or size differs from the
// catalogue's (or the caller's) expectation; the partial file is deleted.
var ErrChecksum = errors.New("checksum mismatch")

// PullOption adjusts Pull.
type PullOption func(*pullOptions) error

type pullOptions struct {
	client   *http.Client
	progress Progress
	sha256   string
	mirror   string
	file     string
	sizeHint int64
}

// WithPullProgress reports download progress (bytes done of total; total is
// -1 when the server does not say) to fn, for a progress bar.
func WithPullProgress(fn Progress) PullOption {
	return func(o *pullOptions) error { o.progress = fn; return nil }
}

// WithHTTPClient sets the HTTP client (default: a client without timeout;
// cancel through the context).
func WithHTTPClient(c *http.Client) PullOption {
	return func(o *pullOptions) error {
		if c == nil {
			return errors.New("WithHTTPClient: nil client")
		}
		o.client = c
		return nil
	}
}

// WithSHA256 sets the expected sha256 (hex) of a file pulled by URL, or
// overrides a catalogue entry's.
func WithSHA256(hexSum string) PullOption {
	return func(o *pullOptions) error {
		h := strings.ToLower(strings.TrimSpace(hexSum))
		if b, err := hex.DecodeString(h); err != nil || len(b) != sha256.Size {
			return fmt.Errorf("WithSHA256: %q is not a hex sha256", hexSum)
		}
		o.sha256 = h
		return nil
	}
}

// WithMirror downloads catalogue entries from base (scheme://host[/prefix])
// instead of their hosts, keeping each URL's path — for mirrors and tests.
func WithMirror(base string) PullOption {
	return func(o *pullOptions) error {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("WithMirror: %q is not an http(s) URL", base)
		}
		o.mirror = strings.TrimSuffix(base, "/")
		return nil
	}
}

// WithFileName names the downloaded file (default: the catalogue entry's
// file, or the last element of the URL path).
func WithFileName(name string) PullOption {
	return func(o *pullOptions) error {
		if err := pullCheckName(name); err != nil {
			return err
		}
		o.file = name
		return nil
	}
}

// PullResult describes a downloaded file.
type PullResult struct {
	Path     string // final location
	SHA256   string // computed over the whole file
	Size     int64
	Verified bool           // SHA256 matched an expected hash
	Resumed  bool           // an earlier partial download was continued
	Cached   bool           // the file was already present and valid; nothing downloaded
	Entry    CatalogueEntry // the catalogue entry, when pulled by name or by a catalogue URL
}

// Pull downloads a catalogue entry (by name) or a URL into dir. The data
// goes to <dir>/<file>.partial, resuming an earlier partial download with an
// HTTP Range request (a server that ignores the range restarts it), then is
// checked against the expected size and sha256 and renamed to <dir>/<file>.
// A checksum mismatch deletes the partial file and returns ErrChecksum. When
// no hash is known (Verified false), the computed one is returned for the
// caller to show.
func Pull(ctx context.Context, nameOrURL, dir string, opts ...PullOption) (PullResult, error) {
	o := pullOptions{client: &http.Client{}}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return PullResult{}, err
		}
	}
	var res PullResult
	var src string
	if strings.Contains(nameOrURL, "://") {
		u, err := url.Parse(nameOrURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return res, fmt.Errorf("pull: %q is not an http(s) URL", nameOrURL)
		}
		src = nameOrURL
		res.Entry.URL = nameOrURL
		res.Entry.File = path.Base(u.Path)
		for _, e := range catalogue {
			if e.URL == nameOrURL {
				res.Entry = e
			}
		}
	} else {
		e, ok := LookupCatalogue(nameOrURL)
		if !ok {
			names := make([]string, 0, len(catalogue))
			for _, e := range Catalogue() {
				names = append(names, e.Name)
			}
			return res, fmt.Errorf("pull: %q is neither a URL nor a catalogue name (%s)", nameOrURL, strings.Join(names, ", "))
		}
		res.Entry = e
		src = e.URL
	}
	if o.mirror != "" && res.Entry.Name != "" {
		u, err := url.Parse(res.Entry.URL)
		if err != nil {
			return res, err
		}
		src = o.mirror + u.EscapedPath()
	}
	file := res.Entry.File
	if o.file != "" {
		file = o.file
	}
	if err := pullCheckName(file); err != nil {
		return res, fmt.Errorf("pull %s: %w", nameOrURL, err)
	}
	want := res.Entry.SHA256
	if o.sha256 != "" {
		want = o.sha256
	}
	// The size is checked only together with a known hash; for unverified
	// entries it only sizes the progress bar.
	var wantSize int64
	if want != "" && want == res.Entry.SHA256 {
		wantSize = res.Entry.Size
	}
	o.sizeHint = res.Entry.Size
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, fmt.Errorf("pull: %w", err)
	}
	res.Path = filepath.Join(dir, file)
	if sum, size, err := pullHashFile(res.Path); err == nil && (want == "" || sum == want) {
		res.SHA256, res.Size, res.Verified, res.Cached = sum, size, want != "", true
		return res, nil
	}
	partial := res.Path + ".partial"
	sum, size, resumed, err := pullDownload(ctx, &o, src, partial, wantSize)
	res.Resumed = resumed
	if err != nil {
		if errors.Is(err, ErrChecksum) {
			os.Remove(partial)
		}
		return res, fmt.Errorf("pull %s: %w", nameOrURL, err)
	}
	res.SHA256, res.Size = sum, size
	if (wantSize > 0 && size != wantSize) || (want != "" && sum != want) {
		os.Remove(partial)
		return res, fmt.Errorf("pull %s: got %d bytes with sha256 %s, want %d bytes with sha256 %s; deleted the download: %w",
			nameOrURL, size, sum, wantSize, want, ErrChecksum)
	}
	res.Verified = want != ""
	if err := os.Rename(partial, res.Path); err != nil {
		return res, fmt.Errorf("pull: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return res, nil
}

func pullCheckName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return fmt.Errorf("file name %q is not a plain file name", name)
	}
	return nil
}

func pullHashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// pullDownload fetches src into partial, resuming from its current length,
// and returns the sha256 and size of the whole file.
func pullDownload(ctx context.Context, o *pullOptions, src, partial string, wantSize int64) (sum string, size int64, resumed bool, err error) {
	f, err := os.OpenFile(partial, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return "", 0, false, err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return "", 0, false, err
	}
	if wantSize > 0 && have > wantSize {
		if err := f.Truncate(0); err != nil {
			return "", 0, false, err
		}
		have = 0
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return "", 0, false, err
	}
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
	}
	resp, err := o.client.Do(req)
	if err != nil {
		return "", 0, false, err
	}
	defer resp.Body.Close()
	total := int64(-1)
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0:
		start, end, tot, ok := pullContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != have {
			return "", 0, false, fmt.Errorf("%s: Content-Range %q does not continue at byte %d", src, resp.Header.Get("Content-Range"), have)
		}
		resumed = true
		if tot >= 0 {
			total = tot
		} else if end >= 0 {
			total = end + 1
		}
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && have > 0:
		// The partial file may already be complete: verify it as it is.
		_, _, tot, ok := pullContentRange(resp.Header.Get("Content-Range"))
		if ok && tot != have {
			f.Truncate(0)
			return "", 0, false, fmt.Errorf("%s: server rejected resuming at byte %d of %d; restarting on the next pull", src, have, tot)
		}
		o.report(have, have)
		sum, err := pullHashPrefix(f, have)
		return sum, have, true, err
	case resp.StatusCode == http.StatusOK:
		// A full body: the server ignored the range (or none was asked).
		if err := f.Truncate(0); err != nil {
			return "", 0, false, err
		}
		have = 0
		total = resp.ContentLength
	default:
		return "", 0, false, fmt.Errorf("GET %s: %s", src, resp.Status)
	}
	if total < 0 && o.sizeHint > 0 {
		total = o.sizeHint
	}
	if wantSize > 0 && total > wantSize {
		return "", 0, resumed, fmt.Errorf("%s: server announces %d bytes, want %d: %w", src, total, wantSize, ErrChecksum)
	}
	h := sha256.New()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", 0, resumed, err
	}
	if _, err := io.CopyN(h, f, have); err != nil {
		return "", 0, resumed, fmt.Errorf("read partial download: %w", err)
	}
	if _, err := f.Seek(have, io.SeekStart); err != nil {
		return "", 0, resumed, err
	}
	var body io.Reader = resp.Body
	if wantSize > 0 {
		body = io.LimitReader(resp.Body, wantSize-have+1) // one extra byte reveals an oversized body
	}
	done := have
	o.report(done, total)
	buf := make([]byte, 256<<10)
	for {
		n, rerr := body.Read(buf)
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				return "", 0, resumed, err
			}
			h.Write(buf[:n])
			done += int64(n)
			o.report(done, total)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			f.Sync()
			return "", 0, resumed, fmt.Errorf("download interrupted after %d bytes (run pull again to resume): %w", done, rerr)
		}
	}
	if err := f.Sync(); err != nil {
		return "", 0, resumed, err
	}
	return hex.EncodeToString(h.Sum(nil)), done, resumed, nil
}

// pullHashPrefix is the sha256 of the first n bytes of f.
func pullHashPrefix(f *os.File, n int64) (string, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.CopyN(h, f, n); err != nil {
		return "", fmt.Errorf("read partial download: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (o *pullOptions) report(done, total int64) {
	if o.progress != nil {
		o.progress(done, total)
	}
}

// pullContentRange parses "bytes start-end/total" (total may be "*", then
// -1).
func pullContentRange(s string) (start, end, total int64, ok bool) {
	s, found := strings.CutPrefix(strings.TrimSpace(s), "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	rng, tot, found := strings.Cut(s, "/")
	if !found {
		return 0, 0, 0, false
	}
	a, b, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, 0, false
	}
	var err error
	if start, err = strconv.ParseInt(a, 10, 64); err != nil || start < 0 {
		return 0, 0, 0, false
	}
	if end, err = strconv.ParseInt(b, 10, 64); err != nil || end < start {
		return 0, 0, 0, false
	}
	total = -1
	if tot != "*" {
		if total, err = strconv.ParseInt(tot, 10, 64); err != nil || total <= end {
			return 0, 0, 0, false
		}
	}
	return start, end, total, true
}
