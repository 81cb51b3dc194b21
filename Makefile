# NeedleDesk: `make run` to try it, `make test` to check it.
# GNU make; recipes run in bash with -eu -o pipefail, so any failing step stops the build.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

GO ?= go
TAGS := migrated_fynedo
BIN := bin/needledesk
ARGS ?=

# Debian/Ubuntu packages needed to build the desktop app (cgo + OpenGL + X11).
# libc6-dev is listed because gcc only recommends it and cgo cannot link without it.
BUILD_PKGS := gcc libc6-dev pkg-config libgl1-mesa-dev xorg-dev
# Extra packages the tests use: the sqlite3 shell, PDF tools, a virtual
# display for the window smoke test, a font with broad Unicode coverage, and
# the age command, which opens encrypted backups in a test as a clinic would,
# and a PostgreSQL server (with its contrib extensions: pg_trgm), which the
# PostgreSQL store's tests start a throwaway copy of (data/postgres/pgtest).
TEST_PKGS := sqlite3 poppler-utils qpdf xvfb xauth xdotool imagemagick fonts-dejavu-core age postgresql postgresql-contrib
# PostgreSQL refuses to run as root: tests run as root start their server
# as this system user.
PG_TEST_USER := needledesk-test

# apt_install installs those of the listed packages that are not installed
# yet (with sudo unless root). It does nothing when all are present, and on
# systems without apt-get it only says what to install.
define apt_install
	missing=(); \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "deps: apt-get not found; install the equivalents of these yourself: $(1)"; \
		echo "deps: (macOS: xcode-select --install; Windows: an MSYS2 mingw-w64 or TDM-GCC toolchain; see README.md)"; \
		exit 0; \
	fi; \
	for p in $(1); do \
		[[ "$$(dpkg-query -W -f='$${db:Status-Status}' "$$p" 2>/dev/null)" == installed ]] || missing+=("$$p"); \
	done; \
	if (( $${#missing[@]} == 0 )); then \
		echo "deps: all present ($(1))"; \
		exit 0; \
	fi; \
	sudo=""; \
	if [[ "$$(id -u)" != 0 ]]; then sudo=sudo; fi; \
	echo "deps: installing $${missing[*]}"; \
	$$sudo apt-get update; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$${missing[@]}"
endef

.PHONY: deps test-deps build run test fmt-check vet lint clean bench measure-app

deps:
	@$(call apt_install,$(BUILD_PKGS))

test-deps: deps
	@$(call apt_install,$(TEST_PKGS))
	@if [[ "$$(id -u)" == 0 ]] && ! id -u $(PG_TEST_USER) >/dev/null 2>&1; then \
		echo "deps: creating the system user $(PG_TEST_USER) for the PostgreSQL tests' server"; \
		useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin $(PG_TEST_USER); \
	fi

build:
	$(GO) build -tags $(TAGS) -o $(BIN) .

run: deps build
	./$(BIN) $(ARGS)

fmt-check:
	@unformatted="$$(gofmt -l .)"; \
	if [[ -n "$$unformatted" ]]; then \
		echo "gofmt: these files need formatting (run gofmt -w .):"; \
		echo "$$unformatted"; \
		exit 1; \
	fi

vet: deps
	$(GO) vet -tags $(TAGS) ./...

# staticcheck at a pinned version, run through the module proxy so that it
# is not a requirement in go.mod.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint: deps
	$(GO) run $(STATICCHECK) -tags $(TAGS) ./...

# LANG is pinned (and LC_ALL/LC_MESSAGES, which would override it, unset) so
# tests see the same locale everywhere.
test: test-deps fmt-check vet lint
	env -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 $(GO) test -tags $(TAGS) -count=1 -timeout 25m ./...

clean:
	rm -rf bin

# The speed of what the front desk waits for (search, the due-back list,
# opening a client, the aftercare sheet), as one table; README.md, "Speed",
# says how to read it. The clinic is built once with `needledesk demo` and
# kept in testdata/bench/ until the migrations or the demo generator change;
# the benchmarks run on a copy of it.
#
# STORE=postgres measures the same clinic on PostgreSQL instead: it is
# moved once with `needledesk move-to-postgres` into a server of its own
# (initdb, listening only on a Unix socket; as $(PG_TEST_USER) when run as
# root), whose data folder is kept in testdata/bench/pg-<clinic>-<key>/
# until the clinic file or the PostgreSQL migrations change. The server is
# started for the run and stopped after; the benchmark works on a copy of
# the moved database. Its table is held to twice the SQLite targets.
BENCH_CLIENTS ?= 100000
BENCH_TIME ?= 1s
BENCH_DIR := testdata/bench
STORE ?= sqlite

bench: build
	@mkdir -p $(BENCH_DIR); \
	key="$$(cat data/sqlite/migrations/*.sql data/demo/*.go | cksum | cut -d' ' -f1)"; \
	db="$(CURDIR)/$(BENCH_DIR)/clinic-$(BENCH_CLIENTS)-$$key.db"; \
	if [[ ! -f "$$db.built" ]]; then \
		rm -f $(BENCH_DIR)/clinic-$(BENCH_CLIENTS)-*; \
		echo "bench: building $$db with needledesk demo --clients $(BENCH_CLIENTS)"; \
		env -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 ./$(BIN) demo --db "$$db" --clients $(BENCH_CLIENTS) > "$$db.log"; \
		mv "$$db.log" "$$db.built"; \
	fi; \
	case "$(STORE)" in \
	sqlite) \
		echo "bench: measuring on a copy of $$db (about a minute)"; \
		NEEDLEDESK_BENCH_DB="$$db" $(GO) test -tags $(TAGS) -run '^$$' -bench '^BenchmarkHotPaths$$' -benchmem \
			-benchtime $(BENCH_TIME) -count 1 -timeout 30m ./data/sqlite > $(BENCH_DIR)/bench.txt \
			|| { cat $(BENCH_DIR)/bench.txt; exit 1; }; \
		$(GO) run ./data/sqlite/internal/benchtable -db "$$db" -built "$$db.built" < $(BENCH_DIR)/bench.txt;; \
	postgres) \
		pgbin="$$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"; \
		if [[ ! -x "$$pgbin/initdb" ]]; then echo "bench: no PostgreSQL server in /usr/lib/postgresql: run make test-deps"; exit 1; fi; \
		as=(); \
		if [[ $$EUID -eq 0 ]]; then \
			id -u $(PG_TEST_USER) > /dev/null 2>&1 || { echo "bench: PostgreSQL will not run as root, and the user $(PG_TEST_USER) is missing: run make test-deps"; exit 1; }; \
			as=(runuser -u $(PG_TEST_USER) --); \
		fi; \
		pgkey="$$(cat data/postgres/migrations/*.sql | cksum | cut -d' ' -f1)"; \
		pgdir="$(CURDIR)/$(BENCH_DIR)/pg-$$(basename "$$db" .db)-$$pgkey"; \
		sock="$$(mktemp -d /tmp/needledesk-bench-pg.XXXXXX)"; \
		url="postgres://postgres@/clinic?host=$$sock&port=5432&sslmode=disable"; \
		if [[ ! -f "$$pgdir/moved" ]]; then \
			rm -rf $(BENCH_DIR)/pg-clinic-$(BENCH_CLIENTS)-*; \
			mkdir -p "$$pgdir"; \
			echo "bench: making a PostgreSQL server for the clinic in $$pgdir"; \
			[[ $$EUID -ne 0 ]] || chown $(PG_TEST_USER): "$$pgdir"; \
			"$${as[@]}" "$$pgbin/initdb" -D "$$pgdir/data" -U postgres -A trust -E UTF8 --locale=C --no-instructions > "$$pgdir/initdb.log"; \
		fi; \
		[[ $$EUID -ne 0 ]] || chown $(PG_TEST_USER): "$$sock"; \
		trap '"$${as[@]}" "$$pgbin/pg_ctl" stop -w -m fast -D "$$pgdir/data" > /dev/null || true; rm -rf "$$sock"' EXIT; \
		echo "bench: starting the server ($$pgbin, socket in $$sock)"; \
		"$${as[@]}" "$$pgbin/pg_ctl" start -w -t 120 -D "$$pgdir/data" -l "$$pgdir/server.log" \
			-o "-k $$sock -p 5432 -c listen_addresses=''" > /dev/null; \
		if [[ ! -f "$$pgdir/moved" ]]; then \
			echo "bench: moving $$db onto the server with needledesk move-to-postgres (several minutes, once)"; \
			"$$pgbin/createdb" -h "$$sock" -p 5432 -U postgres -E UTF8 -T template0 clinic; \
			./$(BIN) pg-init --db "$$url" > "$$pgdir/move.log"; \
			started=$$SECONDS; \
			./$(BIN) move-to-postgres --from "$$db" --to "$$url" >> "$$pgdir/move.log"; \
			echo "moved $$db onto PostgreSQL $$(basename "$$(dirname "$$pgbin")") in $$((SECONDS - started)) s" >> "$$pgdir/move.log"; \
			"$$pgbin/vacuumdb" -h "$$sock" -p 5432 -U postgres --analyze --quiet clinic; \
			mv "$$pgdir/move.log" "$$pgdir/moved"; \
		fi; \
		echo "bench: measuring on a copy of the moved clinic (about a minute)"; \
		NEEDLEDESK_BENCH_PG="$$url" $(GO) test -tags $(TAGS) -run '^$$' -bench '^BenchmarkHotPaths$$' -benchmem \
			-benchtime $(BENCH_TIME) -count 1 -timeout 30m ./data/postgres > $(BENCH_DIR)/bench-postgres.txt \
			|| { cat $(BENCH_DIR)/bench-postgres.txt; exit 1; }; \
		$(GO) run ./data/sqlite/internal/benchtable -double -built "$$db.built" < $(BENCH_DIR)/bench-postgres.txt; \
		echo "server: $$("$$pgbin/psql" -h "$$sock" -p 5432 -U postgres -d clinic -XAtc "SELECT 'the database clinic, ' || pg_size_pretty(pg_database_size('clinic')) || ', ' || version()")"; \
		tail -1 "$$pgdir/moved";; \
	*) echo "bench: STORE is sqlite or postgres, not $(STORE)"; exit 1;; \
	esac

# The running app on a 2,000-client demo clinic and on the 100,000-client
# bench clinic (make bench builds it), beside an empty Fyne window built
# from the same go.mod: time to the window and to the owner signed in, and
# memory after a search and a client record, and where it is, under Xvfb.
# The clinics are brought to this build's schema on copies first, and the
# caches filled by a first start, so that each measured start is an
# ordinary one. See testdata/measure/app.sh.
measure-app: build test-deps
	@db="$$(ls $(BENCH_DIR)/clinic-$(BENCH_CLIENTS)-*.db 2>/dev/null | head -1)"; \
	if [[ -z "$$db" ]]; then echo "measure-app: run make bench first to build the clinic"; exit 1; fi; \
	small="$(BENCH_DIR)/clinic-2000.db"; \
	if [[ ! -f "$$small" ]]; then \
		env -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 ./$(BIN) demo --db "$$small.partial" --clients 2000 > /dev/null; \
		rm -f "$$small.partial.witness"; mv "$$small.partial" "$$small"; \
	fi; \
	$(GO) build -tags $(TAGS) -o bin/emptywindow ./testdata/measure/emptywindow; \
	testdata/measure/app.sh $(BIN) bin/emptywindow "$$small" "$$db"
