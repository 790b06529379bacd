// Command bench measures Signpost against a static file server on the same pages, on this
// machine, and prints one table. `make bench` runs it.
//
// It starts the real binary on loopback with a fresh database, saves the benchmarked pages'
// HTML (and a gzip copy of each, as Signpost keeps one) as static files served by nginx on
// another loopback port, and loads each page on both servers with wrk: the same connections,
// threads, warm-up and duration, and Accept-Encoding: gzip as a browser sends. It then reads
// the server's peak RSS and times cold starts (migrate + serve on the existing database,
// until /healthz answers 200).
//
// wrk and nginx come from Debian; when missing they are installed with apt-get (as root).
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// pages are the benchmarked pages: the home page, a list, a listing and a search.
var pages = []struct{ path, file string }{
	{"/", "home.html"},
	{"/organizations", "organizations.html"},
	{"/organizations/polaris", "polaris.html"},
	{"/search?q=hotline", "search.html"},
}

// Targets from the issue, on a 2-core machine.
const (
	targetRatio   = 0.6
	targetP99     = 10 * time.Millisecond
	targetRSS     = 100 << 20
	targetStartup = 300 * time.Millisecond
)

type options struct {
	bin      string
	duration time.Duration
	warmup   time.Duration
	conns    int
	threads  int
	out      string
	starts   int
	rounds   int
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/signpost", "the signpost binary to measure")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "load time per page and server")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "warm-up load before each measurement")
	flag.IntVar(&o.conns, "c", 64, "wrk connections")
	flag.IntVar(&o.threads, "t", 2, "wrk threads")
	flag.IntVar(&o.starts, "starts", 5, "cold starts to time")
	flag.IntVar(&o.rounds, "rounds", 5, "alternating rounds the load time is split into")
	flag.StringVar(&o.out, "out", "bench.txt", "also write the report here")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	for _, t := range []struct{ cmd, pkg string }{{"wrk", "wrk"}, {"nginx", "nginx-light"}} {
		if err := ensureTool(t.cmd, t.pkg); err != nil {
			return err
		}
	}
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "signpost-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// nginx's workers drop root and must read the saved pages.
	if err := os.Chmod(dir, 0o755); err != nil { // #nosec G302 -- a throwaway folder of public pages
		return err
	}
	db := filepath.Join(dir, "signpost.db")

	sp, err := startSignpost(bin, db, freeAddr())
	if err != nil {
		return err
	}
	defer sp.stop()

	htdocs := filepath.Join(dir, "htdocs")
	if err := savePages(sp.url, htdocs); err != nil {
		return err
	}
	ng, err := startNginx(dir, htdocs)
	if err != nil {
		return err
	}
	defer ng.stop()

	var rep bytes.Buffer
	out := io.MultiWriter(os.Stdout, &rep)
	fmt.Fprintf(out, "Signpost bench, %s, commit %s, %s, %d CPUs\n", time.Now().UTC().Format(time.RFC3339), gitCommit(), runtime.Version(), runtime.NumCPU())
	// The machine may be shared: the load before the run says how far to trust it.
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(la))
		fmt.Fprintf(out, "load average before the run: %s", strings.Join(f[:3], " "))
		if one, _ := strconv.ParseFloat(f[0], 64); one > float64(runtime.NumCPU())/2 {
			fmt.Fprint(out, " (busy: other work shares the CPUs with both servers and wrk, so expect noise)")
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "wrk -t%d -c%d --latency -H 'Accept-Encoding: gzip', %s per page and server after a %s warm-up, in %d alternating rounds;\n"+
		"static = nginx (gzip_static) serving each page's saved HTML. r/s over all rounds; p50 and p99 the median of the rounds', p99 max the worst round's.\n\n",
		o.threads, o.conns, o.duration, o.warmup, o.rounds)
	fmt.Fprintf(out, "%-24s %12s %9s %9s %9s   %12s %9s %9s %9s   %6s\n", "page", "signpost r/s", "p50", "p99", "p99 max", "static r/s", "p50", "p99", "p99 max", "ratio")

	var fails []string
	for _, p := range pages {
		targets := []string{sp.url + p.path, ng.url + "/" + p.file}
		for _, target := range targets {
			if o.warmup > 0 {
				if _, err := runWrk(o, target, o.warmup); err != nil {
					return err
				}
			}
		}
		// The two servers take turns, round by round, so that other work on the machine
		// weighs on both alike rather than on whichever ran while it was busy.
		var rounds [2][]wrkResult
		for range o.rounds {
			for i, target := range targets {
				r, err := runWrk(o, target, o.duration/time.Duration(o.rounds))
				if err != nil {
					return err
				}
				if r.errors > 0 {
					fails = append(fails, fmt.Sprintf("%s: %d errors or non-2xx responses from %s", p.path, r.errors, target))
				}
				rounds[i] = append(rounds[i], r)
			}
		}
		res := [2]wrkResult{combine(rounds[0]), combine(rounds[1])}
		ratio := res[0].rps / res[1].rps
		fmt.Fprintf(out, "%-24s %12.0f %9s %9s %9s   %12.0f %9s %9s %9s   %5.2fx\n", p.path,
			res[0].rps, ms(res[0].p50), ms(res[0].p99), ms(res[0].p99max), res[1].rps, ms(res[1].p50), ms(res[1].p99), ms(res[1].p99max), ratio)
		if ratio < targetRatio {
			fails = append(fails, fmt.Sprintf("%s: %.2fx the static server's throughput, target %.1fx", p.path, ratio, targetRatio))
		}
		if res[0].p99 >= targetP99 {
			fails = append(fails, fmt.Sprintf("%s: p99 %s, target < %s", p.path, ms(res[0].p99), ms(targetP99)))
		}
	}

	rss, err := peakRSS(sp.cmd.Process.Pid)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\npeak RSS of the server under load (VmHWM): %.1f MB (target < %d MB)\n", float64(rss)/(1<<20), targetRSS>>20)
	if rss >= targetRSS {
		fails = append(fails, fmt.Sprintf("peak RSS %.1f MB", float64(rss)/(1<<20)))
	}
	if err := sp.stop(); err != nil {
		return fmt.Errorf("signpost did not stop cleanly: %w", err)
	}

	starts, err := coldStarts(bin, db, o.starts)
	if err != nil {
		return err
	}
	slices.Sort(starts)
	fmt.Fprintf(out, "cold start (migrate + serve on the existing database, until /healthz answers 200), %d runs: median %s, max %s (target < %s)\n",
		len(starts), ms(starts[len(starts)/2]), ms(starts[len(starts)-1]), ms(targetStartup))
	if starts[len(starts)-1] >= targetStartup {
		fails = append(fails, fmt.Sprintf("cold start up to %s", ms(starts[len(starts)-1])))
	}

	if len(fails) == 0 {
		fmt.Fprintln(out, "\nevery target met")
	} else {
		fmt.Fprintln(out, "\ntargets missed:")
		for _, f := range fails {
			fmt.Fprintln(out, "  -", f)
		}
	}
	if o.out != "" {
		if err := os.WriteFile(o.out, rep.Bytes(), 0o644); err != nil { // #nosec G306 -- a report for people to read
			return err
		}
		fmt.Printf("(written to %s)\n", o.out)
	}
	return nil
}

