package gateway_test

import (
	"crypto/sha256"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/internal/testnet"
)

// TestWithHandler: extra routes are served next to the API, the API and the
// JSON 404 stay as they were, and a colliding or empty pattern fails New.
func TestWithHandler(t *testing.T) {
	nw := testnet.New(t, 1, testnet.Options{})
	id := sha256.Sum256([]byte("extra"))
	ms := []gateway.Model{{Name: "m", ID: id[:], Tokenizer: testTokenizer(t), EOS: 2}}
	extra := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("scores " + r.PathValue("uid"))) })
	g, err := gateway.New(gateway.Config{}, nw.P2P(0), ms, gateway.WithHandler("GET /v1/scores/{uid}", extra))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g.Handler())
	defer srv.Close()
	for _, c := range []struct {
		path   string
		status int
		body   string
	}{
		{"/v1/scores/7", 200, "scores 7"},
		{"/v1/models", 200, ""},
		{"/v1/nothing", 404, ""},
	} {
		resp, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 64)
		n, _ := resp.Body.Read(b)
		resp.Body.Close()
		if resp.StatusCode != c.status || (c.body != "" && string(b[:n]) != c.body) || resp.Header.Get("x-request-id") == "" {
			t.Errorf("%s: %d %q (x-request-id %q)", c.path, resp.StatusCode, b[:n], resp.Header.Get("x-request-id"))
		}
	}
	for _, pattern := range []string{"GET /v1/models", "", "GET /v1/{bad"} {
		if _, err := gateway.New(gateway.Config{}, nw.P2P(0), ms, gateway.WithHandler(pattern, extra)); !errors.Is(err, gateway.ErrBadConfig) {
			t.Errorf("pattern %q: err %v, want ErrBadConfig", pattern, err)
		}
	}
}
