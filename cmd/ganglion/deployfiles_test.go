package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"gopkg.in/yaml.v3"

	"github.com/ganglion-subnet/ganglion/chain"
	"github.com/ganglion-subnet/ganglion/gateway"
	"github.com/ganglion-subnet/ganglion/miner"
	"github.com/ganglion-subnet/ganglion/p2p"
	"github.com/ganglion-subnet/ganglion/validator"
	"github.com/ganglion-subnet/ganglion/validator/store"
)

// The files under docker/ and docs/ name ganglion commands and metrics;
// these tests hold them to the CLI and the code, since nothing runs them in
// CI (no Docker daemon).

const repoRoot = "../.."

// checkInvocation parses args (without the leading "ganglion") with the
// command tree as the binary would, without running anything: the command
// must exist and be runnable, and its flags, their values, its positional
// arguments and its required flags must be accepted.
func checkInvocation(args []string) error {
	root := newApp(env{stdin: strings.NewReader(""), userDir: func() (string, error) { return "", errors.New("none") }}).root()
	cmd, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	if !cmd.Runnable() {
		return fmt.Errorf("%q is not a runnable command", cmd.CommandPath())
	}
	cmd.InitDefaultHelpFlag()
	if err := cmd.ParseFlags(rest); err != nil {
		return fmt.Errorf("%s: %w", cmd.CommandPath(), err)
	}
	if help, _ := cmd.Flags().GetBool("help"); help {
		return nil
	}
	if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil {
		return fmt.Errorf("%s: %w", cmd.CommandPath(), err)
	}
	if err := cmd.ValidateRequiredFlags(); err != nil {
		return fmt.Errorf("%s: %w", cmd.CommandPath(), err)
	}
	return cmd.ValidateFlagGroups()
}

func TestCheckInvocation(t *testing.T) {
	for _, c := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"miner", "--key", "m", "--model", "random", "--metrics", "0.0.0.0:9100"}, true},
		{[]string{"--home", "/x", "chain", "dev", "--port", "8545", "--block-time", "1s"}, true},
		{[]string{"keys", "show", "validator-0"}, true},
		{[]string{"miner", "--model", "random"}, false},                         // --key is required
		{[]string{"miner", "--key", "m", "--model", "random", "--nope"}, false}, // unknown flag
		{[]string{"chain", "dev", "--port", "many"}, false},                     // not an int
		{[]string{"chain", "dev", "--block-time", "1"}, false},                  // not a duration
		{[]string{"keys", "show"}, false},                                       // needs a name
		{[]string{"chain"}, false},                                              // not runnable
		{[]string{"minr", "--key", "m"}, false},                                 // no such command
	} {
		if err := checkInvocation(c.args); (err == nil) != c.ok {
			t.Errorf("%q: got %v, want ok=%v", c.args, err, c.ok)
		}
	}
}

// composeDefaults replaces ${VAR:-default} with its default, as compose
// does when VAR is unset.
var composeVar = regexp.MustCompile(`\$\{[A-Z_]+:-([^}]*)\}`)

