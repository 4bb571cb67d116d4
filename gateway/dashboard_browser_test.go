package gateway_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var screenshot = flag.String("screenshot", "", "TestDashboardBrowser saves a PNG of the page with data here (docs/dashboard.png)")

// findChromium returns the browser to drive: $GANGLION_CHROMIUM or the first
// of Debian's chromium and its usual names on PATH. Without one the test
// skips, or fails when GANGLION_REQUIRE_BROWSER=1 (scripts/test.sh installs
// it and sets that).
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("GANGLION_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("GANGLION_REQUIRE_BROWSER") == "1" {
		t.Fatal("no chromium on PATH: apt-get install chromium (or set GANGLION_CHROMIUM)")
	}
	t.Skip("no chromium on PATH: apt-get install chromium (scripts/test.sh does)")
	return ""
}

// browser starts a headless chromium and returns a tab's context.
func browser(t *testing.T, path string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.WindowSize(1360, 1180),
		chromedp.UserDataDir(t.TempDir()), chromedp.Flag("disable-dev-shm-usage", true))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // chromium refuses to run sandboxed as root
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	ctx, tcancel := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { tcancel(); cancel(); acancel() })
	return ctx
}

// waitJS polls a JavaScript predicate in the page until it is truthy.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond),
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		dump, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("%s: %v\npage:\n%s", what, err, dump)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// TestDashboardBrowser drives the page in headless Chromium against a real
// gateway and two real miners on the testnet: the key from the URL
// fragment is kept, the metagraph table fills, the score chart draws, the
// epochs show with their transactions, a typed prompt streams the miner's
// answer, the live feed shows that query re-executed, and text from the
// source is never run as HTML. -screenshot PATH saves the page.
func TestDashboardBrowser(t *testing.T) {
	path := findChromium(t)
	e, src := dashEnv(t, 2)
	ctx := browser(t, path)

	if err := chromedp.Do(ctx, chromedp.Navigate(e.base+"/#key="+e.key)); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	// The key moved from the fragment to localStorage.
	waitJS(t, ctx, "key stored", fmt.Sprintf(`localStorage.getItem('ganglion.apiKey') === %q && location.hash === ''`, e.key))

	// Metagraph: every neuron of the source, the miners marked serving.
	waitJS(t, ctx, "metagraph rows", `document.querySelectorAll('#metagraph tbody tr').length === 4`)
	rows := evalJS[[][]string](t, ctx, `[...document.querySelectorAll('#metagraph tbody tr')].map(tr =>
		[...tr.children].map(td => td.title || td.textContent))`)
	for i, n := range src.neurons {
		r := rows[i]
		if r[0] != fmt.Sprint(n.UID) || !strings.HasPrefix(r[1], n.Role) || r[2] != n.Address || r[3] != n.Stake || r[6] != n.Emission {
			t.Fatalf("row %d %q, want %+v", i, r, n)
		}
		if n.Incentive != nil && r[4] != fmt.Sprintf("%.4f", *n.Incentive) {
			t.Fatalf("row %d incentive %q", i, r[4])
		}
	}
	if got := evalJS[int](t, ctx, `document.querySelectorAll('#metagraph .dot.on').length`); got != 2 {
		t.Fatalf("%d miners shown serving, want 2", got)
	}
	if got := evalJS[string](t, ctx, `document.getElementById('epoch').textContent`); got != "7" {
		t.Fatalf("epoch %q", got)
	}

	// Score chart: both series drawn (painted pixels) with a legend.
	waitJS(t, ctx, "chart drawn", `document.getElementById('chart').dataset.series === '2'`)
	painted := evalJS[int](t, ctx, `(() => { const c = document.getElementById('chart');
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })()`)
	if painted < 1000 {
		t.Fatalf("chart painted %d pixels", painted)
	}
	if got := evalJS[string](t, ctx, `document.getElementById('legend').textContent`); got != "uid 1uid 2" {
		t.Fatalf("legend %q", got)
	}

	// Epochs with status and the finalising transaction.
	waitJS(t, ctx, "epochs", `document.querySelectorAll('#epochs tbody tr').length === 4`)
	ep := evalJS[[][]string](t, ctx, `[...document.querySelectorAll('#epochs tbody tr')].map(tr =>
		[...tr.children].map(td => td.title || td.textContent))`)
	for i, want := range src.epochs {
		if ep[i][0] != fmt.Sprint(want.Epoch) || ep[i][1] != want.Status || (want.TxHash != "" && ep[i][4] != want.TxHash) {
			t.Fatalf("epoch row %d %q, want %+v", i, ep[i], want)
		}
	}

	// A typed prompt streams the answer the miner generates (greedy, so a
	// direct request gets the same text).
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("prompt"), "Once upon a time"),
		chromedp.SetValue(chromedp.ID("temperature"), "0"),
		chromedp.SetValue(chromedp.ID("max-tokens"), "24"),
		chromedp.Click(chromedp.ID("send")),
	); err != nil {
		t.Fatalf("send prompt: %v", err)
	}
	waitJS(t, ctx, "answer streamed", `document.getElementById('answer').dataset.state === 'done'`)
	shown := evalJS[string](t, ctx, `document.getElementById('answer').textContent`)
	resp, body := e.do(t, "POST", "/v1/chat/completions", `{"model":"rand-512","max_tokens":24,"temperature":0,
		"messages":[{"role":"user","content":"Once upon a time"}]}`, e.key)
	var direct struct {
		Choices []struct{ Message struct{ Content string } }
		Usage   struct {
			CompletionTokens int `json:"completion_tokens"`
		}
	}
	if resp.StatusCode != 200 || json.Unmarshal(body, &direct) != nil || len(direct.Choices) != 1 {
		t.Fatalf("direct: %d %s", resp.StatusCode, body)
	}
	if shown == "" || shown != direct.Choices[0].Message.Content {
		t.Fatalf("page shows %q, the miner generated %q", shown, direct.Choices[0].Message.Content)
	}
	if meta := evalJS[string](t, ctx, `document.getElementById('answer-meta').textContent`); !strings.Contains(meta, fmt.Sprintf("%d tokens", direct.Usage.CompletionTokens)) ||
		!strings.Contains(meta, "receipt 0x") {
		t.Fatalf("answer meta %q", meta)
	}

	// The live feed shows that query, its receipt checked and re-executed.
	// (newest first: the direct request, then the page's).
	waitJS(t, ctx, "feed", `(() => { const r = document.querySelectorAll('#feed tbody tr');
		return r.length === 2 && r[1].dataset.reexec === 'ok'; })()`)
	feedRow := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#feed tbody tr')[1].children].map(td => td.textContent)`)
	if !strings.HasPrefix(feedRow[2], "uid ") || feedRow[4] != fmt.Sprint(direct.Usage.CompletionTokens) || feedRow[5] != "ok" ||
		feedRow[6] != "✓ re-executed" {
		t.Fatalf("feed row %q", feedRow)
	}

	if *screenshot != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
			t.Fatal(err)
		}
		abs, _ := filepath.Abs(*screenshot)
		t.Logf("screenshot: %s (%d bytes)", abs, len(png))
	}

	// Hostile text from the source shows as text and never runs.
	src.setMode("hostile")
	waitJS(t, ctx, "hostile row", `document.querySelector('#metagraph tr[data-uid="99"]') !== null`)
	if got := evalJS[string](t, ctx, `document.querySelector('#metagraph tr[data-uid="99"] td.addr').title`); got != hostile {
		t.Fatalf("address shown as %q", got)
	}
	if got := evalJS[string](t, ctx, `document.getElementById('metagraph-note').textContent`); got != "source: "+hostile {
		t.Fatalf("source note %q", got)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll('main img, main script').length + (window.__pwned ? 100 : 0)`); n != 0 {
		t.Fatalf("source text was run as HTML (%d)", n)
	}

	// Without the key the gateway refuses and the page says where to put it.
	evalJS[string](t, ctx, `document.getElementById('key').value = ''`)
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#key-form button`)),
		chromedp.Click(chromedp.ID("send")),
	); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "refused", `document.getElementById('answer').dataset.state === 'error'`)
	if msg := evalJS[string](t, ctx, `document.getElementById('answer').textContent`); !strings.Contains(msg, "API key") {
		t.Fatalf("error shown: %q", msg)
	}
	if k := evalJS[any](t, ctx, `localStorage.getItem('ganglion.apiKey')`); k != nil {
		t.Fatalf("cleared key still stored: %v", k)
	}

	// A source without data: the panels say so instead of failing.
	src.setMode("nodata")
	waitJS(t, ctx, "unavailable epochs", `document.getElementById('epochs-note').textContent.startsWith('unavailable')`)
	waitJS(t, ctx, "chart cleared", `document.getElementById('chart').dataset.series === '0'`)
}

