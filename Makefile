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

.PHONY: run test build release deps test-deps bench bench-quick clean

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

test: test-deps
	swift build --build-tests $(SWIFT_FLAGS)
	swift test --skip-build --parallel --num-workers 2 $(SWIFT_FLAGS)

bench:
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	bench/run

bench-quick:
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	bench/run --quick

clean:
	rm -rf .build
