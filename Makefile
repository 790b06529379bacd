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

.PHONY: run build generate test check test-go tools fuzz clean bench

## run: build and serve on http://localhost:8080 (database in data/signpost.db)
run: build
	./$(BIN)

## build: the one binary (templates, migrations, seeds and static files embedded)
build:
	$(GO) build -tags $(TAGS) -o $(BIN) ./cmd/signpost

## generate: regenerate the templ components
generate:
	$(GO) tool templ generate

## test: every check and every test
test: check test-go

## check: generated code up to date, gofmt, go vet, staticcheck, gosec
check: $(TOOLS)/staticcheck $(TOOLS)/gosec
	$(GO) tool templ generate
	@if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- '*_templ.go'; then \
		echo "generated templ files were out of date: run 'make generate' and commit"; git diff --stat -- '*_templ.go'; exit 1; fi
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "not gofmt-ed:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	$(TOOLS)/staticcheck -tags $(TAGS) ./...
	@# Each finding is fixed or answered where it is, with "// #nosec Gxxx -- why".
	$(TOOLS)/gosec -quiet -exclude-generated -tags $(TAGS) ./...

## test-go: the Go tests (real SQLite, the real router, the real binary, Litestream, real
## Chromium where a browser matters)
test-go: $(LITESTREAM)
	$(GO) test -tags $(TAGS) -count=1 ./...

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

clean:
	rm -rf bin .tools
