#!/usr/bin/env python3
"""The 100,000-certificate row of issue 12: time to ready, memory after start, and certificate swap
latency under handshake load, for Portcullis, nginx (one `server` block per site) and HAProxy (a
`crt-list`), all serving the same files.

The data set follows the issue: `--distinct` certificates (default 2,000) with up to 50 SANs each, the
other sites' folders hard links to them, in Portcullis's store layout (<state>/certs/<name>/chain.pem,
key.pem 0600, meta.json). Certificate k covers sites k, k+distinct, k+2*distinct, ... so every name
is served a certificate that names it. Distinct keys are not required: the leaves share one P-256 key.

    bench/scale100k.py --portcullis .build-bench/release/portcullis [--sites 100000] [--distinct 2000]
                       [--only portcullis,nginx,haproxy] [--data DIR] [--swaps 5] [--json OUT]

Standard library and the openssl CLI only. Loopback only; every process started is stopped by PID.
Not part of `make test` (it takes minutes and needs nginx and HAProxy).
"""
import argparse
import ctypes
import json
import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

DOMAIN = "scale.test"


def log(msg):
    print(f"[scale100k] {msg}", file=sys.stderr, flush=True)


def run(argv, **kw):
    return subprocess.run(argv, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def host(i):
    return f"s{i}.{DOMAIN}"


# ---------------------------------------------------------------------------------------------
# data set


def sign_leaf(d, ca, key, hosts, out_chain, days=30):
    """A leaf for `hosts` signed by `ca`, with `key`; writes leaf + CA to `out_chain`."""
    ext = os.path.join(d, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=" + ",".join("DNS:" + h for h in hosts) + "\n")
    csr = os.path.join(d, "leaf.csr")
    leaf = os.path.join(d, "leaf.pem")
    run(["openssl", "req", "-new", "-key", key, "-subj", "/CN=" + hosts[0], "-out", csr])
    run(["openssl", "x509", "-req", "-in", csr, "-CA", ca["cert"], "-CAkey", ca["key"], "-CAcreateserial",
         "-days", str(days), "-sha256", "-extfile", ext, "-out", leaf])
    with open(out_chain, "w") as f:
        f.write(open(leaf).read() + open(ca["cert"]).read())


def make_dataset(root, sites, distinct):
    """Builds (or reuses) the store under root/state; returns paths."""
    marker = os.path.join(root, f"done-{sites}-{distinct}")
    ca = {"cert": os.path.join(root, "ca.pem"), "key": os.path.join(root, "ca.key")}
    key = os.path.join(root, "leaf.key")
    out = {"root": root, "state": os.path.join(root, "state"), "ca": ca, "key": key, "distinct": distinct}
    if os.path.exists(marker):
        return out
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "distinct"))
    run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ca["key"]])
    run(["openssl", "req", "-x509", "-new", "-key", ca["key"], "-subj", "/CN=scale bench CA", "-days", "30",
         "-out", ca["cert"]])
    run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key])
    t0 = time.monotonic()
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for k in range(distinct):
        hosts = [host(i) for i in range(k, sites, distinct)][:50]
        kd = os.path.join(root, "distinct", str(k))
        os.makedirs(kd)
        sign_leaf(kd, ca, key, hosts, os.path.join(kd, "chain.pem"))
        shutil.copyfile(key, os.path.join(kd, "key.pem"))
        os.chmod(os.path.join(kd, "key.pem"), 0o600)
        with open(os.path.join(kd, "meta.json"), "w") as f:
            json.dump({"source": "user", "domains": hosts, "created": created}, f)
        with open(os.path.join(kd, "haproxy.pem"), "w") as f:
            f.write(open(os.path.join(kd, "chain.pem")).read() + open(key).read())
        if k % 250 == 0:
            log(f"data set: {k}/{distinct} certificates ({time.monotonic() - t0:.0f} s)")
    certs = os.path.join(out["state"], "certs")
    os.makedirs(certs)
    for i in range(sites):
        kd = os.path.join(root, "distinct", str(i % distinct))
        sd = os.path.join(certs, host(i))
        os.mkdir(sd)
        for name in ("chain.pem", "key.pem", "meta.json"):
            os.link(os.path.join(kd, name), os.path.join(sd, name))
    open(marker, "w").close()
    log(f"data set ready: {sites} sites, {distinct} distinct certificates ({time.monotonic() - t0:.0f} s)")
    return out