// TestComposeCommandsParse: the command of every ganglion service in
// docker/compose.yaml is a valid invocation.
func TestComposeCommandsParse(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "docker", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]struct {
			Image   string   `yaml:"image"`
			Command []string `yaml:"command"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, s := range c.Services {
		if s.Image != "ganglion:dev" || len(s.Command) == 0 {
			continue
		}
		args := make([]string, len(s.Command))
		for i, a := range s.Command {
			args[i] = composeVar.ReplaceAllString(a, "$1")
		}
		if err := checkInvocation(args); err != nil {
			t.Errorf("compose service %s: ganglion %s: %v", name, strings.Join(args, " "), err)
		}
		n++
	}
	if n < 8 {
		t.Fatalf("only %d ganglion services in compose.yaml", n)
	}
}

// shellWords splits a shell command line into words, honouring quotes; a
// word holding a shell expansion becomes "X" (the value is not known here).
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord, expansion := false, false
	var quote rune
	flush := func() {
		if inWord {
			w := cur.String()
			if expansion {
				w = "X"
			}
			words = append(words, w)
		}
		cur.Reset()
		inWord, expansion = false, false
	}
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			if r == '$' && quote == '"' {
				expansion = true
			}
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			flush()
		default:
			if r == '$' {
				expansion = true
			}
			cur.WriteRune(r)
			inWord = true
		}
	}
	flush()
	return words
}

// ganglionLine finds the ganglion invocation in a line of shell: from the
// word "ganglion" (or the image "ganglion:TAG" of a docker run) to the end
// of that simple command (a pipe, redirection, ;, &&, || or the closing
// parenthesis of a $(...)).
var ganglionLine = regexp.MustCompile(`(?:^|[\s(!]|\./|cmd/)(ganglion(?::[\w.-]+)?)\s+([^|;&>)#]*)`)

// invocations returns the ganglion invocations in one line of shell. A
// "ganglion" that is the value of a flag (docker build -t ganglion:dev,
// docker compose -p ganglion) or an image run with another --entrypoint is
// not one.
func invocations(line string) [][]string {
	var out [][]string
	for from := 0; from < len(line); {
		m := ganglionLine.FindStringSubmatchIndex(line[from:])
		if m == nil {
			break
		}
		for i := range m {
			m[i] += from
		}
		before := strings.Fields(line[:m[2]])
		isFlagValue := len(before) > 0 && slices.Contains([]string{"-t", "--tag", "-p", "--project-name", "--name", "-f", "--file", "-o"}, before[len(before)-1])
		otherEntrypoint := strings.Contains(line[m[2]:m[3]], ":") && strings.Contains(line[:m[2]], "--entrypoint")
		if isFlagValue || otherEntrypoint {
			from = m[3] // look for an invocation after this word
			continue
		}
		out = append(out, shellWords(line[m[4]:m[5]]))
		from = m[5]
	}
	return out
}

// commandsInShell returns the ganglion invocations of a shell script or of
// the shell lines of a fenced block ("\" continues a line, "# " starts a
// comment, a leading "$ " prompt is dropped).
func commandsInShell(text string) [][]string {
	var out [][]string
	var joined strings.Builder
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := sc.Text()
		if strings.HasSuffix(strings.TrimRight(l, " "), "\\") {
			joined.WriteString(strings.TrimSuffix(strings.TrimRight(l, " "), "\\") + " ")
			continue
		}
		joined.WriteString(l)
		line := strings.TrimSpace(joined.String())
		joined.Reset()
		line = strings.TrimPrefix(line, "$ ")
		if strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, invocations(line)...)
	}
	return out
}

func TestCommandsInShell(t *testing.T) {
	got := commandsInShell("#!/bin/sh\n# ganglion ignored\nid=$(ganglion keys show \"$v\" | sed x)\n" +
		"if ! ganglion keys show a >/dev/null 2>&1; then\n$ ganglion miner --key m \\\n   --model 'a b' # note\nexec /usr/bin/ganglion-foo\n" +
		"docker build -t ganglion:dev .\ndocker run --rm -v h:/ganglion ganglion:dev version\n" +
		"docker run --entrypoint sh ganglion:dev -c 'x'\ndocker compose -p ganglion exec validator-0 ganglion keys list\n" +
		"go run ./cmd/ganglion devnet --miners 2\n./ganglion version\n")
	want := [][]string{{"keys", "show", "X"}, {"keys", "show", "a"}, {"miner", "--key", "m", "--model", "a b"}, {"version"}, {"keys", "list"},
		{"devnet", "--miners", "2"}, {"version"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// TestInitScriptsParse: every ganglion command in docker/init/*.sh is valid.
func TestInitScriptsParse(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "docker", "init", "*.sh"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no init scripts: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cmds := commandsInShell(string(b))
		if len(cmds) == 0 {
			t.Errorf("%s runs no ganglion command", f)
		}
		for _, args := range cmds {
			if err := checkInvocation(args); err != nil {
				t.Errorf("%s: ganglion %s: %v", filepath.Base(f), strings.Join(args, " "), err)
			}
		}
	}
}

// docCommands returns the ganglion commands in the fenced code blocks of a
// Markdown file.
func docCommands(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	blocks := regexp.MustCompile("(?ms)^\\s*```[a-z]*\\n(.*?)^\\s*```").FindAllStringSubmatch(string(b), -1)
	for _, blk := range blocks {
		out = append(out, commandsInShell(blk[1])...)
	}
	return out
}

// TestDocsCommandsParse: every ganglion command in the fenced blocks of the
// guides below parses with the flags shown. docs/deploy.md must; the list
// holds the guides known to pass, so a new mistake in them fails too.
func TestDocsCommandsParse(t *testing.T) {
	enforced := []string{"README.md", "deploy.md", "consumers.md", "miner.md"}
	files, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	files = append(files, filepath.Join(repoRoot, "README.md"))
	for _, f := range files {
		base := filepath.Base(f)
		cmds := docCommands(t, f)
		var bad []string
		for _, args := range cmds {
			if err := checkInvocation(args); err != nil {
				bad = append(bad, fmt.Sprintf("ganglion %s: %v", strings.Join(args, " "), err))
			}
		}
		switch {
		case slices.Contains(enforced, base) && len(bad) > 0:
			t.Errorf("%s:\n  %s", rel(f), strings.Join(bad, "\n  "))
		case len(bad) > 0:
			t.Logf("%s (not enforced): %d of %d commands do not parse:\n  %s", rel(f), len(bad), len(cmds), strings.Join(bad, "\n  "))
		}
	}
	if len(docCommands(t, filepath.Join(repoRoot, "docs", "deploy.md"))) < 10 {
		t.Error("docs/deploy.md shows fewer than 10 ganglion commands")
	}
}

// rel names path relative to the repository root.
func rel(path string) string {
	if r, err := filepath.Rel(repoRoot, path); err == nil {
		return r
	}
	return path
}

// registered records the collectors registered with it.
type registered struct{ cs []prometheus.Collector }

func (r *registered) Register(c prometheus.Collector) error   { r.cs = append(r.cs, c); return nil }
func (r *registered) MustRegister(cs ...prometheus.Collector) { r.cs = append(r.cs, cs...) }
func (r *registered) Unregister(prometheus.Collector) bool    { return true }

var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

// metricNames are the ganglion_* families the binary can serve: every
// package's NewMetrics and the command's own gauges.
func metricNames(t *testing.T) map[string]bool {
	t.Helper()
	r := &registered{}
	p2p.NewMetrics(r)
	miner.NewMetrics(r)
	validator.NewMetrics(r)
	gateway.NewMetrics(r)
	chain.NewMetrics(r)
	r.MustRegister(peersGauge(func() int { return 0 }), headBlockGauge(func() (uint64, error) { return 0, nil }),
		scoreCollector{func() ([]store.MinerScore, error) { return nil, nil }})
	names := map[string]bool{}
	for _, c := range r.cs {
		ch := make(chan *prometheus.Desc, 64)
		go func() { c.Describe(ch); close(ch) }()
		for d := range ch {
			if m := fqName.FindStringSubmatch(d.String()); m != nil {
				names[m[1]] = true
			}
		}
	}
	if len(names) < 30 {
		t.Fatalf("only %d metric names found: %v", len(names), names)
	}
	return names
}

// TestDashboardMetricsExist: every ganglion_* series the Grafana dashboard
// queries is one the code registers (a histogram's _bucket, _sum and _count
// count as the histogram).
func TestDashboardMetricsExist(t *testing.T) {
	names := metricNames(t)
	b, err := os.ReadFile(filepath.Join(repoRoot, "docker", "grafana", "dashboards", "ganglion.json"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`ganglion_[a-z0-9_]+`).FindAllString(string(b), -1) {
		used[m] = true
		base := m
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if s, ok := strings.CutSuffix(m, suffix); ok && names[s] {
				base = s
			}
		}
		if !names[base] {
			t.Errorf("the dashboard queries %s, which no code registers", m)
		}
	}
	// The panels the deployment promises have their series.
	for _, want := range []string{"ganglion_miner_queries_total", "ganglion_miner_query_duration_seconds_bucket",
		"ganglion_validator_divergences_total", "ganglion_validator_weight_messages_total", "ganglion_chain_reports_finalized_total",
		"ganglion_validator_miner_score",
		"ganglion_gateway_requests_total", "ganglion_gateway_first_token_seconds_bucket", "ganglion_p2p_peers"} {
		if !used[want] {
			t.Errorf("the dashboard does not show %s", want)
		}
	}
}
