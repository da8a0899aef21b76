#!/usr/bin/env bash
# libFuzzer targets for every parser (docs/FUZZING.md).
#
#   scripts/fuzz.sh build [TARGET...]          build the instrumented modules and link the targets
#   scripts/fuzz.sh run [TARGET...]            fuzz each target for FUZZ_SECONDS (default 60)
#   scripts/fuzz.sh replay [TARGET...]         run every seed and regression input once (no fuzzing)
#   scripts/fuzz.sh list                       the target names
#
# The modules are built by SwiftPM in their own scratch folder (.build-fuzz) with coverage
# instrumentation and AddressSanitizer; the targets (Fuzz/Targets/*.swift, each defining
# LLVMFuzzerTestOneInput) are linked by swiftc against those object files, so Package.swift and the
# normal build know nothing of them. Crashes found by `run` are copied to Fuzz/regressions/TARGET/.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SCRATCH=$ROOT/.build-fuzz
BIN=$SCRATCH/fuzz
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
# Per-input limits: a parser that needs more than this on one input is a finding too.
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-8192}

ALL_TARGETS=(request-head response-head chunked sni config pem pkcs12 acme)
# The SwiftPM targets whose object files each fuzz target links (dependencies first is not required).
MODULES=(CShims CTOML Logging TOMLKit PortcullisCore PortcullisTLS PortcullisHTTP PortcullisConfig
    PortcullisCertificates PortcullisACME)

# Leaks count as crashes; the suppressions name the known one-time and dependency leaks.
export LSAN_OPTIONS="suppressions=$ROOT/scripts/sanitizers/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

SANITIZE=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing
    -Xcc -fsanitize=fuzzer-no-link,address -Xcxx -fsanitize=fuzzer-no-link,address)

targets() {
    if [ $# -eq 0 ]; then printf '%s\n' "${ALL_TARGETS[@]}"; else printf '%s\n' "$@"; fi
}

build_modules() {
    # PortcullisACME depends on every other library module; the CLI and tests are not built here
    # (an executable would get a second main from libFuzzer).
    swift build -c release --scratch-path "$SCRATCH" --target PortcullisACME "${SANITIZE[@]}"
}

link_target() {
    local name=$1 release=$SCRATCH/release objects=()
    for module in "${MODULES[@]}"; do
        while IFS= read -r -d '' object; do objects+=("$object"); done \
            < <(find "$release/$module.build" -name '*.o' -print0)
    done
    mkdir -p "$BIN"
    swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name "Fuzz_${name//-/_}" \
        -I "$release/Modules" -I Sources/CLibevent -I Sources/COpenSSL -I Sources/CShims/include \
        -Xcc "-fmodule-map-file=$release/CShims.build/module.modulemap" \
        -Xcc "-fmodule-map-file=$release/CTOML.build/module.modulemap" \
        Fuzz/Support/*.swift "Fuzz/Targets/$name.swift" "${objects[@]}" \
        -lssl -lcrypto -levent -levent_openssl -levent_pthreads -lstdc++ \
        -o "$BIN/$name" 2> >(grep -v "Cannot export local symbol" >&2)
}

cmd_build() {
    build_modules
    for name in $(targets "$@"); do
        echo "linking $name"
        link_target "$name"
    done
}

cmd_run() {
    local failed=0
    for name in $(targets "$@"); do
        [ -x "$BIN/$name" ] || link_target "$name"
        local corpus=$SCRATCH/corpus/$name artifacts=$SCRATCH/artifacts/$name/
        mkdir -p "$corpus" "$artifacts"
        echo "== $name: ${FUZZ_SECONDS}s"
        # The working corpus grows in .build-fuzz; the committed seeds and regressions are read-only inputs.
        set +e
        "$BIN/$name" -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_TIMEOUT" -rss_limit_mb="$FUZZ_RSS_MB" \
            -max_len="$FUZZ_MAX_LEN" -print_final_stats=1 -artifact_prefix="$artifacts" \
            "$corpus" "Fuzz/corpus/$name" $( [ -d "Fuzz/regressions/$name" ] && echo "Fuzz/regressions/$name" ) \
            2> >(tee "$SCRATCH/$name.log" | grep -E '^(#[0-9]+ +(INITED|DONE)|==[0-9]+==|stat::|SUMMARY|artifact_prefix|Test unit written|Done )' >&2)
        local status=$?
        set -e
        if compgen -G "$artifacts*" > /dev/null; then
            mkdir -p "Fuzz/regressions/$name"
            cp "$artifacts"* "Fuzz/regressions/$name/"
            rm -f "$artifacts"*
            echo "!! $name: crash inputs copied to Fuzz/regressions/$name/" >&2
            failed=1
        elif [ $status -ne 0 ]; then
            failed=1
        fi
    done
    return $failed
}

cmd_replay() {
    local failed=0
    for name in $(targets "$@"); do
        [ -x "$BIN/$name" ] || link_target "$name"
        local inputs=()
        for folder in "Fuzz/corpus/$name" "Fuzz/regressions/$name"; do
            [ -d "$folder" ] && while IFS= read -r -d '' file; do inputs+=("$file"); done < <(find "$folder" -type f -print0)
        done
        [ ${#inputs[@]} -eq 0 ] && continue
        if "$BIN/$name" -runs=1 "${inputs[@]}" > "$SCRATCH/$name.replay.log" 2>&1; then
            echo "$name: ${#inputs[@]} inputs ok"
        else
            echo "$name: FAILED (see $SCRATCH/$name.replay.log)"
            failed=1
        fi
    done
    return $failed
}

main() {
    case "${1:-}" in
    build) shift; cmd_build "$@" ;;
    run) shift; cmd_run "$@" ;;
    replay) shift; cmd_replay "$@" ;;
    list) targets ;;
    *) sed -n '2,8p' "$0"; exit 2 ;;
    esac
}

# One line, so bash has read it all before it runs: editing this file during a long run is safe.
main "$@"; exit $?
