package models

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// formatsPullContent is what the test servers serve: the real stories260K
// bytes when the fixture is present (so the catalogue hash applies), and a
// synthetic body otherwise.
func formatsPullContent(t *testing.T) ([]byte, string) {
	t.Helper()
	b := bytes.Repeat([]byte("ganglion pull test body "), 40000)
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:])
}

type formatsPullServer struct {
	content      []byte
	ignoreRange  bool
	cutFirstAt   int // the first response stops after this many bytes (0: never)
	notFound     bool
	requests     atomic.Int32
	mu           sync.Mutex
	rangeHeaders []string
}

func (s *formatsPullServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.requests.Add(1)
	s.mu.Lock()
	s.rangeHeaders = append(s.rangeHeaders, r.Header.Get("Range"))
	s.mu.Unlock()
	switch {
	case s.notFound:
		http.NotFound(w, r)
	case s.cutFirstAt > 0 && n == 1:
		w.Header().Set("Content-Length", strconv.Itoa(len(s.content)))
		w.WriteHeader(http.StatusOK)
		w.Write(s.content[:s.cutFirstAt])
		w.(http.Flusher).Flush()
		// Returning early with fewer bytes than announced makes the server
		// close the connection: the client sees an unexpected EOF.
	case s.ignoreRange:
		w.Header().Set("Content-Length", strconv.Itoa(len(s.content)))
		w.Write(s.content)
	default:
		http.ServeContent(w, r, "file.bin", time.Time{}, bytes.NewReader(s.content))
	}
}