def swap_certificate(data, name, index):
    """A new certificate (own CN/serial) for `name` alone: (chain path, key path, haproxy pem path)."""
    d = os.path.join(data["root"], "swaps", f"{index}")
    os.makedirs(d, exist_ok=True)
    chain = os.path.join(d, "chain.pem")
    sign_leaf(d, data["ca"], data["key"], [name], chain)
    with open(os.path.join(d, "haproxy.pem"), "w") as f:
        f.write(open(chain).read() + open(data["key"]).read())
    return chain


# ---------------------------------------------------------------------------------------------
# probes


def fingerprint(pem_text):
    """SHA-256 of the first (leaf) certificate in a PEM chain."""
    import hashlib
    end = "-----END CERTIFICATE-----"
    leaf = pem_text[:pem_text.index(end) + len(end)] + "\n"
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(leaf)).hexdigest()


def served(port, name, timeout=5):
    """SHA-256 of the leaf served for SNI `name`."""
    import hashlib
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
        with ctx.wrap_socket(raw, server_hostname=name) as s:
            return hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest()


class Load:
    """Threads doing full handshakes to random site names until stopped; counts failures."""

    def __init__(self, port, sites, threads=2):
        self.port, self.sites = port, sites
        self.ok = self.failed = 0
        self.errors = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(threads)]

    def loop(self):
        rng = random.Random()
        while not self.stopping.is_set():
            try:
                served(self.port, host(rng.randrange(self.sites)))
                with self.lock:
                    self.ok += 1
            except Exception as e:
                with self.lock:
                    self.failed += 1
                    if len(self.errors) < 5:
                        self.errors.append(repr(e)[:200])

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=10)


