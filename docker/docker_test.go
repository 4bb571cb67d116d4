package docker_test

import (
	"encoding/json"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// compose is the part of compose.yaml the tests read.
type compose struct {
	Services map[string]service `yaml:"services"`
	Volumes  map[string]any     `yaml:"volumes"`
}

type service struct {
	Image       string            `yaml:"image"`
	Build       map[string]string `yaml:"build"`
	Entrypoint  []string          `yaml:"entrypoint"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	Ports       []string          `yaml:"ports"`
	Restart     string            `yaml:"restart"`
	Healthcheck struct {
		Test    []string `yaml:"test"`
		Disable bool     `yaml:"disable"`
	} `yaml:"healthcheck"`
	DependsOn map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
}

func loadCompose(t *testing.T) compose {
	t.Helper()
	b, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	return c
}

const ganglionImage = "ganglion:dev"

// flagValue returns the value after flag in args.
func flagValue(args []string, flag string) (string, bool) {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1], true
		}
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v, true
		}
	}
	return "", false
}

func port(t *testing.T, svc, hostport string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(hostport)
	if err != nil {
		t.Fatalf("%s: %q: %v", svc, hostport, err)
	}
	return p
}

func TestComposeServices(t *testing.T) {
	c := loadCompose(t)
	want := []string{"keys", "chain", "init", "validator-0", "validator-1", "validator-2",
		"miner-0", "miner-1", "miner-2", "miner-3", "prometheus", "grafana"}
	for _, name := range want {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("no service %s", name)
		}
	}
	roles := map[string]int{}
	for name, s := range c.Services {
		if s.Image == ganglionImage && len(s.Command) > 0 {
			roles[s.Command[0]]++
			if s.Build["dockerfile"] != "docker/Dockerfile" || s.Build["context"] != ".." {
				t.Errorf("%s: build %v, want the repository root with docker/Dockerfile", name, s.Build)
			}
		}
	}
	if roles["validator"] != 3 || roles["miner"] != 4 || roles["chain"] != 1 {
		t.Errorf("roles %v: want a chain, 3 validators and 4 miners", roles)
	}
	// The API ("gateway") is validator-0's --api, published on 8080.
	v0 := c.Services["validator-0"]
	api, ok := flagValue(v0.Command, "--api")
	if !ok || port(t, "validator-0", api) != "8080" || !slices.Contains(v0.Ports, "127.0.0.1:8080:8080") {
		t.Errorf("validator-0 does not serve the API on 8080: --api %q, ports %v", api, v0.Ports)
	}
	// Every validator keeps its state in its own volume.
	for _, name := range []string{"validator-0", "validator-1", "validator-2"} {
		s := c.Services[name]
		if d, _ := flagValue(s.Command, "--data"); !slices.Contains(s.Volumes, name+"-data:"+d) {
			t.Errorf("%s: --data %q is not on its volume %s-data (%v)", name, d, name, s.Volumes)
		}
	}
}

func TestComposeDependencies(t *testing.T) {
	c := loadCompose(t)
	for name, s := range c.Services {
		for dep, d := range s.DependsOn {
			ds, ok := c.Services[dep]
			if !ok {
				t.Errorf("%s depends on unknown service %s", name, dep)
				continue
			}
			switch d.Condition {
			case "service_completed_successfully":
				if ds.Restart != "no" {
					t.Errorf("%s waits for %s to complete, but %s restarts (%q)", name, dep, dep, ds.Restart)
				}
			case "service_healthy":
				if ds.Healthcheck.Disable || (ds.Image != ganglionImage && len(ds.Healthcheck.Test) == 0) {
					t.Errorf("%s waits for %s to be healthy, but %s has no healthcheck", name, dep, dep)
				}
			case "service_started", "":
			default:
				t.Errorf("%s: depends_on %s: unknown condition %q", name, dep, d.Condition)
			}
		}
		// Ganglion services with a health check (the image's `ganglion
		// health`) must serve /healthz where it looks: metrics.listen.
		if s.Image == ganglionImage && !s.Healthcheck.Disable {
			if m, _ := flagValue(s.Command, "--metrics"); m != s.Environment["GANGLION_METRICS_LISTEN"] && m != "" {
				t.Errorf("%s: --metrics %s but GANGLION_METRICS_LISTEN=%s: the health check probes the latter", name, m, s.Environment["GANGLION_METRICS_LISTEN"])
			}
			if _, ok := flagValue(s.Command, "--metrics"); !ok && s.Environment["GANGLION_METRICS_LISTEN"] == "" {
				t.Errorf("%s: health-checked but serves no metrics", name)
			}
		}
		if s.Image == ganglionImage && len(s.Command) > 0 && s.Command[0] != "chain" {
			if !slices.Contains(s.Volumes, "keys:/ganglion/keys") || !slices.Contains(s.Volumes, "home:/ganglion") {
				t.Errorf("%s: lacks the home and keys volumes: %v", name, s.Volumes)
			}
		}
	}
	// Order: keys → chain → init → validators and miners.
	for _, name := range []string{"validator-0", "validator-1", "validator-2", "miner-0", "miner-1", "miner-2", "miner-3"} {
		d := c.Services[name].DependsOn
		if d["init"].Condition != "service_completed_successfully" || d["chain"].Condition != "service_healthy" {
			t.Errorf("%s does not wait for init and a healthy chain: %v", name, d)
		}
	}
}