func TestPull(t *testing.T) {
	content, sum := formatsPullContent(t)
	ctx := context.Background()

	t.Run("full download", func(t *testing.T) {
		srv := &formatsPullServer{content: content}
		ts := httptest.NewServer(srv)
		defer ts.Close()
		dir := t.TempDir()
		var last, total int64
		var calls int
		res, err := Pull(ctx, ts.URL+"/models/m.bin", dir, WithSHA256(sum), WithPullProgress(func(d, tot int64) {
			if d < last {
				t.Errorf("progress went back from %d to %d", last, d)
			}
			last, total = d, tot
			calls++
		}))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "m.bin"))
		if err != nil || !bytes.Equal(got, content) {
			t.Fatalf("file differs (%v)", err)
		}
		if !res.Verified || res.SHA256 != sum || res.Size != int64(len(content)) || res.Resumed || res.Cached || res.Path != filepath.Join(dir, "m.bin") {
			t.Errorf("result %+v", res)
		}
		if last != int64(len(content)) || total != int64(len(content)) || calls < 2 {
			t.Errorf("progress ended at %d/%d after %d calls", last, total, calls)
		}
		if _, err := os.Stat(filepath.Join(dir, "m.bin.partial")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("partial left behind: %v", err)
		}
		// A second pull finds the verified file and downloads nothing.
		res, err = Pull(ctx, ts.URL+"/models/m.bin", dir, WithSHA256(sum))
		if err != nil || !res.Cached || srv.requests.Load() != 1 {
			t.Errorf("second pull: %+v, %v, %d requests", res, err, srv.requests.Load())
		}
	})

	t.Run("resume after a cut connection", func(t *testing.T) {
		srv := &formatsPullServer{content: content, cutFirstAt: len(content) / 3}
		ts := httptest.NewServer(srv)
		defer ts.Close()
		dir := t.TempDir()
		_, err := Pull(ctx, ts.URL+"/m.bin", dir, WithSHA256(sum))
		if err == nil || !strings.Contains(err.Error(), "resume") {
			t.Fatalf("cut download: %v", err)
		}
		st, err := os.Stat(filepath.Join(dir, "m.bin.partial"))
		if err != nil || st.Size() != int64(len(content)/3) {
			t.Fatalf("partial after cut: %v, %v", st, err)
		}
		var first int64 = -1
		res, err := Pull(ctx, ts.URL+"/m.bin", dir, WithSHA256(sum), WithPullProgress(func(d, tot int64) {
			if first < 0 {
				first = d
			}
		}))
		if err != nil {
			t.Fatal(err)
		}
		if !res.Resumed || !res.Verified {
			t.Errorf("result %+v", res)
		}
		if first != int64(len(content)/3) {
			t.Errorf("progress started at %d, want the partial size %d", first, len(content)/3)
		}
		if srv.rangeHeaders[1] != "bytes="+strconv.Itoa(len(content)/3)+"-" {
			t.Errorf("range header %q", srv.rangeHeaders[1])
		}
		got, _ := os.ReadFile(filepath.Join(dir, "m.bin"))
		if !bytes.Equal(got, content) {
			t.Fatal("resumed file differs")
		}
	})

	t.Run("server ignores Range", func(t *testing.T) {
		srv := &formatsPullServer{content: content, ignoreRange: true}
		ts := httptest.NewServer(srv)
		defer ts.Close()
		dir := t.TempDir()
		// A stale partial file whose bytes are wrong: a 200 reply must
		// replace it, not be appended to it.
		if err := os.WriteFile(filepath.Join(dir, "m.bin.partial"), bytes.Repeat([]byte{'x'}, 1000), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Pull(ctx, ts.URL+"/m.bin", dir, WithSHA256(sum))
		if err != nil {
			t.Fatal(err)
		}
		if res.Resumed || srv.rangeHeaders[0] != "bytes=1000-" {
			t.Errorf("result %+v, range %q", res, srv.rangeHeaders[0])
		}
		got, _ := os.ReadFile(filepath.Join(dir, "m.bin"))
		if !bytes.Equal(got, content) {
			t.Fatal("file differs")
		}
	})

	t.Run("partial already complete (416)", func(t *testing.T) {
		srv := &formatsPullServer{content: content}
		ts := httptest.NewServer(srv)
		defer ts.Close()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "m.bin.partial"), content, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Pull(ctx, ts.URL+"/m.bin", dir, WithSHA256(sum))
		if err != nil {
			t.Fatal(err)
		}
		if !res.Verified || !res.Resumed || res.Size != int64(len(content)) {
			t.Errorf("result %+v", res)
		}
		got, _ := os.ReadFile(filepath.Join(dir, "m.bin"))
		if !bytes.Equal(got, content) {
			t.Fatal("file differs")
		}
	})

	t.Run("oversized body", func(t *testing.T) {
		tok, err := os.ReadFile(formatsTestdata(t, "tok512.bin"))
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(&formatsPullServer{content: append(tok, make([]byte, 5000)...), ignoreRange: true})
		defer ts.Close()
		dir := t.TempDir()
		_, err = Pull(ctx, "tok512", dir, WithMirror(ts.URL))
		if !errors.Is(err, ErrChecksum) {
			t.Fatalf("error %v, want ErrChecksum", err)
		}
		if _, err := os.Stat(filepath.Join(dir, "tok512.bin.partial")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("partial: %v", err)
		}
	})

	t.Run("checksum mismatch", func(t *testing.T) {
		bad := append([]byte(nil), content...)
		bad[len(bad)/2] ^= 1
		ts := httptest.NewServer(&formatsPullServer{content: bad})
		defer ts.Close()
		dir := t.TempDir()
		res, err := Pull(ctx, ts.URL+"/m.bin", dir, WithSHA256(sum))
		if !errors.Is(err, ErrChecksum) {
			t.Fatalf("error %v, want ErrChecksum", err)
		}
		if res.SHA256 == sum || res.SHA256 == "" {
			t.Errorf("computed hash %q", res.SHA256)
		}
		for _, f := range []string{"m.bin", "m.bin.partial"} {
			if _, err := os.Stat(filepath.Join(dir, f)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s exists after a checksum mismatch: %v", f, err)
			}
		}
	})

	t.Run("404", func(t *testing.T) {
		ts := httptest.NewServer(&formatsPullServer{notFound: true})
		defer ts.Close()
		dir := t.TempDir()
		_, err := Pull(ctx, ts.URL+"/missing.bin", dir)
		if err == nil || !strings.Contains(err.Error(), "404") {
			t.Fatalf("error %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, "missing.bin")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("file exists after 404: %v", err)
		}
	})

	t.Run("unverified URL", func(t *testing.T) {
		ts := httptest.NewServer(&formatsPullServer{content: content})
		defer ts.Close()
		res, err := Pull(ctx, ts.URL+"/x/y.bin", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if res.Verified || res.SHA256 != sum {
			t.Errorf("result %+v: want the computed hash and Verified false", res)
		}
	})

	t.Run("catalogue name through a mirror", func(t *testing.T) {
		tok, err := os.ReadFile(formatsTestdata(t, "tok512.bin"))
		if err != nil {
			t.Fatal(err)
		}
		var gotPath string
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gotPath = r.URL.Path
			http.ServeContent(w, r, "tok512.bin", time.Time{}, bytes.NewReader(tok))
		}))
		defer ts.Close()
		dir := t.TempDir()
		res, err := Pull(ctx, "tok512", dir, WithMirror(ts.URL))
		if err != nil {
			t.Fatal(err)
		}
		if gotPath != "/karpathy/tinyllamas/resolve/main/stories260K/tok512.bin" || !res.Verified || res.Entry.Name != "tok512" {
			t.Errorf("path %q result %+v", gotPath, res)
		}
		if _, err := LoadTokenizer(res.Path, 512); err != nil {
			t.Errorf("pulled tokenizer: %v", err)
		}
	})

	t.Run("bad arguments", func(t *testing.T) {
		for _, name := range []string{"no-such-model", "ftp://host/x.bin", "http://host/"} {
			if _, err := Pull(ctx, name, t.TempDir()); err == nil {
				t.Errorf("%q accepted", name)
			}
		}
		if _, err := Pull(ctx, "stories15M", t.TempDir(), WithSHA256("abc")); err == nil {
			t.Error("short sha accepted")
		}
		if _, err := Pull(ctx, "stories15M", t.TempDir(), WithFileName("../x")); err == nil {
			t.Error("path traversal accepted")
		}
	})
}