// ensureTool installs Debian's pkg when cmd is not on PATH.
func ensureTool(cmd, pkg string) error {
	if _, err := exec.LookPath(cmd); err == nil {
		return nil
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("%s is missing: run as root, or apt-get install %s", cmd, pkg)
	}
	fmt.Fprintf(os.Stderr, "installing %s with apt-get\n", pkg)
	// The lock timeout lets a concurrent apt run (another engineer's) finish first.
	install := func(p string) error {
		c := exec.Command("apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", p) // #nosec G204 -- fixed package names
		c.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		c.Stdout, c.Stderr = os.Stderr, os.Stderr
		return c.Run()
	}
	if err := install(pkg); err != nil {
		// The package lists may be stale, or the light flavour gone: update, try again, then
		// fall back to the plain package.
		up := exec.Command("apt-get", "-o", "DPkg::Lock::Timeout=300", "update")
		up.Stdout, up.Stderr = os.Stderr, os.Stderr
		if err := up.Run(); err != nil {
			return err
		}
		if err := install(pkg); err != nil && pkg == "nginx-light" {
			return install("nginx")
		} else if err != nil {
			return err
		}
	}
	if _, err := exec.LookPath(cmd); err != nil {
		// nginx lives in /usr/sbin, which a non-login PATH may lack.
		if _, serr := os.Stat("/usr/sbin/" + cmd); serr != nil {
			return err
		}
	}
	return nil
}