func TestComposeVolumesAndPorts(t *testing.T) {
	c := loadCompose(t)
	used := map[string]bool{}
	hostPorts := map[string]string{}
	for name, s := range c.Services {
		for _, v := range s.Volumes {
			src, _, ok := strings.Cut(v, ":")
			if !ok {
				t.Errorf("%s: volume %q has no target", name, v)
				continue
			}
			if strings.HasPrefix(src, ".") || strings.HasPrefix(src, "/") {
				if _, err := os.Stat(src); err != nil {
					t.Errorf("%s: bind mount %s: %v", name, src, err)
				}
				continue
			}
			if _, ok := c.Volumes[src]; !ok {
				t.Errorf("%s: volume %s is not declared", name, src)
			}
			used[src] = true
		}
		for _, p := range s.Ports {
			parts := strings.Split(p, ":")
			if len(parts) != 3 {
				t.Errorf("%s: port %q: want HOST_IP:HOST:CONTAINER", name, p)
				continue
			}
			if other, dup := hostPorts[parts[1]]; dup {
				t.Errorf("host port %s published by %s and %s", parts[1], other, name)
			}
			hostPorts[parts[1]] = name
			if s.Image == ganglionImage && !listensOn(s.Command, parts[2]) {
				t.Errorf("%s publishes %s but its command listens on no such port: %v", name, parts[2], s.Command)
			}
		}
	}
	for v := range c.Volumes {
		if !used[v] {
			t.Errorf("volume %s is declared but unused", v)
		}
	}
	for _, want := range []string{"8545", "8080", "9090", "3000"} {
		if hostPorts[want] == "" {
			t.Errorf("host port %s is not published", want)
		}
	}
}

// listensOn reports whether a ganglion command listens on port.
func listensOn(args []string, port string) bool {
	for _, f := range []string{"--port", "--api", "--metrics", "--listen"} {
		v, ok := flagValue(args, f)
		if !ok {
			continue
		}
		if v == port || strings.HasSuffix(v, ":"+port) || strings.Contains(v, "/tcp/"+port) {
			return true
		}
	}
	return false
}

