#!/usr/bin/env python3
"""Handshake-stall stress test (issue 14, item 13).

A TLS scanner hits one listener of a Portcullis process with a burst of hostile connections
(truncated and malformed ClientHellos, SSLv3 / TLS 1.0 / 1.1 / SSLv2-style hellos, garbage, closes,
resets, many in parallel, some left half-open until the end), and keeps scanning in the background;
meanwhile sequential full handshakes on ANOTHER listener of the same process must each finish within
a deadline (2 s). Prints one JSON object and exits 1 if any probe handshake failed or was late.

  bench/stall_stress.py --binary .build/release/portcullis --handshakes 10000     # starts its own proxy
  bench/stall_stress.py --scan-port P1 --probe-port P2 --server-name stall.test    # proxy already running

Python 3 standard library only; loopback only; every socket and process it opens it closes or stops.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

HOST = "127.0.0.1"


# ---------------------------------------------------------------------------------------------------
# ClientHello material: real hellos from Python's OpenSSL, captured through a memory BIO.

def client_hello(server_name, minimum=None, maximum=None, ciphers=None):
    """The first flight of a real OpenSSL client (a ClientHello record), without any network."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if ciphers:
        context.set_ciphers(ciphers)
    if minimum:
        context.minimum_version = minimum
    if maximum:
        context.maximum_version = maximum
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    connection = context.wrap_bio(incoming, outgoing, server_hostname=server_name)
    try:
        connection.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def with_legacy_version(hello, major, minor):
    """A hello re-labelled as an older protocol (record and client_version), supported_versions kept."""
    data = bytearray(hello)
    data[1:3] = bytes([major, minor])
    data[9:11] = bytes([major, minor])
    return bytes(data)


def sslv2_hello():
    """An SSLv2-compatible CLIENT-HELLO (2-byte header with the high bit set), as old scanners send."""
    ciphers = bytes.fromhex("0000040100800700c0030080")
    challenge = os.urandom(16)
    body = bytes([1, 0, 2]) + len(ciphers).to_bytes(2, "big") + b"\x00\x00" + len(challenge).to_bytes(2, "big")
    body += ciphers + challenge
    return (0x8000 | len(body)).to_bytes(2, "big") + body


def hello_material(server_name):
    """Named byte strings the scanner sends: real hellos, old-version hellos, and broken ones."""
    modern = client_hello(server_name)
    tls12 = client_hello(server_name, maximum=ssl.TLSVersion.TLSv1_2)
    try:
        tls10 = client_hello(server_name, minimum=ssl.TLSVersion.TLSv1, maximum=ssl.TLSVersion.TLSv1,
                             ciphers="DEFAULT:@SECLEVEL=0")
    except (ssl.SSLError, ValueError):
        tls10 = with_legacy_version(tls12, 3, 1)
    material = {
        "tls13": modern,
        "tls12": tls12,
        "tls10": tls10,
        "tls11": with_legacy_version(tls12, 3, 2),
        "ssl3": with_legacy_version(tls12, 3, 0),
        "sslv2": sslv2_hello(),
        "no-sni": client_hello(None),
        "long-sni": client_hello("a" * 63 + "." + "b" * 63 + "." + "c" * 63 + ".test"),
    }
    return material


def mutations(material, rng):
    """One hostile payload: (kind, bytes)."""
    kind = rng.choice(["truncated", "flipped", "length-lie", "garbage", "old", "http", "record-only", "whole"])
    base = material[rng.choice(list(material))]
    if kind == "truncated":
        return kind, base[: rng.randrange(1, len(base))]
    if kind == "flipped":
        data = bytearray(base)
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return kind, bytes(data)
    if kind == "length-lie":
        data = bytearray(base)
        data[3:5] = (0x4000).to_bytes(2, "big")  # record claims 16 KiB, sends less
        return kind, bytes(data)
    if kind == "garbage":
        return kind, os.urandom(rng.randrange(1, 600))
    if kind == "old":
        return kind, material[rng.choice(["tls10", "tls11", "ssl3", "sslv2"])]
    if kind == "http":
        return kind, b"GET / HTTP/1.0\r\n\r\n"
    if kind == "record-only":
        return kind, base[:5]
    return kind, base


# ---------------------------------------------------------------------------------------------------
# The scanner.

