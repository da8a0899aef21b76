#!/usr/bin/env python3
"""Startup time, RSS and reload cost of `portcullis run` with N imported certificates.

Usage: scripts/cert-scale.py N [--bin PATH] [--dir DIR]

Generates N certificates (CN/SAN sN.scale.test, ECDSA P-256) that share ONE private key; with
--distinct D only D are signed and the other folders hard-link them (set-up speed only); writes them straight into a store (state/certs/cN/...), writes a
config with N sites (one per certificate), starts the proxy and reports:
  - startup: process start until the ready file appears (config load + N snapshot contexts + listen)
  - RSS / HWM after start (VmRSS, VmHWM from /proc)
  - store-change reload: one certificate replaced in the store until the ready-file generation moves
  - SIGHUP reload: full config + certificate reload until the generation moves
  - a real handshake against the last site (SNI lookup)
"""
import argparse, datetime, json, os, shutil, signal, ssl, socket, subprocess, sys, time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def generate(n, state, distinct):
    key = ec.generate_private_key(ec.SECP256R1())
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    now = datetime.datetime.now(datetime.timezone.utc)
    public = key.public_key()
    for i in range(min(n, distinct)):
        host = "s%06d.scale.test" % i
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
                .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
                .not_valid_after(now + datetime.timedelta(days=90))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
                .sign(key, hashes.SHA256()))
        folder = os.path.join(state, "certs", "c%06d" % i)
        os.makedirs(folder)
        with open(os.path.join(folder, "chain.pem"), "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
        fd = os.open(os.path.join(folder, "key.pem"), os.O_WRONLY | os.O_CREAT, 0o600)
        os.write(fd, key_pem)
        os.close(fd)
        with open(os.path.join(folder, "meta.json"), "w") as f:
            json.dump({"source": "user", "domains": [host], "created": now.strftime("%Y-%m-%dT%H:%M:%SZ")}, f)
    # Beyond `distinct`, folders hard-link the files of folder i % distinct (creating 300,000 files one by
    # one is what makes 100,000 slow to set up; the proxy still reads and builds every folder).
    for i in range(distinct, n):
        source = os.path.join(state, "certs", "c%06d" % (i % distinct))
        folder = os.path.join(state, "certs", "c%06d" % i)
        os.makedirs(folder)
        for file in ("chain.pem", "key.pem", "meta.json"):
            os.link(os.path.join(source, file), os.path.join(folder, file))


def write_config(n, path):
    with open(path, "w") as f:
        f.write('[server]\nstate_dir = "state"\nworkers = 2\naccess_log = "off"\nlog_level = "warning"\n\n')
        f.write('[[listener]]\nbind = "127.0.0.1:0"\ntls = true\n')
        for i in range(n):
            f.write('\n[[site]]\nhosts = ["s%06d.scale.test"]\ncertificate = "c%06d"\nrespond = "ok\\n"\n' % (i, i))


def memory(pid):
    fields = {}
    for line in open("/proc/%d/status" % pid):
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) // 1024
    return fields


def wait_generation(ready, generation, timeout=600):
    start = time.time()
    while time.time() - start < timeout:
        try:
            info = json.load(open(ready))
            if info["generation"] >= generation:
                return info
        except (OSError, ValueError):
            pass
        time.sleep(0.005)
    raise SystemExit("timed out waiting for generation %d" % generation)


def handshake(port, host):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port)) as raw:
        with ctx.wrap_socket(raw, server_hostname=host) as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(True)).subject.rfc4514_string()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--bin", default=".build/release/portcullis")
    parser.add_argument("--dir", default="/tmp/portcullis-scale")
    parser.add_argument("--distinct", type=int, default=1000000, help="distinct certificates; the rest are hard links")
    parser.add_argument("--generate-only", action="store_true", help="write the store and config, then stop")
    parser.add_argument("--reuse", action="store_true", help="measure a store made earlier with --generate-only")
    args = parser.parse_args()
    args.bin = os.path.abspath(args.bin)
    if not args.reuse:
        shutil.rmtree(args.dir, ignore_errors=True)
        os.makedirs(args.dir)
        began = time.time()
        generate(args.n, os.path.join(args.dir, "state"), args.distinct)
        write_config(args.n, os.path.join(args.dir, "proxy.conf"))
        print("generated %d certificates in %.1f s" % (args.n, time.time() - began), flush=True)
    if args.generate_only:
        return
    for stale in ("ready.json",):
        if os.path.exists(os.path.join(args.dir, stale)):
            os.remove(os.path.join(args.dir, stale))
    ready = os.path.join(args.dir, "ready.json")
    start = time.time()
    proxy = subprocess.Popen([args.bin, "run", "--config", "proxy.conf", "--ready-file", ready], cwd=args.dir,
                             stderr=open(os.path.join(args.dir, "proxy.log"), "w"))
    try:
        info = wait_generation(ready, 1)
        startup = time.time() - start
        mem = memory(proxy.pid)
        port = info["listeners"][0]["port"]
        last = "s%06d.scale.test" % (args.n - 1)
        subject = handshake(port, last)
        # Store change: replace one served certificate with the CLI (a new self-signed one), timed from
        # the moment the CLI has exited (the folder is in place) to the new generation in the ready file.
        start = time.time()
        subprocess.run([args.bin, "certs", "selfsign", "--name", "c000000", "--domain", "s000000.scale.test",
                        "--config", "proxy.conf"], cwd=args.dir, check=True, stdout=subprocess.DEVNULL)
        cli = time.time() - start
        start = time.time()
        wait_generation(ready, 2)
        store_reload = time.time() - start
        mem_after_store_reload = memory(proxy.pid)
        start = time.time()
        proxy.send_signal(signal.SIGHUP)
        wait_generation(ready, 3)
        sighup_reload = time.time() - start
        mem_after = memory(proxy.pid)
        print(json.dumps({
            "certificates": args.n, "startup_s": round(startup, 2), "rss_mib": mem["VmRSS"], "hwm_mib": mem["VmHWM"],
            "certs_selfsign_cli_s": round(cli, 2), "store_change_reload_s": round(store_reload, 2), "sighup_reload_s": round(sighup_reload, 2),
            "rss_after_reloads_mib": mem_after["VmRSS"], "hwm_after_reloads_mib": mem_after["VmHWM"],
            "rss_after_store_reload_mib": mem_after_store_reload["VmRSS"], "handshake_subject": subject,
        }, indent=2))
    finally:
        proxy.terminate()
        proxy.wait(timeout=60)


if __name__ == "__main__":
    main()