def wait_served(port, name, want, limit=60.0):
    """Seconds until SNI `name` is served the certificate with fingerprint `want` (None on timeout)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        try:
            if served(port, name, timeout=2) == want:
                return time.monotonic() - t0
        except OSError:
            pass
    return None


# ---------------------------------------------------------------------------------------------
# processes


def memory_kib(pid):
    """(RSS, PSS) in KiB of `pid` and its descendants."""
    pids = [pid]
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], stdout=subprocess.PIPE, text=True).stdout
        pids += [int(p) for p in out.split()]
    except OSError:
        pass
    rss = pss = 0
    for p in pids:
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
            for line in open(f"/proc/{p}/smaps_rollup"):
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(argv, logpath):
    return subprocess.Popen(argv, stdout=open(logpath, "w"), stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_until(predicate, proc, limit):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if proc.poll() is not None:
            return None
        if predicate():
            return time.monotonic() - t0
        time.sleep(0.02)
    return None


# ---------------------------------------------------------------------------------------------
# the three proxies: start (time to ready, memory) and swap one certificate under load


class Portcullis:
    name = "portcullis"

    def __init__(self, binary, data, sites, work):
        self.binary, self.data, self.sites, self.work = binary, data, sites, work
        self.ready = os.path.join(work, "ready.json")
        self.conf = os.path.join(work, "proxy.conf")
        lines = ["[server]", f'state_dir = "{data["state"]}"', "workers = 1", 'access_log = "off"',
                 'log_level = "warning"', "drain_timeout = 1", "", "[[listener]]", 'bind = "127.0.0.1:0"',
                 "tls = true", ""]
        for i in range(sites):
            lines += ["[[site]]", f'hosts = ["{host(i)}"]', f'certificate = "{host(i)}"', 'respond = "ok"', ""]
        with open(self.conf, "w") as f:
            f.write("\n".join(lines))

    def start(self):
        if os.path.exists(self.ready):
            os.unlink(self.ready)
        self.proc = spawn([self.binary, "run", "--config", self.conf, "--ready-file", self.ready],
                          os.path.join(self.work, "portcullis.log"))
        return wait_until(lambda: os.path.exists(self.ready), self.proc, 600)

    def port(self):
        with open(self.ready) as f:
            return json.load(f)["listeners"][0]["port"]

    def swap(self, name, chain):
        """Writes the new folder as the store does (staging folder, atomic exchange); returns when it landed."""
        certs = os.path.join(self.data["state"], "certs")
        staging = os.path.join(certs, f".staging-{name}-{random.getrandbits(32):x}")
        os.mkdir(staging)
        shutil.copyfile(chain, os.path.join(staging, "chain.pem"))
        shutil.copyfile(self.data["key"], os.path.join(staging, "key.pem"))
        os.chmod(os.path.join(staging, "key.pem"), 0o600)
        with open(os.path.join(staging, "meta.json"), "w") as f:
            json.dump({"source": "user", "domains": [name], "created": "2026-12-02T00:00:00Z"}, f)
        libc = ctypes.CDLL(None, use_errno=True)
        target = os.path.join(certs, name)
        rc = libc.renameat2(-100, staging.encode(), -100, target.encode(), 2)  # AT_FDCWD, RENAME_EXCHANGE
        if rc != 0:
            raise OSError(ctypes.get_errno(), "renameat2")
        shutil.rmtree(staging)  # now the old folder

    def stop(self):
        stop(self.proc)


class Nginx:
    name = "nginx"

    def __init__(self, binary, data, sites, work):
        self.binary, self.data, self.sites, self.work = binary, data, sites, work
        self._port = free_port()
        certs = os.path.join(data["state"], "certs")
        blocks = "".join(
            f"  server {{ listen 127.0.0.1:{self._port} ssl; server_name {host(i)}; "
            f"ssl_certificate {certs}/{host(i)}/chain.pem; ssl_certificate_key {certs}/{host(i)}/key.pem; "
            f"return 200 ok; }}\n" for i in range(sites))
        with open(os.path.join(work, "nginx.conf"), "w") as f:
            f.write(f"""worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fcgi;
  uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  server_names_hash_max_size {max(1024, 2 * sites)};
  server_names_hash_bucket_size 128;
{blocks}}}
""")

    def start(self):
        self.proc = spawn([self.binary, "-g", "daemon off;", "-e", os.path.join(self.work, "startup.log"), "-p",
                           self.work, "-c", os.path.join(self.work, "nginx.conf")], os.path.join(self.work, "nginx.log"))
        return wait_until(lambda: accepts(self._port), self.proc, 900)

    def port(self):
        return self._port

    def swap(self, name, chain):
        """Replaces the site's files (rename: its folder's links are shared) and reloads (SIGHUP)."""
        d = os.path.join(self.data["state"], "certs", name)
        tmp = os.path.join(d, ".chain.tmp")
        shutil.copyfile(chain, tmp)
        os.rename(tmp, os.path.join(d, "chain.pem"))
        self.proc.send_signal(signal.SIGHUP)

    def stop(self):
        stop(self.proc)


class HAProxy:
    name = "haproxy"

    def __init__(self, binary, data, sites, work):
        self.binary, self.data, self.sites, self.work = binary, data, sites, work
        self._port = free_port()
        self.sock = os.path.join(work, "admin.sock")
        os.makedirs(os.path.join(work, "pem"))
        self.pems = {}
        with open(os.path.join(work, "list.txt"), "w") as lst:
            for i in range(sites):
                pem = os.path.join(work, "pem", host(i) + ".pem")
                os.link(distinct_path(data, i, "haproxy.pem"), pem)
                self.pems[host(i)] = pem
                lst.write(f"{pem} {host(i)}\n")
        with open(os.path.join(work, "haproxy.cfg"), "w") as f:
            f.write(f"""global
    nbthread 1
    maxconn 4096
    stats socket {self.sock} mode 600 level admin
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:{self._port} ssl crt-list {work}/list.txt
    http-request return status 200 content-type text/plain string ok