class Scanner:
    """Hostile connections against one port, from several threads; half-open sockets are kept."""

    def __init__(self, port, server_name, seed, held_limit):
        self.port = port
        self.server_name = server_name
        self.material = hello_material(server_name)
        self.seed = seed
        self.held_limit = held_limit
        self.held = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.counts = {"connected": 0, "refused": 0, "held": 0, "completed": 0, "refused-handshake": 0}
        self.threads = []

    def burst(self, connections, rng):
        """`connections` hostile connections at once: all connect, then each sends and ends its own way."""
        sockets = []
        for _ in range(connections):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.settimeout(2)
            try:
                sock.connect((HOST, self.port))
                sockets.append(sock)
            except OSError:
                sock.close()
                self.count("refused")
        for sock in sockets:
            self.count("connected")
            self.finish(sock, rng)

    def finish(self, sock, rng):
        ending = rng.choice(["close", "reset", "read-close", "hold", "hold-silent", "close", "full", "full"])
        if ending == "full":
            return self.full_handshake(sock, rng)
        try:
            if ending != "hold-silent":
                kind, payload = mutations(self.material, rng)
                sock.sendall(payload)
            if ending == "reset":
                # SO_LINGER {on, 0 s}: close() sends a reset instead of a FIN.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif ending == "read-close":
                sock.settimeout(0.05)
                try:
                    sock.recv(4096)
                except OSError:
                    pass
            elif ending.startswith("hold"):
                with self.lock:
                    if len(self.held) < self.held_limit:
                        self.held.append(sock)
                        self.counts["held"] += 1
                        return
        except OSError:
            pass
        sock.close()

    def full_handshake(self, sock, rng):
        """A completed handshake as a scanner makes it (one version, one cipher family at a time, as
        sslyze enumerates them), ended abruptly: no close_notify, garbage or a heartbeat record after it."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        choice = rng.choice(["tls13", "tls12-ecdsa", "tls12-rsa", "tls12-cbc", "tls12-any"])
        if choice != "tls13":
            context.maximum_version = ssl.TLSVersion.TLSv1_2
            ciphers = {"tls12-ecdsa": "ECDHE-ECDSA-AES128-GCM-SHA256", "tls12-rsa": "ECDHE-RSA-AES128-GCM-SHA256",
                       "tls12-cbc": "ECDHE-ECDSA-AES128-SHA:AES128-SHA", "tls12-any": "ALL:@SECLEVEL=0"}[choice]
            try:
                context.set_ciphers(ciphers)
            except ssl.SSLError:
                pass
        name = rng.choice([self.server_name, self.server_name.upper(), "unknown.invalid", None])
        try:
            tls = context.wrap_socket(sock, server_hostname=name, do_handshake_on_connect=False)
            tls.do_handshake()
            self.count("completed")
            after = rng.choice(["garbage", "heartbeat", "half-request", "nothing"])
            raw = tls.unwrap() if after == "nothing" and rng.random() < 0.3 else None
            if raw is None:
                payload = {"garbage": os.urandom(64), "heartbeat": bytes.fromhex("180303000301ffff"),
                           "half-request": b"", "nothing": b""}[after]
                if after == "half-request":
                    tls.sendall(b"GET / HTTP/1.1\r\nHost: " + self.server_name.encode())
                elif payload:
                    socket.socket.sendall(tls, payload)  # raw bytes under the TLS layer
            sock = raw or tls
        except (OSError, ssl.SSLError, ValueError):
            self.count("refused-handshake")
        sock.close()

    def count(self, key):
        with self.lock:
            self.counts[key] += 1

    def start_background(self, threads, burst_size):
        for index in range(threads):
            rng = random.Random(self.seed * 1000 + index)
            thread = threading.Thread(target=self.loop, args=(rng, burst_size), daemon=True)
            thread.start()
            self.threads.append(thread)

    def loop(self, rng, burst_size):
        while not self.stop.is_set():
            self.burst(rng.randrange(1, burst_size + 1), rng)
            self.stop.wait(0.01)

    def close(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=5)
        with self.lock:
            for sock in self.held:
                sock.close()
            self.held = []


# ---------------------------------------------------------------------------------------------------
# The probe: sequential full handshakes with a deadline each.

def probe(port, server_name, count, deadline, stop_after_failures):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    durations, failures = [], []
    started = time.monotonic()
    for index in range(count):
        begin = time.monotonic()
        error = None
        try:
            with socket.create_connection((HOST, port), timeout=deadline) as raw:
                raw.settimeout(max(0.001, deadline - (time.monotonic() - begin)))
                with context.wrap_socket(raw, server_hostname=server_name) as tls:
                    tls.settimeout(max(0.001, deadline - (time.monotonic() - begin)))
                    tls.do_handshake()
        except (OSError, ssl.SSLError) as caught:
            error = f"{type(caught).__name__}: {caught}"
        elapsed = time.monotonic() - begin
        durations.append(elapsed)
        if error is None and elapsed > deadline:
            error = f"handshake took {elapsed:.3f} s"
        if error is not None:
            failures.append({"index": index, "seconds": round(elapsed, 3), "error": error[:200]})
            if len(failures) >= stop_after_failures:
                break
    durations.sort()

    def quantile(q):
        return round(durations[min(len(durations) - 1, int(q * len(durations)))] * 1000, 2) if durations else None

    return {
        "handshakes": len(durations), "failures": failures, "seconds": round(time.monotonic() - started, 2),
        "p50_ms": quantile(0.5), "p99_ms": quantile(0.99), "max_ms": quantile(1.0),
    }


# ---------------------------------------------------------------------------------------------------
# Optional: start a proxy with two TLS listeners.

def start_proxy(binary, server_name, workers, open_files=None):
    directory = tempfile.mkdtemp(prefix="portcullis-stall-")
    config = os.path.join(directory, "proxy.conf")
    ready = os.path.join(directory, "ready.json")
    with open(config, "w") as out:
        out.write(f"""[server]
