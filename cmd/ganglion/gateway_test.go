package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestGatewayAndQueryCommands: keys create/list/revoke; a gateway and a
// miner started from the CLI; `ganglion query` streams an answer through the
// gateway with an API key and with --direct over libp2p; the usage shows in
// `keys list` after shutdown.
func TestGatewayAndQueryCommands(t *testing.T) {
	tok := fixture(t, "tok512.bin")
	home := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", "pw\n")
	newKeys(t, home, pw, "m", "g", "d")
	environ := []string{"GANGLION_HOME=" + home}

	r := run(t, environ, "gateway", "keys", "create", "alice", "--rate", "100")
	if r.err != nil {
		t.Fatal(r.err)
	}
	key := field(t, r.stdout, "key")
	if !strings.HasPrefix(key, "gl-") {
		t.Fatalf("key %q", key)
	}
	if r := run(t, environ, "gateway", "keys", "create", "bob"); r.err != nil {
		t.Fatal(r.err)
	}
	if r := run(t, environ, "gateway", "keys", "revoke", "bob"); r.err != nil || !strings.Contains(r.stdout, "revoked: bob") {
		t.Fatalf("revoke: %v %s", r.err, r.stdout)
	}
	if r := run(t, environ, "gateway", "keys", "revoke", "carol"); r.err == nil {
		t.Fatal("revoking an unknown key succeeded")
	}

	gout, gerr, gdone, gstop := startCLI(t, environ, "gateway", "--key", "g", "--password-file", pw, "--model", "random",
		"--tokenizer", tok, "--listen", "127.0.0.1:0", "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--metrics", "", "--log-level", "warn")
	api := waitFor(t, gout, gerr, gdone, regexp.MustCompile(`api: (http://\S+)/v1`))[1]
	p2pAddr := waitFor(t, gout, gerr, gdone, regexp.MustCompile(`p2p: (\S+)`))[1]
	mout, merr, mdone, mstop := startCLI(t, environ, "miner", "--key", "m", "--password-file", pw, "--model", "random",
		"--tokenizer", tok, "--listen", "/ip4/127.0.0.1/tcp/0", "--bootstrap", p2pAddr, "--metrics", "", "--log-level", "warn")
	defer func() {
		mstop()
		if err := <-mdone; err != nil {
			t.Errorf("miner: %v\n%s", err, merr.String())
		}
	}()

	// query --direct (its own in-process gateway and p2p node, key d) waits
	// for the same announcement as the gateway below.
	minerAddr := waitFor(t, mout, merr, mdone, regexp.MustCompile(`listening: (\S+)`))[1]
	directDone := make(chan result, 1)
	go func() {
		directDone <- run(t, environ, "query", "--direct", "--key", "d", "--password-file", pw, "--model", "random",
			"--tokenizer", tok, "--bootstrap", minerAddr, "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--wait", "90s",
			"--max-tokens", "5", "--raw", "hello")
	}()
	if r := run(t, environ, "query", "--gateway", api, "--api-key", "gl-wrong", "hi"); r.err == nil || !strings.Contains(r.err.Error(), "401") {
		t.Fatalf("wrong key: %v", r.err)
	}
	// The miner announces every 30 s; wait for an announcement.
	deadline := time.Now().Add(90 * time.Second)
	var q result
	for {
		q = run(t, environ, "query", "--gateway", api, "--api-key", key, "--max-tokens", "8", "once upon a time")
		if q.err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if q.err != nil {
		t.Fatalf("query: %v\ngateway stderr:\n%s", q.err, gerr.String())
	}
	if !regexp.MustCompile(`usage: \d+ prompt \+ [1-8] completion tokens\nminer: 0x[0-9a-f]{40} receipt: 0x[0-9a-f]{64}\n`).MatchString(q.stderr) {
		t.Fatalf("query stderr:\n%s", q.stderr)
	}
	if strings.TrimSpace(q.stdout) == "" {
		t.Fatalf("no answer text: %q", q.stdout)
	}
	d := <-directDone
	if d.err != nil || !regexp.MustCompile(`usage: \d+ prompt \+ [1-5] completion tokens\nminer: 0x[0-9a-f]{40} receipt: 0x[0-9a-f]{64}\n`).MatchString(d.stderr) {
		t.Fatalf("query --direct: %v\nstdout %q\nstderr:\n%s", d.err, d.stdout, d.stderr)
	}
	gstop()
	if err := <-gdone; err != nil {
		t.Fatalf("gateway: %v\n%s", err, gerr.String())
	}
	r = run(t, environ, "gateway", "keys", "list")
	if r.err != nil {
		t.Fatal(r.err)
	}
	alice := regexp.MustCompile(`(?m)^alice\s+gl-\S+\s+active\s+100\s+(\d+)\s+(\d+)\s+(\d+)`).FindStringSubmatch(r.stdout)
	if alice == nil || alice[1] == "0" || alice[2] == "0" || alice[3] == "0" || !regexp.MustCompile(`(?m)^bob\s+\S+\s+revoked`).MatchString(r.stdout) {
		t.Fatalf("keys list:\n%s", r.stdout)
	}
}
