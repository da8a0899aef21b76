# Portcullis: the two commands (`make run`, `make test`) plus helpers.
# Both install missing Debian packages when they can (root, or passwordless sudo).
SHELL := /bin/bash
CONFIG ?= proxy.conf
SWIFT_FLAGS ?=
RUN_PACKAGES := libevent-dev libssl-dev pkg-config
TEST_PACKAGES := $(RUN_PACKAGES) curl openssl python3 pebble
# Dashboard browser tests (Tests/Browser): headless Chromium, its driver, Selenium for /usr/bin/python3.
TEST_PACKAGES += chromium chromium-driver python3-selenium
BENCH_PACKAGES := $(TEST_PACKAGES) nginx-light haproxy wrk apache2-utils procps

.PHONY: run test build release deps test-deps bench bench-quick clean fuzz fuzz-build fuzz-replay test-asan test-tsan

deps:
	@scripts/ensure-packages.sh $(RUN_PACKAGES)

test-deps:
	@scripts/ensure-packages.sh $(TEST_PACKAGES)
	@python3 -m pip install --quiet --disable-pip-version-check -r requirements-test.txt

build: deps
	swift build $(SWIFT_FLAGS)

release: deps
	swift build -c release --static-swift-stdlib $(SWIFT_FLAGS)

# Prints the dashboard's sign-in link once the proxy has created its admin token (first start).
run: release
	@bin="$$(swift build -c release --static-swift-stdlib --show-bin-path)/portcullis"; \
	{ "$$bin" dashboard-link --config $(CONFIG) --wait 30 || true; } & \
	exec "$$bin" run --config $(CONFIG)

# Swift Testing otherwise starts every test at once; on 2 cores hundreds of concurrent proxies starve
# the timing tests (drain, idle timeouts). 12 at a time is also faster overall (88 s against 118 s).
TEST_WIDTH ?= 12

test: test-deps
	swift build --build-tests $(SWIFT_FLAGS)
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(TEST_WIDTH) swift test --skip-build --parallel --num-workers 2 $(SWIFT_FLAGS)

bench:
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	bench/run

bench-quick:
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	bench/run --quick

# The whole suite under AddressSanitizer (+LeakSanitizer) or ThreadSanitizer (docs/SANITIZERS.md).
test-asan: test-deps
	nice -n 19 scripts/sanitize.sh address

test-tsan: test-deps
	nice -n 19 scripts/sanitize.sh thread

# Fuzzing (docs/FUZZING.md): each libFuzzer target for FUZZ_SECONDS (default 60); FUZZ_TARGETS picks some.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

fuzz-build: deps
	scripts/fuzz.sh build $(FUZZ_TARGETS)

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh run $(FUZZ_TARGETS)

fuzz-replay: fuzz-build
	scripts/fuzz.sh replay $(FUZZ_TARGETS)

clean:
	rm -rf .build