""")

    def start(self):
        self.proc = spawn([self.binary, "-db", "-f", os.path.join(self.work, "haproxy.cfg")],
                          os.path.join(self.work, "haproxy.log"))
        return wait_until(lambda: accepts(self._port), self.proc, 900)

    def port(self):
        return self._port

    def swap(self, name, chain):
        """The runtime API: `set ssl cert` + `commit ssl cert` (no reload)."""
        pem = open(chain).read() + open(self.data["key"]).read()
        path = self.pems[name]
        for command in (f"set ssl cert {path} <<\n{pem}\n", f"commit ssl cert {path}\n"):
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(self.sock)
                s.sendall(command.encode())
                reply = b""
                while chunk := s.recv(65536):
                    reply += chunk
            if b"rror" in reply or b"not" in reply.lower():
                raise RuntimeError(f"haproxy: {reply.decode()[:200]}")

    def stop(self):
        stop(self.proc)


def distinct_path(data, site, name):
    """File `name` of the distinct certificate that site `site` serves."""
    return os.path.join(data["root"], "distinct", str(site % data["distinct"]), name)


def accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def measure(proxy, data, sites, swaps):
    """Startup, memory, first/last names served their own certificate, then `swaps` swaps under load."""
    log(f"{proxy.name}: starting with {sites} sites")
    ready = proxy.start()
    if ready is None:
        return {"error": f"not ready (exit {proxy.proc.poll()})"}
    try:
        time.sleep(1)
        rss, pss = memory_kib(proxy.proc.pid)
        row = {"ready_s": ready, "rss_mib": rss / 1024, "pss_mib": pss / 1024}
        port = proxy.port()
        checks = [0, sites // 2, sites - 1]
        row["own_certificate"] = all(
            served(port, host(i)) == fingerprint(open(distinct_path(data, i, "chain.pem")).read()) for i in checks)
        log(f"{proxy.name}: ready in {ready:.2f} s, RSS {rss / 1024:.0f} MiB, PSS {pss / 1024:.0f} MiB")
        latencies = []
        with Load(port, sites) as load:
            time.sleep(1)
            for n in range(swaps):
                name = host(random.randrange(sites))
                chain = swap_certificate(data, name, f"{proxy.name}-{n}")
                want = fingerprint(open(chain).read())
                proxy.swap(name, chain)
                latency = wait_served(port, name, want)
                latencies.append(latency)
                log(f"{proxy.name}: swap {n + 1}: {name} served new certificate after "
                    f"{'timeout' if latency is None else f'{latency * 1000:.1f} ms'}")
                time.sleep(0.5)
            time.sleep(1)
        row["swap_ms"] = [None if x is None else x * 1000 for x in latencies]
        row["handshakes_ok"], row["handshakes_failed"] = load.ok, load.failed
        row["load_errors"] = load.errors
        return row
    finally:
        proxy.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--portcullis", default=os.environ.get("PORTCULLIS_BIN"))
    ap.add_argument("--sites", type=int, default=100000)
    ap.add_argument("--distinct", type=int, default=2000)
    ap.add_argument("--only", default="portcullis,nginx,haproxy")
    ap.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "portcullis-scale100k"))
    ap.add_argument("--swaps", type=int, default=5)
    ap.add_argument("--json")
    args = ap.parse_args()
    data = make_dataset(os.path.join(args.data, f"{args.sites}-{args.distinct}"), args.sites, args.distinct)
    results = {"uptime_before": run(["uptime"]).stdout.strip(), "sites": args.sites, "distinct": args.distinct}
    kinds = {"portcullis": (Portcullis, args.portcullis), "nginx": (Nginx, shutil.which("nginx") or "/usr/sbin/nginx"),
             "haproxy": (HAProxy, shutil.which("haproxy") or "/usr/sbin/haproxy")}
    for name in args.only.split(","):
        kind, binary = kinds[name]
        if not binary or not os.path.exists(binary):
            results[name] = {"error": f"{name} not found"}
            continue
        work = tempfile.mkdtemp(prefix=f"scale-{name}-")
        try:
            results[name] = measure(kind(binary, data, args.sites, work), data, args.sites, args.swaps)
        except Exception as e:
            results[name] = {"error": repr(e)[:300]}
        finally:
            shutil.rmtree(work, ignore_errors=True)
        restore_links(data, args.sites, args.distinct)  # swaps replaced some sites' files
    results["uptime_after"] = run(["uptime"]).stdout.strip()
    print(json.dumps(results, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


def restore_links(data, sites, distinct):
    """Puts every site folder back to hard links of its distinct certificate (after swaps)."""
    certs = os.path.join(data["state"], "certs")
    for entry in os.listdir(certs):
        if entry.startswith("."):
            shutil.rmtree(os.path.join(certs, entry), ignore_errors=True)
    for i in range(sites):
        sd = os.path.join(certs, host(i))
        kd = os.path.join(data["root"], "distinct", str(i % distinct))
        same = all(os.stat(os.path.join(sd, f)).st_ino == os.stat(os.path.join(kd, f)).st_ino
                   for f in ("chain.pem", "key.pem"))
        if not same:
            shutil.rmtree(sd)
            os.mkdir(sd)
            for name in ("chain.pem", "key.pem", "meta.json"):
                os.link(os.path.join(kd, name), os.path.join(sd, name))


if __name__ == "__main__":
    main()