state_dir = "state"
workers = {workers}
access_log = "off"
log_level = "warning"

[[listener]]
bind = "127.0.0.1:0"
tls = true

[[listener]]
bind = "127.0.0.1:0"
tls = true

[[site]]
hosts = ["{server_name}"]
certificate = "self-signed"
respond = "ok"
""")
    log = open(os.path.join(directory, "proxy.log"), "w")
    def limit_files():
        if open_files:
            import resource
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

    process = subprocess.Popen([binary, "run", "--config", config, "--ready-file", ready],
                               stdout=subprocess.DEVNULL, stderr=log, preexec_fn=limit_files)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"portcullis exited with {process.returncode}; see {log.name}")
        try:
            with open(ready) as f:
                info = json.load(f)
            if len(info.get("listeners", [])) == 2:
                return process, directory, [entry["port"] for entry in info["listeners"]]
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    process.kill()
    raise SystemExit("portcullis did not write its ready file within 30 s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", help="start this portcullis with two TLS listeners")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--proxy-open-files", type=int,
                        help="RLIMIT_NOFILE of the started proxy (shows what descriptor exhaustion does)")
    parser.add_argument("--scan-port", type=int)
    parser.add_argument("--probe-port", type=int)
    parser.add_argument("--server-name", default="stall.test")
    parser.add_argument("--handshakes", type=int, default=10000)
    parser.add_argument("--deadline", type=float, default=2.0)
    parser.add_argument("--burst", type=int, default=300, help="connections in the first burst")
    parser.add_argument("--scan-threads", type=int, default=2, help="background scanner threads")
    parser.add_argument("--scan-burst", type=int, default=20, help="largest background burst")
    parser.add_argument("--held", type=int, default=200, help="half-open connections kept to the end")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--stop-after-failures", type=int, default=20)
    args = parser.parse_args()

    process = directory = None
    if args.binary:
        process, directory, (args.scan_port, args.probe_port) = start_proxy(
            args.binary, args.server_name, args.workers, args.proxy_open_files)
    if not args.scan_port or not args.probe_port:
        parser.error("give --binary, or both --scan-port and --probe-port")
    scanner = Scanner(args.scan_port, args.server_name, args.seed, args.held)
    try:
        rng = random.Random(args.seed)
        began = time.monotonic()
        scanner.burst(args.burst, rng)
        burst_seconds = time.monotonic() - began
        scanner.start_background(args.scan_threads, args.scan_burst)
        result = probe(args.probe_port, args.server_name, args.handshakes, args.deadline, args.stop_after_failures)
    finally:
        scanner.close()
        if process is not None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
            shutil.rmtree(directory, ignore_errors=True)
    result.update({
        "seed": args.seed, "deadline_s": args.deadline, "burst_seconds": round(burst_seconds, 2),
        "scan": scanner.counts, "scan_port": args.scan_port, "probe_port": args.probe_port,
    })
    print(json.dumps(result))
    return 0 if not result["failures"] and result["handshakes"] == args.handshakes else 1


if __name__ == "__main__":
    sys.exit(main())