// TestPrometheusScrapesEveryRole: every target is a compose service's
// metrics address, and every ganglion service with --metrics is scraped.
func TestPrometheusScrapesEveryRole(t *testing.T) {
	c := loadCompose(t)
	b, err := os.ReadFile("prometheus.yml")
	if err != nil {
		t.Fatal(err)
	}
	var prom struct {
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(b, &prom); err != nil {
		t.Fatalf("prometheus.yml: %v", err)
	}
	scraped := map[string]bool{}
	for _, sc := range prom.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			for _, target := range st.Targets {
				host, p, err := net.SplitHostPort(target)
				if err != nil {
					t.Errorf("job %s: target %q: %v", sc.JobName, target, err)
					continue
				}
				if host == "localhost" {
					continue // Prometheus itself
				}
				s, ok := c.Services[host]
				if !ok {
					t.Errorf("job %s: target %s is not a compose service", sc.JobName, target)
					continue
				}
				m, _ := flagValue(s.Command, "--metrics")
				if m == "" || port(t, host, m) != p {
					t.Errorf("job %s: %s scrapes port %s but %s serves metrics on %q", sc.JobName, target, p, host, m)
				}
				scraped[host] = true
			}
		}
	}
	for name, s := range c.Services {
		if _, ok := flagValue(s.Command, "--metrics"); ok && !scraped[name] {
			t.Errorf("%s serves /metrics but Prometheus does not scrape it", name)
		}
	}
	if !strings.Contains(strings.Join(c.Services["prometheus"].Volumes, " "), "./prometheus.yml:/etc/prometheus/prometheus.yml") {
		t.Error("compose does not mount prometheus.yml")
	}
}

