# Signpost. `make run` serves the site; `make test` installs what the tests need and runs
# every test. Both work on a fresh Debian machine with Go.

GO       ?= go
TAGS     := sqlite_fts5
TOOLS    := $(CURDIR)/.tools
BIN      := bin/signpost
export CGO_ENABLED := 1

STATICCHECK_VERSION := v0.7.0
# gosec's newest releases do not install with this Go; v2.29.0 does.
GOSEC_VERSION       := v2.29.0
# Litestream, for the replication test; the test pins the same version.
LITESTREAM_VERSION  := v0.5.18
LITESTREAM          := $(TOOLS)/litestream-$(LITESTREAM_VERSION)/litestream

# The browser tests' tools. Chromium and Java come from Debian; the npm packages are pinned
# and installed into .tools/, never into the repository. lighthouse 12 is the last major that
# runs on Debian's Node 20; it is only for `make audit`.
AXE_VERSION        := 4.11.1
VNU_VERSION        := 26.9.27
LIGHTHOUSE_VERSION := 12.8.2
NPM_STAMP          := $(TOOLS)/npm/node_modules/.installed-axe-$(AXE_VERSION)-vnu-$(VNU_VERSION)
LIGHTHOUSE_STAMP   := $(TOOLS)/lighthouse/node_modules/.installed-$(LIGHTHOUSE_VERSION)
SUDO               := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL        := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends
NPM_INSTALL        := npm install --no-save --no-audit --no-fund --loglevel=error

.PHONY: run build generate test check test-go tools browser-tools deploy-tools audit fuzz bench bench-search clean release

## run: build and serve on http://localhost:8080 (database in data/signpost.db)
run: build
	./$(BIN)

## build: the one binary (templates, migrations, seeds and static files embedded)
build:
	$(GO) build -tags $(TAGS) -o $(BIN) ./cmd/signpost

# Release builds: the version (a git tag, else the commit), the commit and the build date go
# into `signpost version` and /healthz. No -trimpath, so a release after the tests only links.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  := $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
DATE    := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
DIST    ?= dist
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

## release: versioned Linux binaries in dist/ with their SHA-256 sums: amd64, and arm64 when
## a cross C compiler is installed (Debian: gcc-aarch64-linux-gnu). See docs/DEPLOY.md.
release:
	mkdir -p $(DIST)
	GOOS=linux GOARCH=amd64 $(GO) build -tags $(TAGS) -ldflags '$(LDFLAGS)' -o $(DIST)/signpost-$(VERSION)-linux-amd64 ./cmd/signpost
	@if command -v aarch64-linux-gnu-gcc >/dev/null; then \
		echo "building linux-arm64"; \
		CC=aarch64-linux-gnu-gcc GOOS=linux GOARCH=arm64 $(GO) build -tags $(TAGS) -ldflags '$(LDFLAGS)' -o $(DIST)/signpost-$(VERSION)-linux-arm64 ./cmd/signpost; \
	else echo "linux-arm64 skipped: no aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu)"; fi
	cd $(DIST) && sha256sum signpost-$(VERSION)-linux-* > signpost-$(VERSION).sha256
	@ls -l $(DIST)/signpost-$(VERSION)-*

## generate: regenerate the templ components
generate:
	$(GO) tool templ generate

## test: every check and every test
test: check test-go

## check: generated code up to date, gofmt, go vet, staticcheck, gosec
check: $(TOOLS)/staticcheck $(TOOLS)/gosec
	@sum() { find . -name '*_templ.go' -not -path './.tools/*' -not -path './node_modules/*' | sort | xargs cat | sha256sum; }; \
	before=$$(sum); $(GO) tool templ generate >/dev/null 2>&1 || exit 1; \
	if [ "$$before" != "$$(sum)" ]; then echo "generated templ files were out of date: run 'make generate' and commit"; exit 1; fi
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "not gofmt-ed:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	$(TOOLS)/staticcheck -tags $(TAGS) ./...
	@# Each finding is fixed or answered where it is, with "// #nosec Gxxx -- why".
	$(TOOLS)/gosec -quiet -exclude-generated -tags $(TAGS) ./...

## test-go: the Go tests (real SQLite, the real router, the real binary, Litestream, real
## Chromium where a browser matters)
# The browser tests take a few minutes on a quiet 2-core machine; the longer timeout keeps a
# busy machine from cutting them off at go test's default 10 minutes.
test-go: browser-tools deploy-tools $(LITESTREAM)
	$(GO) test -tags $(TAGS) -count=1 -timeout 30m ./...