func TestCatalogue(t *testing.T) {
	names := map[string]bool{}
	for _, e := range Catalogue() {
		names[e.Name] = true
		if !strings.HasPrefix(e.URL, "https://") || e.File == "" || (e.SHA256 != "" && !e.Verified()) {
			t.Errorf("entry %+v", e)
		}
		if e.Kind == "model" {
			if _, ok := LookupCatalogue(e.Tokenizer); !ok {
				t.Errorf("%s: tokenizer %q not in the catalogue", e.Name, e.Tokenizer)
			}
		}
	}
	for _, n := range []string{"stories260K", "tok512", "stories15M", "stories42M", "stories110M", "tokenizer"} {
		if !names[n] {
			t.Errorf("catalogue lacks %s", n)
		}
	}
	// The hashes and sizes of entries with fixtures match the fixtures.
	for name, fixture := range map[string]string{"stories260K": "stories260K.bin", "tok512": "tok512.bin", "tokenizer": "llama2-tokenizer.bin"} {
		e, _ := LookupCatalogue(name)
		sum, size, err := pullHashFile(formatsTestdata(t, fixture))
		if err != nil || sum != e.SHA256 || size != e.Size {
			t.Errorf("%s: fixture %s %d, catalogue %s %d (%v)", name, sum, size, e.SHA256, e.Size, err)
		}
	}
	// Sizes of the larger checkpoints follow from their llama2.c v0 shapes.
	for name, c := range map[string]Config{
		"stories15M":  {Dim: 288, Hidden: 768, Layers: 6, Heads: 6, KVHeads: 6, Vocab: 32000, SeqLen: 256},
		"stories42M":  {Dim: 512, Hidden: 1376, Layers: 8, Heads: 8, KVHeads: 8, Vocab: 32000, SeqLen: 1024},
		"stories110M": {Dim: 768, Hidden: 2048, Layers: 12, Heads: 12, KVHeads: 12, Vocab: 32000, SeqLen: 1024},
	} {
		e, _ := LookupCatalogue(name)
		d, L := int64(c.Dim), int64(c.Layers)
		floats := int64(c.Vocab)*d + L*(2*d+4*d*d+3*int64(c.Hidden)*d) + d + int64(c.SeqLen)*d/int64(c.Heads)
		if want := 28 + 4*floats; e.Size != want {
			t.Errorf("%s: size %d, shape gives %d", name, e.Size, want)
		}
	}
	if e, ok := LookupCatalogue("STORIES15M.BIN"); !ok || e.Name != "stories15M" {
		t.Error("lookup is not case-insensitive by file name")
	}
}

func TestPullContentRange(t *testing.T) {
	for _, tc := range []struct {
		in              string
		start, end, tot int64
		ok              bool
	}{
		{"bytes 10-99/100", 10, 99, 100, true},
		{"bytes 0-0/*", 0, 0, -1, true},
		{"bytes 10-9/100", 0, 0, 0, false},
		{"bytes 10-99/50", 0, 0, 0, false},
		{"items 1-2/3", 0, 0, 0, false},
		{"bytes -5/10", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	} {
		s, e, tot, ok := pullContentRange(tc.in)
		if ok != tc.ok || (ok && (s != tc.start || e != tc.end || tot != tc.tot)) {
			t.Errorf("%q: %d %d %d %v", tc.in, s, e, tot, ok)
		}
	}
}