func TestGrafanaProvisioning(t *testing.T) {
	c := loadCompose(t)
	var ds struct {
		Datasources []struct {
			UID, Type, URL string
		} `yaml:"datasources"`
	}
	b, err := os.ReadFile("grafana/provisioning/datasources/prometheus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &ds); err != nil || len(ds.Datasources) != 1 {
		t.Fatalf("datasource: %v %+v", err, ds)
	}
	u, err := url.Parse(ds.Datasources[0].URL)
	if err != nil || u.Hostname() != "prometheus" || u.Port() != "9090" || ds.Datasources[0].Type != "prometheus" {
		t.Errorf("datasource %+v does not point at the prometheus service", ds.Datasources[0])
	}
	if !slices.Contains(c.Services["prometheus"].Ports, "127.0.0.1:9090:9090") {
		t.Error("prometheus does not listen on 9090")
	}
	var prov struct {
		Providers []struct {
			Options struct{ Path string } `yaml:"options"`
		} `yaml:"providers"`
	}
	if b, err = os.ReadFile("grafana/provisioning/dashboards/ganglion.yaml"); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &prov); err != nil || len(prov.Providers) != 1 {
		t.Fatalf("dashboard provider: %v", err)
	}
	if !slices.Contains(c.Services["grafana"].Volumes, "./grafana/dashboards:"+prov.Providers[0].Options.Path+":ro") {
		t.Errorf("grafana does not mount the dashboards at %s", prov.Providers[0].Options.Path)
	}
	// The dashboard is valid JSON, its panels query the provisioned
	// datasource, and every panel has at least one query.
	b, err = os.ReadFile("grafana/dashboards/ganglion.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID    string `json:"uid"`
		Panels []struct {
			Type       string `json:"type"`
			Title      string `json:"title"`
			Datasource struct {
				UID string `json:"uid"`
			} `json:"datasource"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	home := c.Services["grafana"].Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
	if home != filepath.Join(prov.Providers[0].Options.Path, "ganglion.json") {
		t.Errorf("home dashboard %s is not the provisioned file", home)
	}
	for _, p := range dash.Panels {
		if p.Type == "row" {
			continue
		}
		if p.Datasource.UID != ds.Datasources[0].UID || len(p.Targets) == 0 {
			t.Errorf("panel %q: datasource %q, %d queries", p.Title, p.Datasource.UID, len(p.Targets))
		}
	}
}

// TestDockerfile: no hadolint here, so the essentials are asserted: a
// multi-stage build with module and build caches, a runtime stage that is
// not the Go image, a non-root user, a HEALTHCHECK through the binary, and
// ENTRYPOINT ganglion; EXPOSE covers the ports compose uses.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	src := regexp.MustCompile(`\\\n\s*`).ReplaceAllString(string(b), " ") // join continued lines
	var froms, users, health, entry, expose []string
	for _, l := range strings.Split(src, "\n") {
		l = strings.TrimSpace(l)
		word, rest, _ := strings.Cut(l, " ")
		switch strings.ToUpper(word) {
		case "FROM":
			froms = append(froms, rest)
		case "USER":
			users = append(users, rest)
		case "HEALTHCHECK":
			health = append(health, rest)
		case "ENTRYPOINT":
			entry = append(entry, rest)
		case "EXPOSE":
			expose = append(expose, strings.Fields(rest)...)
		}
	}
	if len(froms) < 2 || !strings.HasPrefix(froms[0], "golang:") || !strings.HasSuffix(froms[0], " AS build") {
		t.Errorf("want a golang build stage then a runtime stage, got FROM %q", froms)
	}
	if len(froms) > 0 && strings.HasPrefix(froms[len(froms)-1], "golang:") {
		t.Errorf("the runtime stage is the Go image: %q", froms[len(froms)-1])
	}
	if !strings.Contains(src, "COPY --from=build ") {
		t.Error("the runtime stage does not copy the binary from the build stage")
	}
	for _, cache := range []string{"--mount=type=cache,target=/go/pkg/mod", "--mount=type=cache,target=/root/.cache/go-build"} {
		if !strings.Contains(src, cache) {
			t.Errorf("no %s", cache)
		}
	}
	if len(users) == 0 {
		t.Error("no USER: the image runs as root")
	} else if u, _, _ := strings.Cut(users[len(users)-1], ":"); u == "root" || u == "0" {
		t.Errorf("USER %s", users[len(users)-1])
	}
	if len(health) != 1 || !strings.Contains(health[0], `CMD ["ganglion", "health"`) {
		t.Errorf("HEALTHCHECK %q: want one running `ganglion health`", health)
	}
	if len(entry) != 1 || entry[0] != `["ganglion"]` {
		t.Errorf("ENTRYPOINT %q", entry)
	}
	for _, p := range []string{"4001/tcp", "4001/udp", "8080/tcp", "8545/tcp", "9100/tcp"} {
		if !slices.Contains(expose, p) {
			t.Errorf("EXPOSE lacks %s (%v)", p, expose)
		}
	}
	if !strings.Contains(src, "CGO_ENABLED=0 go build") || !strings.Contains(src, "./cmd/ganglion") {
		t.Error("the binary is not a static build of ./cmd/ganglion")
	}
	if _, err := os.Stat("Dockerfile.dockerignore"); err != nil {
		t.Errorf("no Dockerfile.dockerignore: the whole repository (.git too) would be sent: %v", err)
	}
}

// TestBootstrapPeersAreValidators: keys.sh points every node at
// /dns4/<service>/tcp/4001, which must be validators listening there.
func TestBootstrapPeersAreValidators(t *testing.T) {
	c := loadCompose(t)
	b, err := os.ReadFile("init/keys.sh")
	if err != nil {
		t.Fatal(err)
	}
	loop := regexp.MustCompile(`for v in ([^;]+); do`).FindStringSubmatch(string(b))
	if loop == nil || !strings.Contains(string(b), `/dns4/$v/tcp/4001/p2p/$id`) {
		t.Fatal("keys.sh does not write /dns4/<validator>/tcp/4001/p2p/<id> bootstrap peers")
	}
	for _, v := range strings.Fields(loop[1]) {
		s, ok := c.Services[v]
		if !ok || s.Command[0] != "validator" || !listensOn(s.Command, "4001") {
			t.Errorf("bootstrap peer %s is not a validator service listening on tcp/4001", v)
		}
	}
}
