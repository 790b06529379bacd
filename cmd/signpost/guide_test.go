package main

import (
	"bufio"
	"bytes"
	"context"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// guideBlock is one `sh` box of docs/DEPLOY.md.
type guideBlock struct {
	line     int
	computer bool // "sh on-your-computer": runs in the source folder, not on the server
	script   string
}

// guideBlocks returns the sh boxes of the guide, in order.
func guideBlocks(t *testing.T, path string) []guideBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []guideBlock
	var cur *guideBlock
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```sh"):
			cur = &guideBlock{line: n, computer: strings.Contains(line, "on-your-computer")}
		case cur != nil && line == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.script += line + "\n"
		}
	}
	if len(blocks) < 8 {
		t.Fatalf("only %d sh boxes in %s", len(blocks), path)
	}
	return blocks
}

// serverPaths are the server's folders the guide writes to; the test moves them under a
// temporary root.
var serverPaths = []string{"/usr/local/bin", "/etc/signpost", "/etc/systemd/system", "/var/lib/signpost", "/var/backups/signpost"}

// Stand-ins for what a test cannot do on a shared machine: be systemd, switch users, make a
// system user, copy over ssh. Everything else is the real command.
const guideStubs = `
-- sudo
#!/bin/bash
# sudo [-u USER] CMD…: the test runs as one user.
[ "$1" = -u ] && shift 2
exec "$@"
-- useradd
#!/bin/bash
echo "(test) useradd $*"
-- chown
#!/bin/bash
echo "(test) chown $*"
-- install
#!/bin/bash
# install without -o/-g: the test has no signpost user.
args=()
while [ $# -gt 0 ]; do
  case "$1" in -o|-g) shift 2 ;; *) args+=("$1"); shift ;; esac
done
exec /usr/bin/install "${args[@]}"
-- scp
#!/bin/bash
# scp [-r] FILES… HOST: copies into the "server's" home folder.
r=
[ "$1" = -r ] && { r=-r; shift; }
files=("${@:1:$#-1}")
exec cp $r "${files[@]}" "$GUIDE_HOME/"
-- curl
#!/bin/bash
# curl reaching help.example.org on this machine, trusting Pebble's root only.
exec /usr/bin/curl --connect-to "help.example.org:443:127.0.0.1:$GUIDE_HTTPS_PORT" \
  --connect-to "help.example.org:80:127.0.0.1:$GUIDE_HTTP_PORT" --cacert "$GUIDE_ROOT_CA" "$@"
-- systemctl
#!/bin/bash
# systemctl for the test: starts a unit's ExecStart with its Environment= and
# EnvironmentFile= in the background.
set -e
units="$GUIDE_ROOT/etc/systemd/system"; run="$GUIDE_ROOT/run"; mkdir -p "$run"
cmd=$1; shift
names=()
for a in "$@"; do case "$a" in --now|--no-pager) ;; *) names+=("${a%.service}") ;; esac; done
start() {
  f="$units/$1.service"
  [ -f "$f" ] || { echo "no unit $1" >&2; exit 1; }
  state=$(sed -n 's/^StateDirectory=//p' "$f")
  [ -n "$state" ] && mkdir -p "$GUIDE_ROOT/var/lib/$state"
  (
    set -a
    while IFS= read -r l; do
      case "$l" in
        Environment=*) export "${l#Environment=}" ;;
        EnvironmentFile=-*) ef="${l#EnvironmentFile=-}"; [ -f "$ef" ] && . "$ef" ;;
        EnvironmentFile=*) . "${l#EnvironmentFile=}" ;;
        WorkingDirectory=*) cd "${l#WorkingDirectory=}" ;;
      esac
    done < "$f"
    set +a
    exec $(sed -n 's/^ExecStart=//p' "$f") >>"$run/$1.log" 2>&1
  ) &
  echo $! > "$run/$1.pid"
  sleep 1
  kill -0 "$(cat "$run/$1.pid")" 2>/dev/null || { echo "$1 failed to start:" >&2; cat "$run/$1.log" >&2; exit 1; }
  echo "(test) started $1"
}
stop() {
  [ -f "$run/$1.pid" ] || return 0
  pid=$(cat "$run/$1.pid"); rm "$run/$1.pid"
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || { echo "(test) stopped $1"; return 0; }; sleep 0.1; done
  echo "$1 did not stop" >&2; exit 1
}
case "$cmd" in
  daemon-reload) ;;
  enable) for n in "${names[@]}"; do start "$n"; done ;;
  start) for n in "${names[@]}"; do start "$n"; done ;;
  stop) for n in "${names[@]}"; do stop "$n"; done ;;
  restart) for n in "${names[@]}"; do stop "$n"; start "$n"; done ;;
  status|is-active) for n in "${names[@]}"; do kill -0 "$(cat "$run/$n.pid")" && echo "$n: active (running)"; done ;;
  *) echo "systemctl stand-in: $cmd not known" >&2; exit 1 ;;
