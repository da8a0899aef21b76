#!/usr/bin/env python3
"""Side-by-side TLS reverse-proxy benchmark: nginx, HAProxy and Portcullis (see bench/README.md).

Started by bench/run, which installs the tools and builds Portcullis. Standard library only.
Everything listens on 127.0.0.1 with free ports; every process started here is stopped by PID on exit."""
import argparse
import atexit
import datetime
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import httpc  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
HOST = "bench.test"
SMALL_BYTES = 100
BIG_BYTES = 1 << 20
PROXIES = ["nginx", "haproxy", "portcullis"]
LABEL = {"nginx": "nginx", "haproxy": "HAProxy", "portcullis": "Portcullis"}
CERTS = ["ecdsa", "rsa"]
SBIN_PATH = os.environ.get("PATH", "") + ":/usr/sbin:/sbin:/usr/local/sbin"

STARTED = []          # every Popen this script started (servers and clients still running)
NOTES = []            # free-text notes and problems for the report


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def note(msg):
    log("NOTE: " + msg)
    NOTES.append(msg)


def which(name):
    return shutil.which(name, path=SBIN_PATH)


# ---------------------------------------------------------------------------------------------
# /proc accounting


def _stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        data = f.read()
    return data[data.rindex(")") + 2:].split()   # fields from #3 (state) on


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(_stat_fields(entry)[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def cpu_seconds(pids):
    """utime+stime of every process in pids (each covers all of its threads)."""
    total = 0
    for pid in pids:
        try:
            f = _stat_fields(pid)
            total += int(f[11]) + int(f[12])
        except (OSError, ValueError, IndexError):
            pass
    return total / CLK_TCK


def rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------
# process management


def spawn(argv, log_path, cpus=None):
    if cpus:
        argv = ["taskset", "-c", cpus] + argv      # taskset execs: the PID stays the server's
    out = open(log_path, "ab")
    p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    out.close()
    STARTED.append(p)
    return p


def stop(p, grace=5.0):
    if p.poll() is None:
        pids = [p.pid] + descendants(p.pid)
        try:
            os.kill(p.pid, signal.SIGTERM)
        except OSError:
            pass
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            pass
        for pid in pids:
            if pid_alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        try:
            p.wait(2)
        except subprocess.TimeoutExpired:
            pass
    forget(p)


def stop_all():
    for p in list(reversed(STARTED)):
        stop(p)


def forget(p):
    if p in STARTED:
        STARTED.remove(p)


def _on_signal(signum, _frame):
    # Unwinds main(); its `finally` (and atexit) stop every process started here, by PID.
    signal.signal(signum, signal.SIG_IGN)
    log(f"signal {signum}: stopping everything")
    raise SystemExit(128 + signum)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout, proc=None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:]).rstrip()
    except OSError:
        return ""


def run(argv, timeout=120, check=True, **kw):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=timeout, **kw)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({r.returncode}): {r.stderr.strip()[-500:]}")
    return r


# ---------------------------------------------------------------------------------------------
# setup: certificates, static files, client wrapper


def make_certs(d):
    """ECDSA P-256 and RSA-2048 leaf certificates for bench.test, each signed by its own CA."""
    certs = {}
    ext = os.path.join(d, "leaf.ext")
    with open(ext, "w") as f:
        f.write(f"subjectAltName=DNS:{HOST}\nbasicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    for kind in CERTS:
        newkey = (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] if kind == "ecdsa"
                  else ["-newkey", "rsa:2048"])
        p = lambda n: os.path.join(d, f"{kind}-{n}")  # noqa: E731
        run(["openssl", "req", "-x509", "-new", "-nodes", *newkey, "-keyout", p("ca.key"),
             "-out", p("ca.pem"), "-days", "30", "-subj", f"/CN=Portcullis bench {kind} CA"])
        run(["openssl", "req", "-new", "-nodes", *newkey, "-keyout", p("key.pem"), "-out", p("leaf.csr"),
             "-subj", f"/CN={HOST}"])
        run(["openssl", "x509", "-req", "-in", p("leaf.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"),
             "-CAcreateserial", "-days", "30", "-out", p("leaf.pem"), "-extfile", ext])
        with open(p("leaf.pem")) as f:
            leaf = f.read()
        with open(p("ca.pem")) as f:
            ca = f.read()
        with open(p("key.pem")) as f:
            key = f.read()
        with open(p("chain.pem"), "w") as f:
            f.write(leaf + ca)
        with open(p("haproxy.pem"), "w") as f:           # HAProxy wants chain + key in one file
            f.write(leaf + ca + key)
        os.chmod(p("key.pem"), 0o600)
        os.chmod(p("haproxy.pem"), 0o600)
        fp = hashlib.sha256(ssl.PEM_cert_to_DER_cert(leaf)).hexdigest()
        certs[kind] = {"chain": p("chain.pem"), "key": p("key.pem"), "haproxy": p("haproxy.pem"),
                       "sha256": fp}
    # a second ECDSA leaf from the same CA, for the certificate swap row
    p = lambda n: os.path.join(d, f"ecdsa-alt-{n}")  # noqa: E731
    run(["openssl", "req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-keyout", p("key.pem"), "-out", p("leaf.csr"), "-subj", f"/CN={HOST}"])
    run(["openssl", "x509", "-req", "-in", p("leaf.csr"), "-CA", os.path.join(d, "ecdsa-ca.pem"),
         "-CAkey", os.path.join(d, "ecdsa-ca.key"), "-CAcreateserial", "-days", "30", "-out", p("leaf.pem"),
         "-extfile", ext])
    with open(p("leaf.pem")) as f:
        leaf = f.read()
    with open(os.path.join(d, "ecdsa-ca.pem")) as f:
        cap = f.read()
    with open(p("key.pem")) as f:
        key = f.read()
    with open(p("chain.pem"), "w") as f:
        f.write(leaf + cap)
    os.chmod(p("key.pem"), 0o600)
    certs["ecdsa-alt"] = {"chain": p("chain.pem"), "key": p("key.pem"), "haproxy": None,
                          "sha256": hashlib.sha256(ssl.PEM_cert_to_DER_cert(leaf)).hexdigest()}
    return certs


class Client:
    """Builds load-generator command lines: pinned with taskset, and (when a private mount namespace
    is available) with bench.test resolving to 127.0.0.1 so that wrk and ab send real SNI."""

    def __init__(self, workdir, cpus):
        self.cpus = cpus
        self.hosts = None
        hosts = os.path.join(workdir, "hosts")
        with open(hosts, "w") as f:
            f.write(f"127.0.0.1 localhost\n127.0.0.1 {HOST}\n")
        os.chmod(hosts, 0o644)
        if which("unshare"):
            try:
                r = run(["unshare", "-m", "sh", "-c", 'mount --bind "$0" /etc/hosts && exec getent hosts "$1"',
                         hosts, HOST], timeout=10, check=False)
                if r.returncode == 0 and "127.0.0.1" in r.stdout:
                    self.hosts = hosts
            except Exception:
                pass
        self.name = HOST if self.hosts else "127.0.0.1"

    def cmd(self, argv):
        pre = ["taskset", "-c", self.cpus] if self.cpus else []
        if self.hosts:
            return ["unshare", "-m", "sh", "-c", 'mount --bind "$0" /etc/hosts && exec "$@"',
                    self.hosts] + pre + argv
        return pre + argv

    def url(self, port, path):
        return f"https://{self.name}:{port}{path}"


# ---------------------------------------------------------------------------------------------
# servers


def nginx_common(d, workers):
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(d, "tmp", sub), exist_ok=True)
    return f"""daemon off;
master_process on;
worker_processes {workers};
worker_rlimit_nofile 20000;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 10000; }}
"""


def nginx_temp_paths(d):
    return "".join(f"    {k}_temp_path {d}/tmp/{v};\n" for k, v in
                   (("client_body", "body"), ("proxy", "proxy"), ("fastcgi", "fastcgi"),
                    ("uwsgi", "uwsgi"), ("scgi", "scgi")))


def start_upstream(workdir, cpus):
    d = os.path.join(workdir, "upstream")
    www = os.path.join(d, "www")
    os.makedirs(www)
    with open(os.path.join(www, "small"), "wb") as f:
        f.write((b"portcullis-bench-small-body-" * 4)[:SMALL_BYTES - 1] + b"\n")
    with open(os.path.join(www, "big"), "wb") as f:
        f.write(os.urandom(BIG_BYTES))
    for path in (d, www):
        os.chmod(path, 0o755)
    for name in ("small", "big"):
        os.chmod(os.path.join(www, name), 0o644)
    port = free_port()
    conf = nginx_common(d, 1) + f"""http {{
    access_log off;
{nginx_temp_paths(d)}    sendfile on;
    tcp_nopush on;
    keepalive_requests 10000000;
    keepalive_timeout 600s;
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port} reuseport backlog=4096;
        root {www};
        location / {{ }}
    }}
}}
"""
    path = os.path.join(d, "nginx.conf")
    with open(path, "w") as f:
        f.write(conf)
    p = spawn([which("nginx"), "-e", os.path.join(d, "startup.log"), "-p", d, "-c", path],
              os.path.join(d, "stdout.log"), cpus)
    if not wait_port(port, 15, p):
        raise RuntimeError("upstream nginx did not start:\n" + tail(os.path.join(d, "error.log")) +
                           tail(os.path.join(d, "startup.log")))
    return port, p


