package gateway

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ganglion-subnet/ganglion/internal/atomicfile"
)

// KeyInfo is one API key's record; the secret itself is never stored, only
// its sha256.
type KeyInfo struct {
	Name       string    `json:"name"`
	Hash       string    `json:"sha256"`
	Prefix     string    `json:"prefix"` // first characters of the secret, to recognise it
	Created    time.Time `json:"created"`
	Revoked    bool      `json:"revoked"`
	Requests   int64     `json:"requests"`
	TokensIn   int64     `json:"tokens_in"`
	TokensOut  int64     `json:"tokens_out"`
	RatePerMin int       `json:"rate_per_minute"`
}

// Keys is the API key store: a JSON file written atomically (temp file,
// fsync, rename), so a crash leaves the old or the new file. Usage counts
// are flushed at most every FlushInterval and at shutdown.
type Keys struct {
	path string
	mu   sync.Mutex
	keys map[string]*KeyInfo // by hash
	buck map[string]*bucket
	dirt bool
	last time.Time
	// DefaultRate is the requests per minute of keys created without one.
	DefaultRate int
}

type bucket struct {
	tokens float64
	at     time.Time
}

// OpenKeys opens (or starts) the store at path.
func OpenKeys(path string) (*Keys, error) {
	k := &Keys{path: path, keys: map[string]*KeyInfo{}, buck: map[string]*bucket{}, DefaultRate: 60}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return k, nil
	}
	if err != nil {
		return nil, fmt.Errorf("gateway: keys: %w", err)
	}
	var list []*KeyInfo
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("gateway: keys %s: %w", path, err)
	}
	for _, x := range list {
		k.keys[x.Hash] = x
	}
	return k, nil
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Create makes a key and returns its secret (shown once).
func (k *Keys) Create(name string, ratePerMin int) (string, error) {
	if name == "" {
		return "", fmt.Errorf("gateway: key name required")
	}
	if ratePerMin <= 0 {
		ratePerMin = k.DefaultRate
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	var secret string
	err := k.update(func() error {
		for _, x := range k.keys {
			if x.Name == name && !x.Revoked {
				return fmt.Errorf("gateway: key %q exists", name)
			}
		}
		var b [24]byte
		_, _ = rand.Read(b[:])
		secret = "gl-" + hex.EncodeToString(b[:])
		h := hashSecret(secret)
		k.keys[h] = &KeyInfo{Name: name, Hash: h, Prefix: secret[:9], Created: time.Now().UTC(), RatePerMin: ratePerMin}
		return nil
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// Revoke revokes every live key with that name.
func (k *Keys) Revoke(name string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.update(func() error {
		n := 0
		for _, x := range k.keys {
			if x.Name == name && !x.Revoked {
				x.Revoked = true
				n++
			}
		}
		if n == 0 {
			return fmt.Errorf("%w: %q", ErrUnknownKey, name)
		}
		return nil
	})
}

// List returns copies of every key, by name.
func (k *Keys) List() []KeyInfo {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]KeyInfo, 0, len(k.keys))
	for _, x := range k.keys {
		out = append(out, *x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup returns the live key whose secret is s.
func (k *Keys) Lookup(s string) (KeyInfo, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	x := k.keys[hashSecret(s)]
	if x == nil || x.Revoked {
		return KeyInfo{}, false
	}
	return *x, true
}

// take consumes one request from the key's bucket (capacity and refill:
// its rate per minute); it returns the remaining requests, or the wait.
func (k *Keys) take(hash string, now time.Time) (remaining int, wait time.Duration, ok bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	x := k.keys[hash]
	rate := float64(x.RatePerMin)
	b := k.buck[hash]
	if b == nil {
		b = &bucket{tokens: rate, at: now}
		k.buck[hash] = b
	}
	b.tokens = math.Min(rate, b.tokens+now.Sub(b.at).Minutes()*rate)
	b.at = now
	if b.tokens < 1 {
		return 0, time.Duration((1 - b.tokens) / rate * float64(time.Minute)), false
	}
	b.tokens--
	x.Requests++
	k.dirt = true
	return int(b.tokens), time.Duration((rate - b.tokens) / rate * float64(time.Minute)), true
}

// AddUsage records tokens for a key.
func (k *Keys) AddUsage(hash string, in, out int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if x := k.keys[hash]; x != nil {
		x.TokensIn += int64(in)
		x.TokensOut += int64(out)
		k.dirt = true
	}
	if time.Since(k.last) > 10*time.Second {
		_ = k.saveLocked()
	}
}

// Flush writes pending usage.
func (k *Keys) Flush() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.dirt {
		return nil
	}
	return k.saveLocked()
}

// Reload merges the file into memory: keys created and revocations made by
// another process (the CLI) take effect; usage counted here is kept.
func (k *Keys) Reload() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.mergeLocked()
}

func (k *Keys) mergeLocked() error {
	b, err := os.ReadFile(k.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("gateway: keys: %w", err)
	}
	var list []*KeyInfo
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("gateway: keys %s: %w", k.path, err)
	}
	for _, x := range list {
		mem := k.keys[x.Hash]
		switch {
		case mem == nil:
			k.keys[x.Hash] = x
		case x.Revoked:
			mem.Revoked = true
		}
	}
	return nil
}

// update runs change between merging the file and writing it back, under
// the store's file lock, so processes sharing the file (a running gateway
// and the CLI) never overwrite each other's keys. k.mu must be held.
func (k *Keys) update(change func() error) error {
	unlock, err := atomicfile.Lock(k.path + ".lock")
	if err != nil {
		return fmt.Errorf("gateway: keys: %w", err)
	}
	defer unlock()
	if err := k.mergeLocked(); err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	return k.writeLocked()
}

func (k *Keys) saveLocked() error { return k.update(func() error { return nil }) }

func (k *Keys) writeLocked() error {
	list := make([]*KeyInfo, 0, len(k.keys))
	for _, x := range k.keys {
		list = append(list, x)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Hash < list[j].Hash })
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	k.last = time.Now()
	if err := atomicfile.WriteFile(k.path, b, 0o600); err != nil {
		return fmt.Errorf("gateway: save keys: %w", err)
	}
	k.dirt = false
	return nil
}

// authorise checks the bearer key and its rate limit (open access without
// a key store).
func (g *Gateway) authorise(w http.ResponseWriter, r *http.Request, endpoint string) (*KeyInfo, bool) {
	if g.keys == nil {
		return nil, true
	}
	auth := r.Header.Get("Authorization")
	secret, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || secret == "" {
		g.fail(w, endpoint, &apiError{status: http.StatusUnauthorized, Message: "missing API key (Authorization: Bearer ...)",
			Type: "invalid_request_error", Code: strp("invalid_api_key")})
		return nil, false
	}
	key, ok := g.keys.Lookup(secret)
	if !ok {
		g.fail(w, endpoint, &apiError{status: http.StatusUnauthorized, Message: "invalid or revoked API key",
			Type: "invalid_request_error", Code: strp("invalid_api_key")})
		return nil, false
	}
	rem, wait, ok := g.keys.take(key.Hash, time.Now())
	h := w.Header()
	h.Set("x-ratelimit-limit-requests", strconv.Itoa(key.RatePerMin))
	h.Set("x-ratelimit-remaining-requests", strconv.Itoa(rem))
	h.Set("x-ratelimit-reset-requests", fmt.Sprintf("%.3fs", wait.Seconds()))
	if !ok {
		h.Set("retry-after", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		g.fail(w, endpoint, &apiError{status: http.StatusTooManyRequests, Message: "rate limit reached for requests",
			Type: "requests", Code: strp("rate_limit_exceeded")})
		return nil, false
	}
	return &key, true
}

func (g *Gateway) handleUsage(w http.ResponseWriter, r *http.Request) {
	key, ok := g.authorise(w, r, "usage")
	if !ok {
		return
	}
	if key == nil {
		g.fail(w, "usage", &apiError{status: http.StatusNotFound, Message: "usage is kept per API key; this gateway has none",
			Type: "invalid_request_error", Code: strp("not_found")})
		return
	}
	cur, _ := g.keys.Lookup(r.Header.Get("Authorization")[len("Bearer "):])
	writeJSON(w, http.StatusOK, map[string]any{"object": "usage", "name": cur.Name, "requests": cur.Requests,
		"prompt_tokens": cur.TokensIn, "completion_tokens": cur.TokensOut})
	g.metrics.Requests.WithLabelValues("usage", "200").Inc()
}
