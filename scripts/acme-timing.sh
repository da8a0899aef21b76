#!/bin/bash
# Measures one ACME issuance against a throwaway Pebble on loopback (notes/pebble.md):
#   scripts/acme-timing.sh [-b PORTCULLIS_BINARY] NAME...
# Starts pebble-challtestsrv (DNS only) and pebble (PEBBLE_VA_NOSLEEP=1, badNonce injection on), then
# `portcullis run` with one certificate = "acme" site for NAME..., and prints the order's duration from
# the "certificate issued" log line. Everything runs in a temp folder and is stopped on exit.
set -euo pipefail
BIN=.build/debug/portcullis
if [ "${1:-}" = "-b" ]; then BIN=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-b BINARY] NAME..." >&2; exit 2; }
BIN=$(readlink -f "$BIN")
D=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$D"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HTTP=$(free_port) ACME=$(free_port) MGMT=$(free_port) DNS=$(free_port) CTS=$(free_port) ALPN=$(free_port)

mkdir -p "$D/certs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=pebble endpoint CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$D/certs/ca.key" -out "$D/certs/ca.pem" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
  -keyout "$D/certs/key.pem" -out "$D/certs/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$D/certs/server.ext"
openssl x509 -req -in "$D/certs/server.csr" -CA "$D/certs/ca.pem" -CAkey "$D/certs/ca.key" -CAcreateserial -days 30 \
  -extfile "$D/certs/server.ext" -out "$D/certs/cert.pem" 2>/dev/null
cat > "$D/pebble.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$ACME", "managementListenAddress": "127.0.0.1:$MGMT",
  "certificate": "$D/certs/cert.pem", "privateKey": "$D/certs/key.pem", "httpPort": $HTTP, "tlsPort": $ALPN}}
JSON
setsid pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" -dns01 "127.0.0.1:$DNS" -management "127.0.0.1:$CTS" \
  -http01 "" -https01 "" -tlsalpn01 "" </dev/null >"$D/challtestsrv.log" 2>&1 &
PIDS+=($!)
PEBBLE_VA_NOSLEEP=1 setsid pebble -config "$D/pebble.json" -dnsserver "127.0.0.1:$DNS" </dev/null >"$D/pebble.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -sf -o /dev/null --cacert "$D/certs/ca.pem" "https://127.0.0.1:$ACME/dir" && break; sleep 0.1; done

hosts=$(printf '"%s", ' "$@")
cat > "$D/proxy.conf" <<TOML
[server]
state_dir = "state"
workers = 1
[[listener]]
bind = "127.0.0.1:0"
tls = true
[[listener]]
bind = "127.0.0.1:$HTTP"
tls = false
[[site]]
hosts = [${hosts%, }]
certificate = "acme"
respond = "ok"
[acme]
directory = "https://127.0.0.1:$ACME/dir"
agree_tos = true
ca_file = "$D/certs/ca.pem"
TOML
"$BIN" run --config "$D/proxy.conf" >/dev/null 2>"$D/proxy.log" &
PIDS+=($!)
for _ in $(seq 1 200); do grep -q "certificate issued\|acme order failed" "$D/proxy.log" && break; sleep 0.05; done
grep -h "certificate issued\|acme order failed" "$D/proxy.log" || { cat "$D/proxy.log" >&2; exit 1; }