func findTool(cmd string) string {
	if p, err := exec.LookPath(cmd); err == nil {
		return p
	}
	return "/usr/sbin/" + cmd
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type server struct {
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
	exited chan struct{} // closed when the process has exited
	err    error         // its exit error, once exited is closed
}

// startSignpost starts the binary on addr and waits until /healthz answers. Rate limits are
// off: wrk is one client on one address, which the limiter would rightly throttle.
func startSignpost(bin, db, addr string) (*server, error) {
	s := &server{url: "http://" + addr, stderr: new(bytes.Buffer)}
	s.cmd = exec.Command(bin, "--addr", addr, "--db", db, "--rate-limit=false") // #nosec G204 -- the binary under test
	s.cmd.Stderr = s.stderr
	if err := s.start(); err != nil {
		return nil, err
	}
	if _, err := waitHealthy(s.url, 30*time.Second, s.exited); err != nil {
		_ = s.stop()
		return nil, fmt.Errorf("signpost: %w\n%s", err, s.stderr)
	}
	return s, nil
}

func (s *server) start() error {
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.exited = make(chan struct{})
	go func() { s.err = s.cmd.Wait(); close(s.exited) }()
	return nil
}

// stop sends SIGTERM and waits for the process; it returns the process's exit error.
func (s *server) stop() error {
	select {
	case <-s.exited:
		return s.err
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		return s.err
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		return errors.New("no exit 20 s after SIGTERM")
	}
}

// waitHealthy polls /healthz every millisecond until it answers 200 and returns how long
// that took.
func waitHealthy(base string, limit time.Duration, exited <-chan struct{}) (time.Duration, error) {
	start := time.Now()
	client := &http.Client{Timeout: time.Second}
	for time.Since(start) < limit {
		select {
		case <-exited:
			return 0, errors.New("exited before answering")
		default:
		}
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		time.Sleep(time.Millisecond)
	}
	return 0, fmt.Errorf("/healthz did not answer 200 within %s", limit)
}

// savePages saves each page's HTML, and a gzip copy for gzip_static, as the static server's
// files.
func savePages(base, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil { // #nosec G301 -- nginx's workers read it
		return err
	}
	for _, p := range pages {
		req, err := http.NewRequest(http.MethodGet, base+p.path, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept-Encoding", "identity")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", p.path, resp.Status)
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		if _, err := zw.Write(body); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		name := filepath.Join(dir, p.file)
		if err := os.WriteFile(name, body, 0o644); err != nil { // #nosec G306 -- public pages for nginx
			return err
		}
		if err := os.WriteFile(name+".gz", gz.Bytes(), 0o644); err != nil { // #nosec G306 -- as above
			return err
		}
	}
	return nil
}

// nginxConf is a plain static server: as many workers as CPUs, precompressed files, no
// access log (Signpost logs no requests by default either), keep-alive connections not cut
// short.
const nginxConf = `worker_processes auto;
pid nginx.pid;
error_log error.log warn;
daemon off;
events { worker_connections 1024; }
http {
    types { text/html html; }
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    gzip_static on;
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    server {
        listen %s;
        root %s;
    }
}
`

func startNginx(dir, htdocs string) (*server, error) {
	addr := freeAddr()
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil { // #nosec G301 -- nginx's scratch space
		return nil, err
	}
	if err := os.WriteFile(conf, fmt.Appendf(nil, nginxConf, addr, htdocs), 0o644); err != nil { // #nosec G306 -- read by nginx
		return nil, err
	}
	s := &server{url: "http://" + addr, stderr: new(bytes.Buffer)}
	s.cmd = exec.Command(findTool("nginx"), "-p", dir, "-c", conf) // #nosec G204 -- our own config
	s.cmd.Stderr = s.stderr
	if err := s.start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodGet, s.url+"/"+pages[0].file, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
				_ = s.stop()
				return nil, fmt.Errorf("nginx: %s, Content-Encoding %q", resp.Status, resp.Header.Get("Content-Encoding"))
			}
			return s, nil
		}
		if time.Now().After(deadline) {
			_ = s.stop()
			logs, _ := os.ReadFile(filepath.Join(dir, "error.log")) // #nosec G304 -- our own temporary folder
			return nil, fmt.Errorf("nginx did not start: %v\n%s%s", err, s.stderr, logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type wrkResult struct {
	rps      float64
	requests int64
	secs     float64
	p50, p99 time.Duration
	p99max   time.Duration // combine's: the worst round's p99
	errors   int
}

// combine merges rounds: throughput over all of them, the median round's latencies.
func combine(rounds []wrkResult) wrkResult {
	var out wrkResult
	var p50s, p99s []time.Duration
	for _, r := range rounds {
		out.requests += r.requests
		out.secs += r.secs
		out.errors += r.errors
		p50s, p99s = append(p50s, r.p50), append(p99s, r.p99)
	}
	if out.secs > 0 {
		out.rps = float64(out.requests) / out.secs
	}
	slices.Sort(p50s)
	slices.Sort(p99s)
	out.p50, out.p99, out.p99max = p50s[len(p50s)/2], p99s[len(p99s)/2], p99s[len(p99s)-1]
	return out
}

var (
	reRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	reLatency = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	reTotal   = regexp.MustCompile(`(\d+) requests in ([0-9.]+)(ms|s|m),`)
	reNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	reSocket  = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func runWrk(o options, url string, d time.Duration) (wrkResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	secs := strconv.Itoa(max(1, int(d.Round(time.Second)/time.Second)))
	c := exec.CommandContext(ctx, findTool("wrk"), "-t", strconv.Itoa(o.threads), "-c", strconv.Itoa(o.conns), // #nosec G204 -- our own arguments
		"-d", secs+"s", "--latency", "-H", "Accept-Encoding: gzip", url)
	b, err := c.CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %w\n%s", url, err, b)
	}
	return parseWrk(string(b))
}

func parseWrk(s string) (wrkResult, error) {
	var r wrkResult
	m := reRPS.FindStringSubmatch(s)
	if m == nil {
		return r, fmt.Errorf("no Requests/sec in wrk's output:\n%s", s)
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	if m := reTotal.FindStringSubmatch(s); m != nil {
		r.requests, _ = strconv.ParseInt(m[1], 10, 64)
		r.secs, _ = strconv.ParseFloat(m[2], 64)
		switch m[3] {
		case "ms":
			r.secs /= 1000
		case "m":
			r.secs *= 60
		}
	} else {
		return r, fmt.Errorf("no request count in wrk's output:\n%s", s)
	}
	for _, m := range reLatency.FindAllStringSubmatch(s, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		unit := map[string]float64{"us": 1e3, "ms": 1e6, "s": 1e9}[m[3]]
		d := time.Duration(v * unit)
		if m[1] == "50" {
			r.p50 = d
		} else {
			r.p99 = d
		}
	}
	if m := reNon2xx.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		r.errors += n
	}
	if m := reSocket.FindStringSubmatch(s); m != nil {
		for _, x := range m[1:] {
			n, _ := strconv.Atoi(x)
			r.errors += n
		}
	}
	return r, nil
}

// peakRSS reads the process's high-water resident set size from /proc.
func peakRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// coldStarts starts the binary n times on the existing database and times each from exec
// to the first 200 from /healthz.
func coldStarts(bin, db string, n int) ([]time.Duration, error) {
	var out []time.Duration
	for range n {
		addr := freeAddr()
		s := &server{url: "http://" + addr, stderr: new(bytes.Buffer)}
		s.cmd = exec.Command(bin, "--addr", addr, "--db", db) // #nosec G204 -- the binary under test
		s.cmd.Stderr = s.stderr
		start := time.Now()
		if err := s.start(); err != nil {
			return nil, err
		}
		if _, err := waitHealthy(s.url, 10*time.Second, s.exited); err != nil {
			_ = s.stop()
			return nil, fmt.Errorf("cold start: %w\n%s", err, s.stderr)
		}
		out = append(out, time.Since(start))
		if err := s.stop(); err != nil {
			return nil, fmt.Errorf("stop after cold start: %w", err)
		}
	}
	return out, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/1e6) }

func gitCommit() string {
	b, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	s := strings.TrimSpace(string(b))
	if exec.Command("git", "diff", "--quiet", "HEAD").Run() != nil {
		s += "+changes"
	}
	return s
}