## deploy-tools: systemd-analyze, for the test that checks deploy/*.service, if missing
deploy-tools:
	@command -v systemd-analyze >/dev/null || { $(SUDO) apt-get update && $(APT_INSTALL) systemd; }

## browser-tools: Chromium, Java, Node and the npm tools of the browser tests, if missing
browser-tools: $(NPM_STAMP)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(APT_INSTALL) chromium; }
	@command -v java >/dev/null || { $(SUDO) apt-get update && $(APT_INSTALL) default-jre-headless; }

$(NPM_STAMP):
	@command -v npm >/dev/null || { $(SUDO) apt-get update && $(APT_INSTALL) nodejs npm; }
	mkdir -p $(TOOLS)/npm
	$(NPM_INSTALL) --prefix $(TOOLS)/npm axe-core@$(AXE_VERSION) vnu-jar@$(VNU_VERSION)
	touch $@

$(LIGHTHOUSE_STAMP):
	@command -v npm >/dev/null || { $(SUDO) apt-get update && $(APT_INSTALL) nodejs npm; }
	mkdir -p $(TOOLS)/lighthouse
	$(NPM_INSTALL) --prefix $(TOOLS)/lighthouse lighthouse@$(LIGHTHOUSE_VERSION)
	touch $@

## audit: Lighthouse (mobile) on the home page, a listing, /hotlines and a search; prints the
## four scores per page and fails below accessibility, SEO and best practices 100 or
## performance 98. Slow, so not part of `make test`.
audit: browser-tools $(LIGHTHOUSE_STAMP)
	$(GO) test -tags '$(TAGS) audit' -count=1 -run TestLighthouse -v ./internal/browsertest

$(TOOLS)/staticcheck:
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(TOOLS)/gosec:
	GOBIN=$(TOOLS) $(GO) install github.com/securego/gosec/v2/cmd/gosec@$(GOSEC_VERSION)

# Built once (about 90 s); the folder name carries the version, so a new pin rebuilds.
$(LITESTREAM):
	GOBIN=$(dir $(LITESTREAM)) $(GO) install github.com/benbjohnson/litestream/cmd/litestream@$(LITESTREAM_VERSION)

## bench: load the real binary and nginx (static copies of the same pages) with wrk; prints
## requests/s, p50, p99 and the ratio per page, peak RSS and cold start (also in bench.txt).
## Installs Debian's wrk and nginx-light when missing (as root). Takes about two minutes.
bench: build
	$(GO) run ./scripts/bench -bin $(BIN) -out bench.txt

## fuzz: run each fuzz target for a short while
fuzz:
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzParse -fuzztime 20s ./internal/phone
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzToHTML -fuzztime 20s ./internal/markdown
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzParseListing -fuzztime 20s ./internal/admin
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzChannelKey -fuzztime 10s ./internal/admin
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzMergeChannels -fuzztime 20s ./internal/admin
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzExitURL -fuzztime 10s ./internal/admin
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzSecondStepCode -fuzztime 10s ./internal/admin
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzMatchExpression -fuzztime 20s ./internal/store
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzNumbersIn -fuzztime 10s ./internal/phone
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzLabelProblem -fuzztime 10s ./internal/directory
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzSearch -fuzztime 20s ./internal/store
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzFindEntries -fuzztime 20s ./internal/store
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzFindPlace -fuzztime 10s ./internal/store
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzParseUpload -fuzztime 20s ./internal/hsds
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzImportPreview -fuzztime 20s ./internal/hsds
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzHoldThenApply -fuzztime 20s ./internal/store
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzRead -fuzztime 20s ./internal/sheet

## bench-search: search at 1,000 and 100,000 listings, p50/p95/p99 per search (the store's
## Search, then the whole /search page). The first run
## builds the 100,000-listing database (about two minutes) into internal/store/testdata/
## (git-ignored) and reuses it after; not part of `make test`.
bench-search:
	$(GO) test -tags $(TAGS) -run '^$$' -bench 'BenchmarkSearch(1k|100k)$$' -benchtime 2200x ./internal/store
	$(GO) test -tags $(TAGS) -run '^$$' -bench 'BenchmarkSearchPage' -benchtime 1000x ./internal/web

clean:
	rm -rf bin .tools dist