class Instance:
    """One running proxy (one process tree) serving one certificate type."""

    def __init__(self, proxy, cert, workdir, tag=""):
        self.proxy, self.cert = proxy, cert
        self.dir = os.path.join(workdir, f"{proxy}-{cert}{tag}")
        os.makedirs(self.dir, exist_ok=True)
        os.chmod(self.dir, 0o755)
        self.proc = None
        self.port = None
        self.log = os.path.join(self.dir, "stdout.log")
        self.startup_s = None
        self.note = ""
        self.starts = 0
        self.haproxy_sock = None
        self.ready = None

    def pids(self):
        if self.proc is None or self.proc.poll() is not None:
            return []
        return [self.proc.pid] + descendants(self.proc.pid)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def logs(self, n=15):
        return "\n".join(x for x in (tail(self.log, n), tail(os.path.join(self.dir, "error.log"), n)) if x)


def start_nginx(inst, ctx):
    d = inst.dir
    inst.port = inst.port or free_port()
    c = {"chain": os.path.join(d, "chain.pem"), "key": os.path.join(d, "key.pem")}
    if not os.path.exists(c["chain"]):        # own copies: the swap row rewrites them
        shutil.copyfile(ctx.certs[inst.cert]["chain"], c["chain"])
        shutil.copyfile(ctx.certs[inst.cert]["key"], c["key"])
        os.chmod(c["key"], 0o600)
    conf = nginx_common(d, ctx.workers) + f"""http {{
    access_log off;
{nginx_temp_paths(d)}    keepalive_timeout 600s;
    keepalive_requests 10000000;
    upstream up {{
        server 127.0.0.1:{ctx.upstream_port};
        keepalive 64;
        keepalive_requests 10000000;
        keepalive_timeout 600s;
    }}
    server {{
        listen 127.0.0.1:{inst.port} ssl backlog=4096;
        server_name {HOST};
        ssl_certificate {c['chain']};
        ssl_certificate_key {c['key']};
        ssl_protocols TLSv1.2 TLSv1.3;
        location / {{
            proxy_pass http://up;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffer_size 16k;
            proxy_buffers 8 16k;
            proxy_max_temp_file_size 0;
        }}
    }}
}}
"""
    path = os.path.join(d, "nginx.conf")
    with open(path, "w") as f:
        f.write(conf)
    t0 = time.monotonic()
    inst.proc = spawn([which("nginx"), "-e", os.path.join(d, "startup.log"), "-p", d, "-c", path],
                      inst.log, ctx.proxy_cpus)
    if not wait_port(inst.port, 15, inst.proc):
        raise RuntimeError("nginx did not start:\n" + inst.logs() + tail(os.path.join(d, "startup.log")))
    inst.startup_s = time.monotonic() - t0


def start_haproxy(inst, ctx):
    d = inst.dir
    inst.port = inst.port or free_port()
    inst.haproxy_sock = os.path.join(d, "haproxy.sock")
    conf = f"""global
    nbthread {ctx.workers}
    maxconn 8000
    pidfile {d}/haproxy.pid
    stats socket {inst.haproxy_sock} mode 600 level admin
    ssl-default-bind-options ssl-min-ver TLSv1.2

defaults
    mode http
    option http-keep-alive
    timeout connect 5s
    timeout client 600s
    timeout server 600s
    timeout http-request 30s
    timeout http-keep-alive 600s
    http-reuse always

frontend fe
    bind 127.0.0.1:{inst.port} ssl crt {ctx.certs[inst.cert]['haproxy']}
    default_backend be

backend be
    server up 127.0.0.1:{ctx.upstream_port}
"""
    path = os.path.join(d, "haproxy.cfg")
    with open(path, "w") as f:
        f.write(conf)
    r = run([which("haproxy"), "-c", "-q", "-f", path], check=False)
    if r.returncode != 0:
        raise RuntimeError("haproxy config check failed: " + r.stdout + r.stderr)
    t0 = time.monotonic()
    inst.proc = spawn([which("haproxy"), "-db", "-f", path], inst.log, ctx.proxy_cpus)
    if not wait_port(inst.port, 15, inst.proc):
        raise RuntimeError("haproxy did not start:\n" + inst.logs())
    inst.startup_s = time.monotonic() - t0


def portcullis_config(inst, ctx, cert_name, default_cert):
    state = os.path.join(inst.dir, "state")
    lines = [
        "[server]",
        f'state_dir = "{state}"',
        f"workers = {ctx.workers}",
        'access_log = "off"',
        f'log_level = "{getattr(ctx, "portcullis_log_level", "warning")}"',
        "drain_timeout = 2",
        "",
        "[[listener]]",
        'bind = "127.0.0.1:0"',
        "tls = true",
    ]
    if default_cert:
        lines.append(f'default_certificate = "{default_cert}"')
    lines += ["", "[[site]]", f'hosts = ["{HOST}"]', f'certificate = "{cert_name}"',
              f'upstreams = ["127.0.0.1:{ctx.upstream_port}"]', ""]
    return "\n".join(lines)


def install_store_cert(inst, ctx, name):
    """Places the bench certificate in Portcullis's store layout: <state_dir>/certs/<name>/."""
    cdir = os.path.join(inst.dir, "state", "certs", name)
    os.makedirs(cdir, exist_ok=True)
    c = ctx.certs[inst.cert]
    shutil.copyfile(c["chain"], os.path.join(cdir, "chain.pem"))
    shutil.copyfile(c["key"], os.path.join(cdir, "key.pem"))
    os.chmod(os.path.join(cdir, "key.pem"), 0o600)
    created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(os.path.join(cdir, "meta.json"), "w") as f:
        json.dump({"source": "user", "domains": [HOST], "created": created}, f)


def start_portcullis(inst, ctx):
    """Tries the bench certificate from the store first, then falls back to a self-signed one."""
    if not ctx.portcullis_bin:
        raise RuntimeError(ctx.portcullis_missing or "no binary")
    name = f"bench-{inst.cert}"
    attempts = [(name, name, "bench certificate from the store"),
                (name, None, "bench certificate from the store, no default_certificate"),
                ("self-signed", HOST, "self-signed fallback"),
                ("self-signed", None, "self-signed fallback, no default_certificate")]
    errors = []
    for cert_name, default_cert, label in attempts:
        if inst.cert == "rsa" and cert_name == "self-signed":
            break       # a self-signed certificate is ECDSA: there is no RSA measurement to make
        shutil.rmtree(os.path.join(inst.dir, "state"), ignore_errors=True)
        os.makedirs(os.path.join(inst.dir, "state"))
        if cert_name != "self-signed":
            install_store_cert(inst, ctx, cert_name)
        path = os.path.join(inst.dir, "proxy.conf")
        with open(path, "w") as f:
            f.write(portcullis_config(inst, ctx, cert_name, default_cert))
        r = run([ctx.portcullis_bin, "validate", "--config", path], check=False, timeout=30)
        if r.returncode != 0:
            errors.append(f"{label}: validate exit {r.returncode}: {(r.stdout + r.stderr).strip()[-300:]}")
            continue
        ready = os.path.join(inst.dir, "ready.json")
        if os.path.exists(ready):
            os.unlink(ready)
        t0 = time.monotonic()
        inst.proc = spawn([ctx.portcullis_bin, "run", "--config", path, "--ready-file", ready],
                          inst.log, ctx.proxy_cpus)
        info = None
        while time.monotonic() - t0 < 20 and inst.proc.poll() is None:
            try:
                with open(ready) as f:
                    info = json.load(f)
                break
            except (OSError, ValueError):
                time.sleep(0.02)
        if info is None:
            rc = inst.proc.poll()
            stop(inst.proc)
            errors.append(f"{label}: no ready file (exit {rc}): {tail(inst.log, 8)}")
            continue
        inst.startup_s = time.monotonic() - t0
        inst.ready = info
        try:
            inst.port = int(info["listeners"][0]["port"])
        except (KeyError, IndexError, ValueError, TypeError):
            stop(inst.proc)
            errors.append(f"{label}: bad ready file {info!r}")
            continue
        if info.get("pid") not in (None, inst.proc.pid):
            note(f"Portcullis ready file pid {info.get('pid')} != started pid {inst.proc.pid}")
        pr = probe(inst, ctx)
        if pr.get("error") or not pr.get("small_ok"):
            stop(inst.proc)
            errors.append(f"{label}: probe failed: {pr.get('error') or pr}")
            continue
        if cert_name != "self-signed" and not pr.get("cert_match"):
            stop(inst.proc)
            errors.append(f"{label}: serves a certificate other than the bench one")
            continue
        inst.note = label
        if errors:
            note(f"Portcullis ({inst.cert}) runs with {label}; earlier attempts: " + " | ".join(errors))
        return
    raise RuntimeError(" | ".join(errors) or "no usable configuration")


STARTERS = {"nginx": start_nginx, "haproxy": start_haproxy, "portcullis": start_portcullis}


def probe(inst, ctx):
    """Fairness check: protocol, cipher, key exchange, served certificate, /small and /big."""
    out = {}
    cctx = httpc.client_context()
    try:
        s = httpc.open_tls(inst.port, HOST, ctx=cctx)
        with s:
            out["protocol"] = s.version()
            out["cipher"] = s.cipher()[0]
            der = s.getpeercert(binary_form=True)
            out["cert_match"] = hashlib.sha256(der).hexdigest() == ctx.certs[inst.cert]["sha256"]
            st, n, left = httpc.get(s, "/small", HOST)
            out["small_ok"] = st == 200 and n == SMALL_BYTES
            out["small"] = f"{st} {n}B"
            st, n, _ = httpc.get(s, "/big", HOST, left)
            out["big_ok"] = st == 200 and n == BIG_BYTES
            out["big"] = f"{st} {n}B"
            session = s.session
        # resumption: two more connections offering the first connection's session (ticket)
        reused = []
        for _ in range(2):
            raw = socket.create_connection(("127.0.0.1", inst.port), timeout=10)
            with cctx.wrap_socket(raw, server_hostname=HOST, session=session) as s2:
                httpc.get(s2, "/small", HOST)
                reused.append(bool(s2.session_reused))
        out["resumes"] = "/".join("yes" if r else "no" for r in reused)
    except Exception as e:
        out["error"] = repr(e)
        return out
    try:
        r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{inst.port}", "-servername", HOST,
                            "-brief"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=10)
        m = re.search(r"Server Temp Key: ([^\n]+)", r.stdout)
        out["kex"] = m.group(1).strip() if m else "?"
        m = re.search(r"(?:Peer signature type|Signature type): ([^\n]+)", r.stdout)
        out["sigalg"] = m.group(1).strip() if m else "?"
    except Exception as e:
        out["kex"] = f"? ({e})"
    return out