esac
`

// TestDeployGuide runs every command of docs/DEPLOY.md, in order: from an empty folder to the
// site served over HTTPS with a certificate from a real ACME CA (Pebble standing in for
// Let's Encrypt), a first admin, Litestream replicating, a restore, an upgrade and a roll
// back. The server's folders live under a temporary root; systemd, sudo and scp are small
// stand-ins (guideStubs).
func TestDeployGuide(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the deployment guide")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	blocks := guideBlocks(t, filepath.Join(repo, "docs", "DEPLOY.md"))

	httpAddr, httpsAddr := freeAddr(t), freeAddr(t)
	_, httpPort, _ := net.SplitHostPort(httpAddr)
	_, httpsPort, _ := net.SplitHostPort(httpsAddr)
	ca := startPebble(t, httpPort, httpsPort)

	root := t.TempDir()
	home, dist, stubs := filepath.Join(root, "home", "admin"), filepath.Join(root, "dist"), filepath.Join(root, "stubs")
	for _, d := range []string{home, stubs, filepath.Join(root, "usr/local/bin"), filepath.Join(root, "etc/systemd/system")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, part := range strings.Split(guideStubs, "\n-- ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		if err := os.WriteFile(filepath.Join(stubs, name), []byte(body), 0o755); err != nil { // #nosec G306 -- test stand-ins must be executable
			t.Fatal(err)
		}
	}
	rootCA := filepath.Join(root, "pebble-root.pem")
	if err := os.WriteFile(rootCA, ca.issuingRootPEM(t), 0o600); err != nil {
		t.Fatal(err)
	}
	rewrite := func(s string) string {
		for _, p := range serverPaths {
			s = strings.ReplaceAll(s, p, root+p)
		}
		return s
	}
	env := append(os.Environ(),
		"PATH="+stubs+":"+root+"/usr/local/bin:"+os.Getenv("PATH"),
		"GUIDE_ROOT="+root, "GUIDE_HOME="+home, "GUIDE_ROOT_CA="+rootCA,
		"GUIDE_HTTPS_PORT="+httpsPort, "GUIDE_HTTP_PORT="+httpPort,
		// `make release` writes to dist/ in the source folder; here to the test's.
		"DIST="+dist,
		// What stands between this test and a real server: Pebble instead of Let's
		// Encrypt, loopback ports instead of 443 and 80.
		"SIGNPOST_ACME_DIRECTORY="+ca.directory, "SIGNPOST_ACME_CA="+ca.minica,
		"SIGNPOST_HTTPS_ADDR="+httpsAddr, "SIGNPOST_HTTP_ADDR="+httpAddr,
	)
	t.Cleanup(func() {
		stop := exec.Command(filepath.Join(stubs, "systemctl"), "stop", "litestream", "signpost") // #nosec G204 -- the test's own stand-in
		stop.Env = env
		_ = stop.Run()
	})
	var transcript bytes.Buffer
	for _, b := range blocks {
		script := b.script
		dir := home
		if b.computer {
			dir = repo
			script = strings.ReplaceAll(script, "dist/", dist+"/")
			script = strings.ReplaceAll(script, `"$PWD/dist"`, dist)
		} else {
			script = rewrite(script)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "-euxo", "pipefail", "-c", script) // #nosec G204 -- the guide's own commands
		// A service the block started keeps running; its output goes to its own log.
		cmd.WaitDelay = time.Second
		cmd.Dir, cmd.Env = dir, env
		// The first admin's password, read from standard input as from a pipe.
		cmd.Stdin = strings.NewReader("a long pass phrase for the first admin\n")
		start := time.Now()
		out, err := cmd.CombinedOutput()
		cancel()
		where := "server"
		if b.computer {
			where = "computer"
		}
		transcript.WriteString("### DEPLOY.md line " + strconv.Itoa(b.line) + " (" + where + ", " + time.Since(start).Round(time.Millisecond).String() + ")\n")
		transcript.Write(out)
		t.Logf("DEPLOY.md line %d: %s, %v", b.line, time.Since(start).Round(time.Millisecond), err)
		if err != nil {
			logs, _ := os.ReadFile(filepath.Join(root, "run", "signpost.log"))
			t.Fatalf("DEPLOY.md line %d: %v\n%s\n--- signpost log:\n%s", b.line, err, transcript.String(), logs)
		}
		// The guide copies config files as they are; on this machine their paths move too.
		_ = filepath.WalkDir(filepath.Join(root, "etc"), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p) // #nosec G304 -- the test's own files
			if err == nil && !strings.Contains(string(data), root) {
				err = os.WriteFile(p, []byte(rewrite(string(data))), 0o600) // #nosec G703 -- the test's own files
			}
			return err
		})
	}
	t.Logf("the guide, run:\n%s", transcript.String())
	// After the roll back, the site serves v1.0.0 over HTTPS with the admin made in step 5.
	check := exec.Command(filepath.Join(stubs, "curl"), "-fsS", "https://help.example.org/healthz") // #nosec G204 -- the test's stand-in
	check.Env = env
	out, err := check.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "signpost v1.0.0") {
		t.Errorf("after the roll back: %v %s", err, out)
	}
}

// The unit files pass systemd's own check (systemd-analyze verify, in a scratch root with
// the two programs in place): no unknown key, no bad value, no missing dependency.
func TestUnitFilesVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (Debian: apt-get install systemd)")
	}
	root := t.TempDir()
	for _, d := range []string{"usr/local/bin", "etc/systemd/system", "usr/lib"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// systemd's own units (sysinit.target…), which every service depends on.
	if out, err := exec.Command("cp", "-a", "/usr/lib/systemd", filepath.Join(root, "usr/lib/")).CombinedOutput(); err != nil { // #nosec G204 -- fixed arguments
		t.Skipf("no systemd units to verify against: %v %s", err, out)
	}
	for _, bin := range []string{"signpost", "litestream"} {
		if err := os.WriteFile(filepath.Join(root, "usr/local/bin", bin), []byte("#!/bin/sh\n"), 0o755); err != nil { // #nosec G306 -- a stand-in executable
			t.Fatal(err)
		}
	}
	for _, unit := range []string{"signpost.service", "litestream.service"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "deploy", unit))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "etc/systemd/system", unit), data, 0o644); err != nil { // #nosec G306 -- unit files are world-readable
			t.Fatal(err)
		}
	}
	out, err := exec.Command(analyze, "verify", "--root="+root, "signpost.service", "litestream.service").CombinedOutput() // #nosec G204 -- fixed arguments
	// verify only warns about an unknown key; any word about our units is a failure.
	if err != nil || strings.Contains(string(out), "signpost.service") || strings.Contains(string(out), "litestream.service") {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	// systemd's own measure of how exposed a service is, from 0 (locked down) to 10; 1.7
	// and 1.9 when written. Fails above 2.5, so that hardening cannot slip unnoticed.
	for _, unit := range []string{"signpost.service", "litestream.service"} {
		out, err := exec.Command(analyze, "security", "--offline=yes", "--threshold=25", "--root="+root, unit).CombinedOutput() // #nosec G204 -- fixed arguments
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		t.Logf("%s", lines[len(lines)-1])
		if err != nil {
			t.Errorf("systemd-analyze security %s: %v\n%s", unit, err, out)
		}
	}
}