var liveURL = flag.String("dashboard-url", "", "TestDashboardLiveScreenshot opens this running dashboard (with #key=… if it needs one)")

// TestDashboardLiveScreenshot is a tool, not a check: with -dashboard-url
// and -screenshot it opens a running subnet's dashboard (e.g. a devnet's),
// asks it a story and saves the page once the answer and the feed are in
// (docs/dashboard.md says how docs/dashboard.png was made).
func TestDashboardLiveScreenshot(t *testing.T) {
	if *liveURL == "" || *screenshot == "" {
		t.Skip("a screenshot tool: give -dashboard-url URL -screenshot PATH")
	}
	ctx := browser(t, findChromium(t))
	if err := chromedp.Do(ctx, chromedp.Navigate(*liveURL)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "metagraph rows", `document.querySelectorAll('#metagraph tbody tr').length > 0`)
	waitJS(t, ctx, "a served model", `document.getElementById('model').options.length > 0`)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("prompt"), "Once upon a time"),
		chromedp.SetValue(chromedp.ID("max-tokens"), "96"),
		chromedp.Click(chromedp.ID("send")),
	); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "answer", `document.getElementById('answer').dataset.state === 'done'`)
	waitJS(t, ctx, "feed", `document.querySelectorAll('#feed tbody tr').length > 0`)
	if _, err := chromedp.Run(ctx, chromedp.Sleep(2500*time.Millisecond)); err != nil { // a feed poll for the re-execution
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", *screenshot, len(png))
}