# ---------------------------------------------------------------------------------------------
# workloads


def parse_duration_ms(s):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", s)
    if not m:
        return None
    v = float(m.group(1))
    return v * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)]


def parse_wrk(out):
    r = {}
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", out)
    if m:
        r["requests"] = int(m.group(1))
        r["wrk_seconds"] = parse_duration_ms(m.group(2) + m.group(3)) / 1000.0
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+([\d.]+(?:us|ms|s|m))", out, re.M)
        if m:
            r[f"p{pct}_ms"] = parse_duration_ms(m.group(1))
    errs = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errs += int(m.group(1))
        r["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        r["socket_errors"] = m.group(0)
        errs += sum(int(x) for x in m.groups())
    r["errors"] = errs
    return r


class Measure:
    """CPU time and wall time of one proxy instance around a block."""

    def __init__(self, inst):
        self.inst = inst

    def __enter__(self):
        self.pids = set(self.inst.pids())
        self.c0 = cpu_seconds(self.pids)
        self.t0 = time.monotonic()
        return self

    def __exit__(self, *exc):
        self.wall = time.monotonic() - self.t0
        now = set(self.inst.pids())
        # processes that appeared during the run count from zero; ones that vanished are lost (rare)
        self.cpu = cpu_seconds(self.pids | now) - self.c0
        return False


def stalled(res, d):
    """Marks a run that completed (almost) nothing as an error instead of reporting a tiny rate."""
    n = res.get("requests", 0)
    if n < max(10, 2 * d):
        return {"error": f"stalled: only {n} requests completed in {d} s", **{k: v for k, v in res.items()
                                                                           if k != "error"}}
    return res


def health(inst, attempts=3, timeout=5):
    """Fresh connections, one GET /small each. Returns a list of failure strings (empty when healthy)."""
    fails = []
    for _ in range(attempts):
        t0 = time.monotonic()
        try:
            s = httpc.open_tls(inst.port, HOST, timeout=timeout)
            with s:
                st, n, _ = httpc.get(s, "/small", HOST)
            if st != 200 or n != SMALL_BYTES:
                fails.append(f"status {st}, {n} bytes")
        except Exception as e:
            fails.append(f"{type(e).__name__} after {time.monotonic() - t0:.1f} s")
    return fails


def wl_keepalive(inst, ctx, d):
    argv = ctx.client.cmd(["wrk", "-t1", "-c50", f"-d{d}s", "--latency", "-H", f"Host: {HOST}",
                           ctx.client.url(inst.port, "/small")])
    with Measure(inst) as m:
        r = run(argv, timeout=d + 60, check=False)
    res = parse_wrk(r.stdout)
    if "requests" not in res:
        return {"error": f"wrk failed: {(r.stdout + r.stderr).strip()[-300:]}"}
    secs = res["wrk_seconds"]
    res.update(rate=res["requests"] / secs, cpu_per_unit=m.cpu / max(res["requests"], 1) * 1e6,
               busy=m.cpu / m.wall * 100)
    return stalled(res, d)


def wl_big(inst, ctx, d):
    argv = ctx.client.cmd(["wrk", "-t1", "-c4", f"-d{d}s", "-H", f"Host: {HOST}",
                           ctx.client.url(inst.port, "/big")])
    with Measure(inst) as m:
        r = run(argv, timeout=d + 60, check=False)
    res = parse_wrk(r.stdout)
    if "requests" not in res:
        return {"error": f"wrk failed: {(r.stdout + r.stderr).strip()[-300:]}"}
    mib = res["requests"] * BIG_BYTES / (1 << 20)
    res.update(rate=mib / res["wrk_seconds"], cpu_per_unit=m.cpu / max(mib, 1e-9) * 1e3,
               busy=m.cpu / m.wall * 100)
    return stalled(res, d)


def haproxy_info(sock_path):
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(2)
            s.connect(sock_path)
            s.sendall(b"show info\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        return dict(line.split(": ", 1) for line in data.decode().splitlines() if ": " in line)
    except OSError:
        return {}


def wl_full_handshake(inst, ctx, d):
    """ab without -k: one request per connection, a fresh SSL object each time (no session reuse)."""
    argv = ctx.client.cmd(["ab", "-r", "-s", "10", "-t", str(d), "-n", "10000000", "-c", "16", "-H", f"Host: {HOST}",
                           ctx.client.url(inst.port, "/small")])
    with Measure(inst) as m:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        STARTED.append(p)
        info = {}
        if inst.haproxy_sock:           # independent server-side check that ab does not resume
            time.sleep(d / 2)
            info = haproxy_info(inst.haproxy_sock)
        try:
            out, err = p.communicate(timeout=d + 60)
        finally:
            if p.poll() is None:
                p.kill()
            forget(p)
    res = {}
    for key, pat in (("requests", r"Complete requests:\s+(\d+)"), ("failed", r"Failed requests:\s+(\d+)"),
                     ("non2xx", r"Non-2xx responses:\s+(\d+)"), ("ab_seconds", r"Time taken for tests:\s+([\d.]+)"),
                     ("doc_len", r"Document Length:\s+(\d+)")):
        mm = re.search(pat, out)
        if mm:
            res[key] = float(mm.group(1)) if key == "ab_seconds" else int(mm.group(1))
    if not res.get("requests"):
        mm = re.search(r"Total of (\d+) requests completed", out + err)
        why = re.findall(r"^apr_\S+: [^\n]+", out + err, re.M)
        return {"error": f"ab aborted after {mm.group(1) if mm else '?'} requests: "
                         f"{'; '.join(why) or (out + err).strip()[-200:]}"}
    res["errors"] = res.get("failed", 0) + res.get("non2xx", 0)
    if res.get("doc_len") not in (None, SMALL_BYTES):
        res["errors"] = max(res["errors"], 1)
        res["bad_doc_len"] = res.get("doc_len")
    if info:
        res["haproxy_reuse_pct"] = info.get("SslFrontendSessionReuse_pct")
        res["haproxy_ssl_rate"] = info.get("SslRate")
        res["haproxy_key_rate"] = info.get("SslFrontendKeyRate")
    res.update(rate=res["requests"] / res["ab_seconds"], cpu_per_unit=m.cpu / res["requests"] * 1e6,
               busy=m.cpu / m.wall * 100)
    return stalled(res, d)


def wl_resumed(inst, ctx, d):
    """wrk with `Connection: close`: a new connection per request, and wrk keeps the TLS session across
    reconnects (SSL_clear keeps it), so every handshake after the first resumes. Verified server-side on
    HAProxy (SslFrontendSessionReuse_pct) and per proxy by the probe's resumption check."""
    argv = ctx.client.cmd(["wrk", "-t1", "-c16", f"-d{d}s", "--latency", "-H", f"Host: {HOST}",
                           "-H", "Connection: close", ctx.client.url(inst.port, "/small")])
    with Measure(inst) as m:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        STARTED.append(p)
        info = {}
        if inst.haproxy_sock:
            time.sleep(d / 2)
            info = haproxy_info(inst.haproxy_sock)
        try:
            out, err = p.communicate(timeout=d + 60)
        finally:
            if p.poll() is None:
                p.kill()
            forget(p)
    res = parse_wrk(out)
    if "requests" not in res:
        return {"error": f"wrk failed: {(out + err).strip()[-300:]}"}
    if info:
        res["haproxy_reuse_pct"] = info.get("SslFrontendSessionReuse_pct")
        res["haproxy_ssl_rate"] = info.get("SslRate")
        res["haproxy_key_rate"] = info.get("SslFrontendKeyRate")
    res.update(rate=res["requests"] / res["wrk_seconds"], cpu_per_unit=m.cpu / max(res["requests"], 1) * 1e6,
               busy=m.cpu / m.wall * 100)
    return stalled(res, d)


def wl_idle(inst, ctx, n):
    """RSS per idle TLS connection: n connections, one request each, held open."""
    time.sleep(0.5)
    base = rss_kib(inst.pids())
    argv = ctx.client.cmd([sys.executable, os.path.join(HERE, "idle_conns.py"), str(inst.port), HOST, HOST, str(n)])
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    STARTED.append(p)
    try:
        line = p.stdout.readline()
        try:
            info = json.loads(line)
        except ValueError:
            p.kill()
            return {"error": f"idle_conns failed: {line.strip()} {p.stderr.read()[-300:]}"}
        time.sleep(1.0)
        held = rss_kib(inst.pids())
        p.stdin.write("done\n")
        p.stdin.flush()
        p.wait(30)
    finally:
        if p.poll() is None:
            p.kill()
        forget(p)
    opened = info["opened"]
    res = {"base_kib": base, "held_kib": held, "opened": opened, "reused": info["reused"],
           "errors": info["errors"] + info["bad_status"], "first_error": info["first_error"]}
    if opened:
        res["rate"] = (held - base) / opened        # KiB per connection (the "rate" slot holds the value)
        res["cpu_per_unit"] = res["rate"]
    return res


def served_fingerprint(port, sni=HOST, timeout=5):
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    with httpc.client_context().wrap_socket(raw, server_hostname=sni) as s:
        return hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest()


def atomic_copy(src, dst, mode=0o644):
    tmp = dst + ".bench-tmp"
    shutil.copyfile(src, tmp)
    os.chmod(tmp, mode)
    os.replace(tmp, dst)


def haproxy_cmd(sock_path, cmd):
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(10)
        s.connect(sock_path)
        s.sendall(cmd.encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.decode(errors="replace")


def swap_certificate(inst, ctx, cert):
    """Makes the running instance serve `cert` (a ctx.certs entry) the way an operator would."""
    if inst.proxy == "nginx":
        atomic_copy(cert["chain"], os.path.join(inst.dir, "chain.pem"))
        atomic_copy(cert["key"], os.path.join(inst.dir, "key.pem"), 0o600)
        os.kill(inst.proc.pid, signal.SIGHUP)                  # nginx reload: new workers, old ones drain
    elif inst.proxy == "haproxy":                                # runtime API: hot swap without reload
        with open(cert["chain"]) as f:
            pem = f.read()
        with open(cert["key"]) as f:
            pem += f.read()
        path = ctx.certs[inst.cert]["haproxy"]
        out = haproxy_cmd(inst.haproxy_sock, f"set ssl cert {path} <<\n{pem.strip()}\n\n")
        out += haproxy_cmd(inst.haproxy_sock, f"commit ssl cert {path}\n")
        if "Success" not in out:
            raise RuntimeError("haproxy runtime API: " + out.strip()[-300:])
    else:
        # the operator's command (`portcullis certs import`; the running proxy notices through inotify),
        # or, when this build has no such command, new store files and SIGHUP
        if getattr(ctx, "certs_import", None) is None:
            r = run([ctx.portcullis_bin, "certs", "import", "--help"], check=False, timeout=30)
            ctx.certs_import = r.returncode == 0 and "--name" in (r.stdout + r.stderr)
        if ctx.certs_import:
            r = run([ctx.portcullis_bin, "certs", "import", "--config", os.path.join(inst.dir, "proxy.conf"),
                     "--name", f"bench-{inst.cert}", "--cert", cert["chain"], "--key", cert["key"]],
                    check=False, timeout=60)
            if r.returncode == 0:
                ctx.swap_method = "`portcullis certs import` (the proxy picks it up through inotify)"
                return
            note(f"portcullis certs import failed ({r.returncode}): {(r.stdout + r.stderr).strip()[-300:]}; "
                 "falling back to store files + SIGHUP")
            ctx.certs_import = False
        ctx.swap_method = "store files + SIGHUP"
        cdir = os.path.join(inst.dir, "state", "certs", f"bench-{inst.cert}")
        if not os.path.isdir(cdir):
            raise RuntimeError("Portcullis does not use the bench certificate from the store")
        atomic_copy(cert["chain"], os.path.join(cdir, "chain.pem"))
        atomic_copy(cert["key"], os.path.join(cdir, "key.pem"), 0o600)
        os.kill(inst.proc.pid, signal.SIGHUP)


def wl_swap(inst, ctx, swaps):
    """Certificate swaps under load: `swaps` swaps (A→B→A...) while ab -c16 does full handshakes.
    Reports failed requests (must be 0) and the time from the swap command until a new connection
    gets the new certificate."""
    import threading
    stop_flag = threading.Event()
    totals = {"requests": 0, "failed": 0, "non2xx": 0, "ab_errors": []}

    def load():
        while not stop_flag.is_set():
            argv = ctx.client.cmd(["ab", "-r", "-s", "10", "-t", "2", "-n", "10000000", "-c", "16", "-H", f"Host: {HOST}",
                                   ctx.client.url(inst.port, "/small")])
            p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            STARTED.append(p)
            try:
                out, err = p.communicate(timeout=60)
            finally:
                if p.poll() is None:
                    p.kill()
                forget(p)
            r = subprocess.CompletedProcess(argv, p.returncode, out, err)
            for key, pat in (("requests", r"Complete requests:\s+(\d+)"), ("failed", r"Failed requests:\s+(\d+)"),
                             ("non2xx", r"Non-2xx responses:\s+(\d+)")):
                mm = re.search(pat, r.stdout)
                if mm:
                    totals[key] += int(mm.group(1))
            if r.returncode != 0 or "Complete requests" not in r.stdout:
                totals["ab_errors"].append((r.stdout + r.stderr).strip()[-200:])
            bad = re.search(r"\(Connect: (\d+), Receive: (\d+), Length: (\d+), Exceptions: (\d+)\)", r.stdout)
            if bad and any(int(x) for x in bad.groups()):
                totals["ab_errors"].append(bad.group(0))

    certs = [ctx.certs["ecdsa-alt"], ctx.certs["ecdsa"]]
    times, probe_errors, gens, cmd_times = [], 0, [], []
    t = threading.Thread(target=load, daemon=True)
    t.start()
    time.sleep(1.0)
    try:
        for i in range(swaps):
            target = certs[i % 2]
            t0 = time.monotonic()
            swap_certificate(inst, ctx, target)
            cmd_times.append(time.monotonic() - t0)
            seen = None
            while time.monotonic() - t0 < 20:
                try:
                    if served_fingerprint(inst.port) == target["sha256"]:
                        seen = time.monotonic() - t0
                        break
                except Exception:
                    probe_errors += 1
                time.sleep(0.005)
            times.append(seen)
            if inst.ready is not None:
                try:
                    with open(os.path.join(inst.dir, "ready.json")) as f:
                        gens.append(json.load(f).get("generation"))
                except (OSError, ValueError):
                    pass
            time.sleep(0.5)
    finally:
        stop_flag.set()
        t.join(70)
    res = {"swaps": swaps, "requests": totals["requests"], "failed": totals["failed"], "non2xx": totals["non2xx"],
           "probe_errors": probe_errors, "never_served": sum(1 for x in times if x is None),
           "times_ms": [round(x * 1000, 1) if x is not None else None for x in times]}
    if gens:
        res["generations"] = gens
    if totals["ab_errors"]:
        res["ab_errors"] = totals["ab_errors"][:3]
    ok = [x for x in times if x is not None]
    res["median_ms"] = statistics.median(ok) * 1000 if ok else None
    res["command_ms"] = statistics.median(cmd_times) * 1000 if cmd_times else None
    res["max_ms"] = max(ok) * 1000 if ok else None
    res["errors"] = res["failed"] + res["non2xx"] + res["never_served"]
    res["rate"] = res["median_ms"]
    return res


# ---------------------------------------------------------------------------------------------
# startup with many certificates


def pss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            total += rss_kib([pid])
    return total


def scale_phase(ctx, workdir, n, proxies, timeout=150):
    """Startup time and memory (PSS, all processes) with n sites, each with its own certificate.
    Portcullis generates the n self-signed certificates on its first start (timed separately); nginx and
    HAProxy then load the very same files."""
    out = {}
    d = os.path.join(workdir, f"scale-{n}")
    os.makedirs(d)
    os.chmod(d, 0o755)
    state = os.path.join(d, "portcullis-state")
    names = [f"s{i}.{HOST}" for i in range(n)]
    if not ctx.portcullis_bin:
        return {p: {"error": "n/a (the certificates are generated by Portcullis, which is not running)"}
                for p in PROXIES}

    def wait_ready(proc, ready=None, port=None, limit=None):
        t0 = time.monotonic()
        while time.monotonic() - t0 < (limit or timeout) and proc.poll() is None:
            if ready and os.path.exists(ready):
                return True
            if port:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        return True
                except OSError:
                    pass
            time.sleep(0.05)
        return False

    def measure(p, argv, logname, ready=None, port=None, sni_port=None):
        t0 = time.monotonic()
        proc = spawn(argv, os.path.join(d, logname), ctx.proxy_cpus)
        try:
            if not wait_ready(proc, ready, port):
                rc = proc.poll()
                return {"error": f"not ready after {time.monotonic() - t0:.0f} s (exit {rc}): "
                                 f"{tail(os.path.join(d, logname), 4)}"[:400]}
            startup = time.monotonic() - t0
            time.sleep(0.5)
            pids = [proc.pid] + descendants(proc.pid)
            r = {"startup_s": startup, "pss_mib": pss_kib(pids) / 1024, "rss_mib": rss_kib(pids) / 1024}
            try:
                port_ = sni_port or port
                want = hashlib.sha256(ssl.PEM_cert_to_DER_cert(
                    open(os.path.join(state, "certs", names[-1], "chain.pem")).read())).hexdigest()
                r["last_site_cert_ok"] = served_fingerprint(port_, names[-1]) == want
            except Exception as e:
                r["last_site_cert_ok"] = f"error: {e}"
            return r
        finally:
            stop(proc)

    # Portcullis: first start generates the certificates, the second loads them from the store
    lines = ["[server]", f'state_dir = "{state}"', f"workers = {ctx.workers}", 'access_log = "off"',
             'log_level = "warning"', "drain_timeout = 1", "", "[[listener]]", 'bind = "127.0.0.1:0"', "tls = true", ""]
    for h in names:
        lines += ["[[site]]", f'hosts = ["{h}"]', 'certificate = "self-signed"',
                  f'upstreams = ["127.0.0.1:{ctx.upstream_port}"]', ""]
    conf = os.path.join(d, "proxy.conf")
    with open(conf, "w") as f:
        f.write("\n".join(lines))
    ready = os.path.join(d, "ready.json")

    def pc_run(label, limit=None):
        if os.path.exists(ready):
            os.unlink(ready)
        t0 = time.monotonic()
        proc = spawn([ctx.portcullis_bin, "run", "--config", conf, "--ready-file", ready],
                     os.path.join(d, "portcullis.log"), ctx.proxy_cpus)
        try:
            if not wait_ready(proc, ready=ready, limit=limit):
                return {"error": f"{label}: not ready after {time.monotonic() - t0:.0f} s (exit {proc.poll()}): "
                                 f"{tail(os.path.join(d, 'portcullis.log'), 4)}"[:400]}
            startup = time.monotonic() - t0
            time.sleep(0.5)
            pids = [proc.pid] + descendants(proc.pid)
            r = {"startup_s": startup, "pss_mib": pss_kib(pids) / 1024, "rss_mib": rss_kib(pids) / 1024}
            with open(ready) as f:
                port_ = json.load(f)["listeners"][0]["port"]
            want = hashlib.sha256(ssl.PEM_cert_to_DER_cert(
                open(os.path.join(state, "certs", names[-1], "chain.pem")).read())).hexdigest()
            try:
                r["last_site_cert_ok"] = served_fingerprint(port_, names[-1]) == want
            except Exception as e:
                r["last_site_cert_ok"] = f"error: {e}"
            return r
        finally:
            stop(proc)

    log(f"scale {n}: Portcullis first start (generates {n} certificates)")
    first = pc_run("first start (generating the certificates)", limit=max(timeout, n * 0.015))
    if "error" in first:
        return {"portcullis": first, "nginx": {"error": "n/a (no certificates)"},
                "haproxy": {"error": "n/a (no certificates)"}}
    log(f"scale {n}: Portcullis restart (loads them): first start took {first['startup_s']:.1f} s")
    second = pc_run("second start")
    if "error" not in second:
        second["first_start_s"] = first["startup_s"]
    out["portcullis"] = second

    if "nginx" in proxies:
        log(f"scale {n}: nginx")
        nd = os.path.join(d, "nginx")
        os.makedirs(nd)
        port = free_port()
        blocks = "".join(
            f"    server {{ listen 127.0.0.1:{port} ssl; server_name {h}; "
            f"ssl_certificate {state}/certs/{h}/chain.pem; ssl_certificate_key {state}/certs/{h}/key.pem; "
            f"location / {{ proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection \"\"; }} }}\n"
            for h in names)
        nconf = nginx_common(nd, ctx.workers) + f"""http {{
    access_log off;
{nginx_temp_paths(nd)}    server_names_hash_max_size {max(1024, 2 * n)};
    server_names_hash_bucket_size 128;
    upstream up {{ server 127.0.0.1:{ctx.upstream_port}; keepalive 64; }}
{blocks}}}
"""
        with open(os.path.join(nd, "nginx.conf"), "w") as f:
            f.write(nconf)
        out["nginx"] = measure("nginx", [which("nginx"), "-e", os.path.join(nd, "startup.log"), "-p", nd, "-c",
                                         os.path.join(nd, "nginx.conf")], "nginx.log", port=port)
    if "haproxy" in proxies:
        log(f"scale {n}: HAProxy")
        hd = os.path.join(d, "haproxy")
        os.makedirs(hd)
        port = free_port()
        with open(os.path.join(hd, "list.txt"), "w") as lst:
            for h in names:
                pem = os.path.join(hd, h + ".pem")
                with open(pem, "w") as f:
                    f.write(open(os.path.join(state, "certs", h, "chain.pem")).read() +
                            open(os.path.join(state, "certs", h, "key.pem")).read())
                lst.write(f"{pem} {h}\n")
        with open(os.path.join(hd, "haproxy.cfg"), "w") as f:
            f.write(f"""global
    nbthread {ctx.workers}
    maxconn 1000
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend fe
    bind 127.0.0.1:{port} ssl crt-list {hd}/list.txt
    default_backend be
backend be
    server up 127.0.0.1:{ctx.upstream_port}
""")
        out["haproxy"] = measure("haproxy", [which("haproxy"), "-db", "-f", os.path.join(hd, "haproxy.cfg")],
                                 "haproxy.log", port=port)
    shutil.rmtree(d, ignore_errors=True)
    return out


# ---------------------------------------------------------------------------------------------
# physical limits


def openssl_speed(seconds, cpus):
    pre = ["taskset", "-c", cpus] if cpus else []
    lim = {}
    r = run(pre + ["openssl", "speed", "-seconds", str(seconds), "ecdsap256", "ecdhx25519", "rsa2048"],
            timeout=60 * seconds + 60, check=False)
    m = re.search(r"^rsa 2048 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)", r.stdout, re.M)
    if m:
        lim["rsa2048_sign"] = float(m.group(1))
    m = re.search(r"ecdsa \(nistp256\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)", r.stdout)
    if m:
        lim["ecdsap256_sign"] = float(m.group(1))
    m = re.search(r"ecdh \(X25519\)\s+\S+\s+([\d.]+)", r.stdout)
    if m:
        lim["x25519"] = float(m.group(1))
    for alg in ("aes-128-gcm", "aes-256-gcm"):
        r = run(pre + ["openssl", "speed", "-seconds", str(seconds), "-bytes", "16384", "-evp", alg],
                timeout=60, check=False)
        m = re.search(rf"^{alg.upper()}\s+([\d.]+)k", r.stdout, re.M)
        if m:
            lim[alg] = float(m.group(1)) * 1000          # bytes per second
    return lim


def floors(lim, cipher):
    """Crypto-only CPU floor per unit on one core (µs per handshake, ms per MiB)."""
    out = {}
    x = lim.get("x25519")
    if x and lim.get("ecdsap256_sign"):
        # server: 1 signature + X25519 key generation + X25519 derivation (keygen counted as 1 derive)
        out["full_ecdsa"] = 1e6 / lim["ecdsap256_sign"] + 2e6 / x
    if x and lim.get("rsa2048_sign"):
        out["full_rsa"] = 1e6 / lim["rsa2048_sign"] + 2e6 / x
    if x:
        out["resumed"] = 2e6 / x                          # psk_dhe_ke: still an ECDHE, no signature
    aes = lim.get("aes-256-gcm" if "256" in (cipher or "") else "aes-128-gcm")
    if aes:
        out["big"] = (1 << 20) / aes * 1e3                # ms per MiB, encryption only
    return out


# ---------------------------------------------------------------------------------------------
# report


WORKLOADS = [
    # key, title, rate unit, cpu unit, target ratio, cert
    ("keepalive", "keep-alive `/small` (wrk -t1 -c50)", "req/s", "µs/req", 0.8, "ecdsa"),
    ("full_ecdsa", "full handshakes, ECDSA P-256 (ab -c16, no keep-alive)", "hs/s", "µs/hs", 0.9, "ecdsa"),
    ("full_rsa", "full handshakes, RSA-2048 (ab -c16, no keep-alive)", "hs/s", "µs/hs", 0.9, "rsa"),
    ("resumed", "resumed handshakes, ECDSA (wrk -t1 -c16, Connection: close)", "hs/s", "µs/hs", None, "ecdsa"),
    ("big", "`/big` 1 MiB downloads (wrk -t1 -c4)", "MiB/s", "ms/MiB", 1.0, "ecdsa"),
]


def fmt_num(v, digits=None):
    if v is None:
        return "n/a"
    if digits is None:
        digits = 0 if abs(v) >= 100 else (1 if abs(v) >= 10 else 2)
    return f"{v:,.{digits}f}"


def med(runs, key):
    vals = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
    return statistics.median(vals) if vals else None


def spread(runs, key):
    vals = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
    if len(vals) < 2:
        return ""
    return f" ({fmt_num(min(vals))}–{fmt_num(max(vals))})"


def cell(results, wl, proxy, key, unavailable, digits=None, show_spread=True):
    runs = results.get(wl, {}).get(proxy, [])
    if not runs:
        return unavailable.get((wl, proxy)) or unavailable.get(proxy) or "n/a"
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return "error: " + runs[-1]["error"][:80].replace("|", "/").replace("\n", " ")
    v = med(ok, key)
    s = fmt_num(v, digits) + (spread(ok, key) if show_spread else "")
    errs = sum(r.get("errors", 0) or 0 for r in ok)
    if errs and key in ("rate", "requests"):
        s += f" ⚠ {errs} errors"
    if len(ok) < len(runs) and key in ("rate", "requests"):
        s += f" ⚠ {len(runs) - len(ok)} of {len(runs)} runs failed (see notes)"
    return s


def acme_issuance_cell(ctx):
    """Median order duration from scripts/acme-timing.sh (Pebble on loopback), or why it is missing."""
    script = os.path.join(ROOT, "scripts", "acme-timing.sh")
    if not ctx.portcullis_bin or not os.path.exists(script) or not shutil.which("pebble"):
        return "n/a (needs pebble and scripts/acme-timing.sh)"
    durations = []
    for _ in range(1 if ctx.quick else 3):
        try:
            r = run([script, "-b", ctx.portcullis_bin, "app.example.test", "www.example.com"], check=False, timeout=60)
        except subprocess.TimeoutExpired:
            continue
        m = re.search(r"duration_ms=(\d+)", r.stdout + r.stderr)
        if m:
            durations.append(int(m.group(1)))
    if not durations:
        return "n/a (issuance did not complete)"
    durations.sort()
    return f"{durations[len(durations) // 2]} ms (lego 4.9.1: 12.9–13.6 s, notes/pebble.md)"


def build_report(ctx, results, unavailable, lim, probes, uptime_before, uptime_after, elapsed):
    L = []
    mode = "quick" if ctx.quick else "full"
    L.append(f"# Portcullis benchmark: {ctx.stamp} ({mode})")
    L.append("")
    L.append(f"Command: `{ctx.command}` · workers {ctx.workers} · {ctx.duration} s per run × {ctx.reps} "
             f"repetition(s), median (range) · {ctx.idle_conns} idle connections · bench time {elapsed:.0f} s")
    if ctx.proxy_cpus:
        L.append(f"Pinning: proxy on CPU {ctx.proxy_cpus}; load generators and upstream on CPU {ctx.client_cpus} "
                 "(taskset).")
    else:
        L.append("Pinning: none (fewer than 2 CPUs or more than 1 worker).")
    L.append("SNI: " + ("bench.test for every client (wrk and ab resolve it through a private /etc/hosts, "
                        "unshare -m)." if ctx.client.hosts else
                        "wrk and ab connect to 127.0.0.1 (no SNI) with Host: bench.test; the probe and idle "
                        "clients send SNI bench.test."))
    L.append(f"Machine: {os.cpu_count()} CPU, {platform_line()}")
    L.append(f"Load before: `{uptime_before}`  ")
    L.append(f"Load after: `{uptime_after}`")
    L.append("")
    L.append("CPU = the proxy's utime+stime from /proc/PID/stat (all threads and processes: nginx master+worker, "
             "HAProxy, Portcullis) over the run, divided by the work done. It is the noise-resistant figure; rates "
             "on this shared machine are not. Ratio = Portcullis ÷ the better of nginx and HAProxy (lower is better).")
    L.append("")
    L.append("| workload | nginx | HAProxy | Portcullis | Portcullis ÷ best other | target |")
    L.append("|---|---|---|---|---|---|")

    def ratio(wl, key="cpu_per_unit"):
        vals = {}
        for p in PROXIES:
            ok = [r for r in results.get(wl, {}).get(p, []) if "error" not in r]
            vals[p] = med(ok, key) if ok else None
        others = [vals[p] for p in ("nginx", "haproxy") if vals[p]]
        if vals["portcullis"] is None or not others:
            return None
        return vals["portcullis"] / min(others)

    def row(title, wl, key, digits=None, ratio_target=None, with_ratio=False, spread_=True):
        cells = [cell(results, wl, p, key, unavailable, digits, spread_) for p in PROXIES]
        rt = ""
        if with_ratio:
            r = ratio(wl, key)
            if r is not None:
                mark = "" if ratio_target is None else (" ✅" if r <= ratio_target else " ❌")
                rt = f"{r:.2f}×{mark}"
            else:
                rt = "n/a"
        tgt = f"≤ {ratio_target}×" if ratio_target else ""
        L.append(f"| {title} | " + " | ".join(cells) + f" | {rt} | {tgt} |")

    for wl, title, runit, cunit, target, _cert in WORKLOADS:
        row(f"{title}: {runit}", wl, "rate")
        if wl == "keepalive":
            lat = []
            for p in PROXIES:
                ok = [r for r in results.get(wl, {}).get(p, []) if "error" not in r]
                if ok and med(ok, "p50_ms") is not None:
                    lat.append(f"{fmt_num(med(ok, 'p50_ms'), 2)} / {fmt_num(med(ok, 'p99_ms'), 2)}")
                else:
                    lat.append(cell(results, wl, p, "p50_ms", unavailable))
            L.append("| &nbsp;&nbsp;p50 / p99 latency, ms | " + " | ".join(lat) + " | | |")
        row(f"&nbsp;&nbsp;CPU per unit, {cunit}", wl, "cpu_per_unit", digits=1 if cunit != "ms/MiB" else 2,
            ratio_target=target, with_ratio=True)
    row(f"RSS per idle TLS connection, KiB ({ctx.idle_conns} held open, one request each)", "idle",
        "cpu_per_unit", digits=1, ratio_target=0.7, with_ratio=True)
    base = []
    for p in PROXIES:
        ok = [r for r in results.get("idle", {}).get(p, []) if "error" not in r]
        base.append(f"{fmt_num(med(ok, 'base_kib') / 1024, 1)} MiB" if ok else
                    cell(results, "idle", p, "base_kib", unavailable))
    L.append("| &nbsp;&nbsp;RSS before opening them | " + " | ".join(base) + " | | |")
    st = []
    for p in PROXIES:
        inst = ctx.instances.get((p, "ecdsa"))
        st.append(f"{inst.startup_s * 1000:.0f} ms" if inst and inst.startup_s else
                  unavailable.get(p, "n/a"))
    L.append("| startup to listening, 1 certificate (ms, informational) | " + " | ".join(st) + " | | |")
    sw = []
    for p in PROXIES:
        runs = results.get("swap", {}).get(p, [])
        if not runs:
            sw.append(unavailable.get(p) or ("not run" if "swap" not in ctx.workloads else "n/a"))
            continue
        r = runs[-1]
        if "error" in r:
            sw.append("error: " + r["error"][:100].replace("|", "/"))
            continue
        c = (f"{r['failed'] + r['non2xx']} failed of {r['requests']:,}; new cert after "
             f"{fmt_num(r['median_ms'], 0)} ms (max {fmt_num(r['max_ms'], 0)}; the swap command itself "
             f"{fmt_num(r.get('command_ms'), 0)} ms)")
        if r.get("never_served"):
            c += f" ⚠ {r['never_served']} swaps never served"
        sw.append(c)
    how = ("nginx: files + SIGHUP reload; HAProxy: runtime API set/commit ssl cert; Portcullis: "
           + getattr(ctx, "swap_method", "store files + SIGHUP"))
    L.append(f"| certificate swaps under load ({ctx.swaps} swaps during ab -c16 full handshakes; {how}) | "
             + " | ".join(sw) + " | | 0 failed |")
    for n in sorted({10000, 100000} | set(ctx.scale)):
        runs = results.get(f"scale{n}", {})
        cells = []
        vals = {}
        for p in PROXIES:
            v = (runs.get(p) or [None])[-1]
            if v is None:
                if n in ctx.scale:
                    cells.append(unavailable.get(p, "n/a"))
                elif ctx.quick and n == 10000:
                    cells.append("not run in --quick (`--workloads scale`)")
                else:
                    cells.append("not run (`--scale-certs 100000`, ~10 more minutes)" if n == 100000 else "not run")
                continue
            if "error" in v:
                cells.append(v["error"][:120].replace("|", "/"))
                continue
            vals[p] = v
            c = f"{v['startup_s']:.1f} s, {v['pss_mib']:,.0f} MiB"
            if v.get("first_start_s"):
                c += f" (first start, generating them: {v['first_start_s']:.1f} s)"
            if v.get("last_site_cert_ok") is not True:
                c += f" ⚠ last site's certificate: {v.get('last_site_cert_ok')}"
            cells.append(c)
        rt = ""
        others = [vals[p] for p in ("nginx", "haproxy") if p in vals]
        if "portcullis" in vals and others:
            rt = (f"time {vals['portcullis']['startup_s'] / min(o['startup_s'] for o in others):.2f}×, "
                  f"memory {vals['portcullis']['pss_mib'] / min(o['pss_mib'] for o in others):.2f}×")
        L.append(f"| startup time and memory (PSS, all processes), {n:,} sites with their own certificates | "
                 + " | ".join(cells) + f" | {rt} | |")
    L.append("| ACME issuance time against Pebble, 2 names (HTTP-01, `PEBBLE_VA_NOSLEEP=1`, badNonce injection on) "
             f"| n/a (no ACME client) | n/a | {acme_issuance_cell(ctx)} | | |")
    L.append("")

    # physical limits
    cipher = next((pr.get("cipher") for (p, c), pr in probes.items() if c == "ecdsa" and pr.get("cipher")), "")
    fl = floors(lim, cipher)
    L.append("## Physical limits (openssl speed on the proxy's core)")
    L.append("")
    L.append("| primitive | rate | cost |")
    L.append("|---|---|---|")
    for key, title in (("ecdsap256_sign", "ECDSA P-256 sign"), ("x25519", "X25519 derive"),
                       ("rsa2048_sign", "RSA-2048 sign")):
        v = lim.get(key)
        L.append(f"| {title} | {fmt_num(v)}/s | {fmt_num(1e6 / v, 1) if v else 'n/a'} µs |")
    for key in ("aes-128-gcm", "aes-256-gcm"):
        v = lim.get(key)
        L.append(f"| {key.upper()}, 16 KiB blocks | {fmt_num(v / (1 << 20)) if v else 'n/a'} MiB/s | "
                 f"{fmt_num((1 << 20) / v * 1e3, 3) if v else 'n/a'} ms/MiB |")
    L.append("")
    L.append(f"How close each proxy gets: crypto floor ÷ measured CPU per unit (100 % = nothing but the "
             f"unavoidable crypto). Floors: full handshake = 1 signature + 2 X25519 operations (key generation "
             f"counted as one derive); resumed = 2 X25519 (psk_dhe_ke); `/big` = encrypting 1 MiB with the "
             f"negotiated cipher ({cipher or '?'}).")
    L.append("")
    L.append("| workload | crypto floor | nginx | HAProxy | Portcullis |")
    L.append("|---|---|---|---|---|")
    for wl, title, unit in (("full_ecdsa", "full handshake ECDSA", "µs"), ("full_rsa", "full handshake RSA", "µs"),
                            ("resumed", "resumed handshake", "µs"), ("big", "`/big` per MiB", "ms")):
        f = fl.get(wl)
        cells = []
        for p in PROXIES:
            ok = [r for r in results.get(wl, {}).get(p, []) if "error" not in r]
            v = med(ok, "cpu_per_unit") if ok else None
            cells.append(f"{f / v * 100:.0f} %" if (f and v) else "n/a")
        L.append(f"| {title} | {fmt_num(f, 2) if f else 'n/a'} {unit} | " + " | ".join(cells) + " |")
    L.append("")

    # setup check
    L.append("## Setup check (one probe connection per proxy instance, SNI bench.test)")
    L.append("")
    L.append("| proxy | cert | protocol | cipher | key exchange | signature | bench cert served | /small | /big | resumes | config |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for p in PROXIES:
        for c in CERTS:
            pr = probes.get((p, c))
            inst = ctx.instances.get((p, c))
            if not pr:
                L.append(f"| {LABEL[p]} | {c} | " + " | ".join(["n/a"] * 8) + f" | {unavailable.get((p, c)) or unavailable.get(p, '')} |")
                continue
            if pr.get("error"):
                L.append(f"| {LABEL[p]} | {c} | error: {pr['error'][:100].replace('|', '/')} | | | | | | | | |")
                continue
            L.append(f"| {LABEL[p]} | {c} | {pr.get('protocol')} | {pr.get('cipher')} | {pr.get('kex')} | "
                     f"{pr.get('sigalg')} | {'yes' if pr.get('cert_match') else 'NO'} | {pr.get('small')} | "
                     f"{pr.get('big')} | {pr.get('resumes', '?')} | {(inst.note if inst else '') or 'default'} |")
    L.append("")

    # resumption verification
    L.append("## Resumption checks")
    L.append("")
    for p in PROXIES:
        fr = [r for r in results.get("full_ecdsa", {}).get(p, []) + results.get("full_rsa", {}).get(p, [])
              if "error" not in r]
        rs = [r for r in results.get("resumed", {}).get(p, []) if "error" not in r]
        parts = []
        hp = [r for r in fr if r.get("haproxy_reuse_pct") is not None]
        if hp:
            parts.append("full handshakes (ab): HAProxy's `SslFrontendSessionReuse_pct` mid-run = " +
                         ", ".join(f"{r['haproxy_reuse_pct']} % (SslRate {r.get('haproxy_ssl_rate')}/s, "
                                   f"FrontendKeyRate {r.get('haproxy_key_rate')}/s)" for r in hp))
        hp = [r for r in rs if r.get("haproxy_reuse_pct") is not None]
        if hp:
            parts.append("resumed (wrk Connection: close): HAProxy's `SslFrontendSessionReuse_pct` mid-run = " +
                         ", ".join(f"{r['haproxy_reuse_pct']} % (SslRate {r.get('haproxy_ssl_rate')}/s, "
                                   f"FrontendKeyRate {r.get('haproxy_key_rate')}/s)" for r in hp))
        pr = probes.get((p, "ecdsa"))
        if pr and pr.get("resumes"):
            parts.append(f"probe: a saved session resumes on the next two connections: {pr['resumes']}")
        idle = [r for r in results.get("idle", {}).get(p, []) if "error" not in r]
        if idle:
            parts.append("idle conns: " + ", ".join(f"{r['reused']} of {r['opened']} reused" for r in idle))
        if parts:
            L.append(f"- {LABEL[p]}: " + "; ".join(parts))
    L.append("- ab creates a fresh SSL object per connection and never calls SSL_set_session, so every "
             "connection is a full handshake. wrk with `Connection: close` reuses its SSL object (SSL_clear keeps "
             "the session), so its reconnects resume. HAProxy's counter (percent over the last second, so a few "
             "% of jitter) confirms both from the server side; a proxy whose probe does not resume would turn "
             "the resumed row into full handshakes.")
    L.append("")

    # details
    L.append("## Details (per run)")
    L.append("")
    L.append("| workload | proxy | rep | rate | CPU/unit | proxy CPU busy | errors | extra |")
    L.append("|---|---|---|---|---|---|---|---|")
    for wl in [w[0] for w in WORKLOADS] + ["idle"]:
        for p in PROXIES:
            for i, r in enumerate(results.get(wl, {}).get(p, [])):
                if "error" in r:
                    L.append(f"| {wl} | {LABEL[p]} | {i + 1} | error | | | | {r['error'][:150].replace('|', '/')} |")
                    continue
                extra = {k: v for k, v in r.items() if k not in ("rate", "cpu_per_unit", "busy", "errors")}
                L.append(f"| {wl} | {LABEL[p]} | {i + 1} | {fmt_num(r.get('rate'))} | {fmt_num(r.get('cpu_per_unit'))} | "
                         f"{fmt_num(r.get('busy'))} % | {r.get('errors', 0)} | "
                         f"{json.dumps(extra, default=str).replace('|', '/')} |")
    L.append("")
    if NOTES:
        L.append("## Notes and problems")
        L.append("")
        for n_ in NOTES:
            L.append("- " + n_.replace("\n", " ⏎ "))
        L.append("")
    L.append("## Fairness settings")
    L.append("")
    L.append("- Same certificates (leaf + CA chain, generated per run), TLS 1.2–1.3 allowed, library defaults for "
             "ciphers and groups, TLS 1.3 negotiated (see setup check); session tickets at each server's default.")
    L.append("- nginx: `worker_processes N`, `access_log off`, upstream `keepalive 64`, `proxy_http_version 1.1`, "
             "`proxy_buffers 8 16k`, `proxy_max_temp_file_size 0`, `keepalive_requests` raised to 10M on both sides.")
    L.append("- HAProxy: `nbthread N`, no `log`, `mode http`, `http-reuse always`, `option http-keep-alive`.")
    L.append("- Portcullis: `workers = N`, `access_log = \"off\"`, `log_level = \"warning\"`.")
    L.append("- Upstream: nginx, 1 worker, static `/small` (100 B) and `/big` (1 MiB), keep-alive.")
    return "\n".join(L) + "\n"


def platform_line():
    parts = []
    try:
        parts.append(os.uname().release)
    except Exception:
        pass
    for argv, pat in ((["openssl", "version"], r"(OpenSSL \S+)"), ([which("nginx") or "nginx", "-v"], r"nginx/(\S+)"),
                      ([which("haproxy") or "haproxy", "-v"], r"HAProxy version (\S+)"), (["wrk", "-v"], r"wrk (\S+)")):
        try:
            r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=10)
            m = re.search(pat, r.stdout)
            parts.append(m.group(0) if m else "?")
        except Exception:
            pass
    try:
        rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "Sources", "Package.swift"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=10).stdout.strip()
        parts.append(f"Portcullis {rev}{' + uncommitted changes' if dirty else ''}")
    except Exception:
        pass
    return ", ".join(parts)


def uptime():
    try:
        return subprocess.run(["uptime"], stdout=subprocess.PIPE, text=True, timeout=5).stdout.strip()
    except Exception:
        with open("/proc/loadavg") as f:
            return "loadavg " + f.read().strip()


# ---------------------------------------------------------------------------------------------
# main


class Ctx:
    pass


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="1 repetition, short runs (< 3 minutes)")
    ap.add_argument("--workers", type=int, default=1, help="workers/threads for every proxy (default 1)")
    ap.add_argument("--duration", type=int, help="seconds per run (default 8, quick 4)")
    ap.add_argument("--reps", type=int, help="repetitions (default 3, quick 1)")
    ap.add_argument("--idle-conns", type=int, default=2000)
    ap.add_argument("--only", help="comma-separated subset of nginx,haproxy,portcullis")
    ap.add_argument("--workloads", help="comma-separated subset of keepalive,full_ecdsa,full_rsa,resumed,big,idle,"
                    "swap,scale")
    ap.add_argument("--swaps", type=int, help="certificate swaps under load (default 10, quick 4; even)")
    ap.add_argument("--scale-certs", help="comma-separated site/certificate counts for the startup row "
                    "(default 10000 in full mode, none in quick; 100000 takes ~10 more minutes)")
    ap.add_argument("--portcullis-log-level", default="warning", help="log_level for Portcullis (default warning)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    args = ap.parse_args()

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, _on_signal)
    atexit.register(stop_all)

    ctx = Ctx()
    ctx.quick = args.quick
    ctx.workers = args.workers
    ctx.duration = args.duration or (4 if args.quick else 8)
    ctx.reps = args.reps or (1 if args.quick else 3)
    ctx.idle_conns = args.idle_conns
    ctx.portcullis_log_level = args.portcullis_log_level
    ctx.command = "bench/run " + " ".join(sys.argv[1:])
    ctx.stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    proxies = [p for p in PROXIES if not args.only or p in args.only.split(",")]
    workloads = [w[0] for w in WORKLOADS] + ["idle", "swap", "scale"]
    if args.workloads:
        workloads = [w for w in workloads if w in args.workloads.split(",")]
    ctx.swaps = args.swaps or (4 if args.quick else 10)
    ctx.swaps += ctx.swaps % 2                      # even: the instance ends on the bench certificate
    if args.scale_certs is not None:
        ctx.scale = [int(x) for x in args.scale_certs.split(",") if x.strip()]
    else:
        ctx.scale = [] if (args.quick and not args.workloads) else [10000]
    if "scale" not in workloads:
        ctx.scale = []
    ctx.workloads = workloads

    for tool in ("nginx", "haproxy", "wrk", "ab", "openssl"):
        if not which(tool):
            sys.exit(f"bench: {tool} not found (run `make bench`, or scripts/ensure-packages.sh "
                     "nginx-light haproxy wrk apache2-utils)")

    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) >= 2 and ctx.workers == 1:
        ctx.proxy_cpus = str(cpus[-1])
        ctx.client_cpus = ",".join(str(c) for c in cpus[:-1])
    else:
        ctx.proxy_cpus = ctx.client_cpus = None

    ctx.portcullis_bin = os.environ.get("PORTCULLIS_BIN") or None
    ctx.portcullis_missing = os.environ.get("PORTCULLIS_MISSING", "")
    if ctx.portcullis_bin and not os.access(ctx.portcullis_bin, os.X_OK):
        ctx.portcullis_missing = f"{ctx.portcullis_bin} is not executable"
        ctx.portcullis_bin = None
    if os.environ.get("PORTCULLIS_BUILD_NOTE"):
        note(os.environ["PORTCULLIS_BUILD_NOTE"])

    t_start = time.monotonic()
    up_before = uptime()
    workdir = tempfile.mkdtemp(prefix="portcullis-bench-")
    os.chmod(workdir, 0o755)
    if args.keep:
        log(f"work directory: {workdir}")
    else:
        atexit.register(shutil.rmtree, workdir, True)
    results, unavailable, probes, lim = {}, {}, {}, {}
    ctx.instances = {}
    try:
        log("certificates")
        ctx.certs = make_certs(workdir)
        ctx.client = Client(workdir, ctx.client_cpus)
        if not ctx.client.hosts:
            note("no private mount namespace: wrk/ab connect to 127.0.0.1 (no SNI) with Host: bench.test")
        log("openssl speed (physical limits)")
        lim = openssl_speed(1 if ctx.quick else 3, ctx.proxy_cpus)

        log("upstream nginx")
        ctx.upstream_port, _ = start_upstream(workdir, ctx.client_cpus)

        for p in proxies:
            for c in CERTS:
                if c == "rsa" and not ({"full_rsa"} & set(workloads)):
                    continue
                inst = Instance(p, c, workdir)
                log(f"start {p} ({c})")
                try:
                    STARTERS[p](inst, ctx)
                    ctx.instances[(p, c)] = inst
                    probes[(p, c)] = probe(inst, ctx)
                    pr = probes[(p, c)]
                    if pr.get("error") or not pr.get("small_ok") or not pr.get("big_ok"):
                        note(f"{LABEL[p]} ({c}) probe: {pr}")
                    if not pr.get("cert_match"):
                        note(f"{LABEL[p]} ({c}) does not serve the bench certificate")
                    log(f"  {p} ({c}) port {inst.port}, pid {inst.proc.pid}, {inst.note or 'ok'}")
                except Exception as e:
                    msg = str(e).strip().replace("\n", " ⏎ ")
                    unavailable[(p, c)] = f"n/a ({c}: did not start)"
                    if p == "portcullis":
                        unavailable[(p, c)] = "n/a (not running)"
                    note(f"{LABEL[p]} ({c}) did not start: {msg[:1500]}")
        for p in proxies:
            if (p, "ecdsa") not in ctx.instances:
                unavailable.setdefault(p, "n/a (not running)")
            if (p == "portcullis" and "full_rsa" in workloads and (p, "rsa") not in ctx.instances
                    and (p, "ecdsa") in ctx.instances):
                unavailable[("full_rsa", p)] = "n/a (no RSA certificate: self-signed fallback is ECDSA)"
        for p in PROXIES:
            if p not in proxies:
                unavailable[p] = "not run (--only)"

        def ensure_running(inst, wl):
            if inst.alive():
                return True
            rc = inst.proc.poll() if inst.proc else None
            note(f"{LABEL[inst.proxy]} ({inst.cert}) was not running before {wl} (exit status {rc}); "
                 f"log tail: {inst.logs(10)}")
            try:
                STARTERS[inst.proxy](inst, ctx)
                return True
            except Exception as e:
                note(f"{LABEL[inst.proxy]} ({inst.cert}) restart failed: {e}")
                return False

        # warm-up: a short keep-alive run per instance (fills upstream pools, page cache, allocators)
        for (p, c), inst in ctx.instances.items():
            run(ctx.client.cmd(["wrk", "-t1", "-c50", "-d1s", "-H", f"Host: {HOST}",
                                ctx.client.url(inst.port, "/small")]), timeout=60, check=False)

        funcs = {"keepalive": wl_keepalive, "full_ecdsa": wl_full_handshake, "full_rsa": wl_full_handshake,
                 "resumed": wl_resumed, "big": wl_big}
        certs_of = {w[0]: w[5] for w in WORKLOADS}
        certs_of["idle"] = "ecdsa"
        for rep in range(ctx.reps):
            order = proxies[rep % len(proxies):] + proxies[:rep % len(proxies)]   # rotate to spread drift
            for wl in workloads:
                if wl not in certs_of:
                    continue
                for p in order:
                    inst = ctx.instances.get((p, certs_of[wl]))
                    if inst is None:
                        continue
                    if not ensure_running(inst, wl):
                        results.setdefault(wl, {}).setdefault(p, []).append({"error": "proxy not running"})
                        continue
                    log(f"rep {rep + 1}/{ctx.reps} {wl} {p}")
                    try:
                        if wl == "idle":
                            # a fresh instance each time: memory freed by an earlier run would be reused
                            # and hide the cost (RSS does not shrink after free)
                            fresh = Instance(p, "ecdsa", workdir, f"-idle{rep + 1}")
                            STARTERS[p](fresh, ctx)
                            try:
                                health(fresh, attempts=1)
                                r = wl_idle(fresh, ctx, ctx.idle_conns)
                            finally:
                                if fresh.proc:
                                    stop(fresh.proc)
                        else:
                            r = funcs[wl](inst, ctx, ctx.duration)
                    except Exception as e:
                        r = {"error": f"{type(e).__name__}: {e}"}
                    if wl != "idle" and inst.alive():
                        fails = health(inst)
                        if fails:
                            r["health_after"] = fails
                            note(f"{LABEL[p]} ({inst.cert}) after {wl} rep {rep + 1}: {len(fails)} of 3 fresh "
                                 f"connections got no proper response to GET /small ({'; '.join(fails)}); "
                                 "restarting it for the next rows")
                            stop(inst.proc)
                            try:
                                STARTERS[p](inst, ctx)
                            except Exception as e:
                                note(f"{LABEL[p]} ({inst.cert}) restart failed: {e}")
                    if not inst.alive():
                        r.setdefault("error", "proxy exited during the run")
                        note(f"{LABEL[p]} ({inst.cert}) exited during {wl} (exit status {inst.proc.poll()}); "
                             f"log tail: {inst.logs(10)}")
                    if r.get("error"):
                        note(f"{LABEL[p]} {wl} rep {rep + 1}: {r['error']}")
                    if r.get("errors"):
                        note(f"{LABEL[p]} {wl} rep {rep + 1}: {r.get('errors')} errors: "
                             f"{ {k: v for k, v in r.items() if k in ('non2xx', 'socket_errors', 'failed', 'first_error', 'bad_doc_len', 'bytes_per_conn', 'not_reused')} }")
                    results.setdefault(wl, {}).setdefault(p, []).append(r)
                    brief = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items()
                             if k in ("rate", "cpu_per_unit", "busy", "errors", "error", "p50_ms", "p99_ms")}
                    log(f"    {brief}")
        if "swap" in workloads:
            for p in proxies:
                inst = ctx.instances.get((p, "ecdsa"))
                if inst is None or not ensure_running(inst, "swap"):
                    continue
                log(f"certificate swaps under load: {p} ({ctx.swaps} swaps)")
                try:
                    r = wl_swap(inst, ctx, ctx.swaps)
                except Exception as e:
                    r = {"error": f"{type(e).__name__}: {e}"}
                if not inst.alive():
                    r.setdefault("error", "proxy exited during the swaps")
                    note(f"{LABEL[p]} exited during the certificate swaps (exit {inst.proc.poll()}); "
                         f"log tail: {inst.logs(10)}")
                if r.get("errors") or r.get("ab_errors"):
                    note(f"{LABEL[p]} certificate swaps: {r}")
                log(f"    {r}")
                results.setdefault("swap", {}).setdefault(p, []).append(r)
        # error lines in the proxies' own logs
        for (p, c), inst in ctx.instances.items():
            errs = [l for l in inst.logs(400).splitlines()
                    if re.search(r"level=(error|critical)|\s(error|critical) portcullis:|\[(alert|emerg|crit)\]|"
                                 r"Fatal|fatal error|\[ALERT\]|Segmentation|Illegal instruction", l)]
            if errs:
                note(f"{LABEL[p]} ({c}) logged {len(errs)} error lines, e.g.: " + " ⏎ ".join(errs[:3])[:600])
        if ctx.scale:
            for inst in list(ctx.instances.values()):       # free the memory before the startup rows
                if inst.proc:
                    stop(inst.proc)
            for n in ctx.scale:
                try:
                    r = scale_phase(ctx, workdir, n, proxies)
                except Exception as e:
                    r = {p: {"error": f"{type(e).__name__}: {e}"} for p in proxies}
                for p, v in r.items():
                    if "error" in v:
                        note(f"startup with {n} certificates, {LABEL[p]}: {v['error']}")
                    results.setdefault(f"scale{n}", {}).setdefault(p, []).append(v)
                log(f"    scale {n}: {r}")
    finally:
        stop_all()
    up_after = uptime()
    elapsed = time.monotonic() - t_start
    report = build_report(ctx, results, unavailable, lim, probes, up_before, up_after,
                          elapsed)
    os.makedirs(args.out, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S") + ("-quick" if ctx.quick else "")
    path = os.path.join(args.out, f"{stamp}.md")
    for target in (path, os.path.join(args.out, "latest.md")):
        with open(target, "w") as f:
            f.write(report)
    with open(os.path.join(args.out, f"{stamp}.json"), "w") as f:
        json.dump({"results": {wl: {p: runs for p, runs in d.items()} for wl, d in results.items()},
                   "limits": lim,
                   "probes": {f"{p}-{c}": v for (p, c), v in probes.items()}, "notes": NOTES}, f, indent=1,
                  default=str)
    print(report)
    log(f"written {path} and {os.path.join(args.out, 'latest.md')} ({elapsed:.0f} s)")


if __name__ == "__main__":
    main()
