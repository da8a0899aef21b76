#!/usr/bin/env python3
"""Writes the seed corpora in Fuzz/corpus/ (committed; rerun only to change them).

HTTP, chunked, config and ACME seeds are written out here; ClientHellos are captured from real
`openssl s_client` handshakes on loopback; certificates, keys and PFX files are made with `openssl`.
"""
import os, socket, subprocess, tempfile, threading

HERE = os.path.dirname(os.path.abspath(__file__))

def put(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

def crlf(text):
    return text.replace("\n", "\r\n").encode()

REQUESTS = {
    "get": "GET / HTTP/1.1\nHost: www.example.com\nUser-Agent: curl/7.88.1\nAccept: */*\n\n",
    "post-length": "POST /api/items?x=1 HTTP/1.1\nHost: api.example.com:8443\nContent-Type: application/json\nContent-Length: 13\n\n",
    "post-chunked": "POST /upload HTTP/1.1\nHost: example.com\nTransfer-Encoding: chunked\nExpect: 100-continue\n\n",
    "absolute": "GET https://www.example.com/a/b?c HTTP/1.1\nHost: admin.internal\n\n",
    "connect": "CONNECT www.example.com:443 HTTP/1.1\nHost: www.example.com:443\n\n",
    "options": "OPTIONS * HTTP/1.1\nHost: example.com\n\n",
    "websocket": "GET /chat HTTP/1.1\nHost: example.com\nUpgrade: websocket\nConnection: Upgrade, keep-alive\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n\n",
    "http10": "GET /old HTTP/1.0\nConnection: keep-alive\n\n",
    "leading-crlf": "\n\nHEAD /x HTTP/1.1\nHost: [::1]:8080\nConnection: close\nX-Forwarded-For: 1.2.3.4\n\n",
    "obs-fold": "GET / HTTP/1.1\nHost: a\nX-Long: one\n two\n\n",
    "dup-length": "POST / HTTP/1.1\nHost: a\nContent-Length: 5\nContent-Length: 5, 5\nTransfer-Encoding: gzip, chunked\n\n",
    "h2c": "GET / HTTP/1.1\nHost: a\nConnection: Upgrade, HTTP2-Settings\nUpgrade: h2c\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\n\n",
}

RESPONSES = {
    "ok-length": "HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: 1234\nServer: nginx\n\n",
    "chunked": "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nConnection: keep-alive\n\n",
    "no-content": "HTTP/1.1 204 No Content\nContent-Length: 0\n\n",
    "not-modified": "HTTP/1.1 304 Not Modified\nETag: \"abc\"\n\n",
    "switching": "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n\n",
    "close-delimited": "HTTP/1.0 200 OK\nContent-Type: text/plain\n\n",
    "continue": "HTTP/1.1 100 Continue\n\n",
    "no-reason": "HTTP/1.1 502 \nConnection: close\nSet-Cookie: a=b\nSet-Cookie: c=d\n\n",
}

CHUNKED = {
    "simple": b"\x07" + b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    "extension": b"\x00" + b"a;name=value;x=\"q\\\"s\"\r\n0123456789\r\n0;last\r\n\r\n",
    "trailer": b"\x03" + b"3\r\nabc\r\n0\r\nExpires: never\r\nX-Sum: 1\r\n\r\nGET /next",
    "upper-hex": b"\x10" + b"1F  \r\n" + b"x" * 31 + b"\r\n00\r\n\r\n",
    "last-only": b"\x01" + b"0\r\n\r\n",
}

CONFIGS = {
    "minimal": """[[listener]]\nbind = "127.0.0.1:8443"\ntls = true\n\n[[site]]\nhosts = ["www.example.com", "*.example.com"]\nupstreams = ["127.0.0.1:8080", "[::1]:8081"]\ncertificate = "www"\n""",
    "policies": """[server]\nstate_dir = "state"\nworkers = 2\n\n[tls]\ndefault_policy = "mozilla-intermediate"\n\n[[policy]]\nname = "corp-strict"\nbase = "mozilla-intermediate@6.0"\nallow_degraded = true\nmin_version = "1.2"\nmax_version = "1.3"\nciphers = ["ECDHE-ECDSA-AES256-GCM-SHA384"]\nciphersuites = ["TLS_AES_256_GCM_SHA384"]\ngroups = ["X25519", "prime256v1"]\nclient_auth = "required"\nclient_ca_file = "clients-ca.pem"\n\n[[listener]]\nbind = "[::1]:8443"\ntls = true\npolicy = "corp-strict"\n\n[[listener]]\nbind = "127.0.0.1:8080"\ntls = false\nhttps_redirect_port = 8443\n\n[[site]]\nhosts = ["admin.example.com"]\nrespond = "hi\\n"\npolicy = "corp-strict"\n""",
    "acme": """[acme]\ndirectory = "https://acme.test/directory"\nemail = "ops@example.com"\nagree_tos = true\nkey_type = "ec256"\nrenew_remaining = 0.33\n\n[[listener]]\nbind = "0.0.0.0:443"\ntls = true\n\n[[site]]\nhosts = ["a.example.com"]\nupstreams = ["10.0.0.1:80"]\ncertificate = "acme"\n""",
    "bad": """[[site]]\nhosts = "www.example.com"\nupstreams = 12\nunknown_key = true\n[server\n""",
}

ACME = {
    "directory": '{"newNonce":"https://ca.test/nonce","newAccount":"https://ca.test/acct","newOrder":"https://ca.test/order","revokeCert":"https://ca.test/revoke","keyChange":"https://ca.test/key","renewalInfo":"https://ca.test/ari/","meta":{"termsOfService":"https://ca.test/tos","externalAccountRequired":false}}',
    "order-pending": '{"status":"pending","expires":"2026-12-08T00:00:00Z","identifiers":[{"type":"dns","value":"fuzz.test"},{"type":"dns","value":"*.fuzz.test"}],"authorizations":["https://ca.test/authz/1","https://ca.test/authz/2"],"finalize":"https://ca.test/finalize/1"}',
    "order-valid": '{"status":"valid","identifiers":[{"type":"dns","value":"fuzz.test"}],"authorizations":["https://ca.test/authz/1"],"finalize":"https://ca.test/finalize/1","certificate":"https://ca.test/cert/1"}',
    "order-invalid": '{"status":"invalid","identifiers":[],"authorizations":[],"finalize":"x","error":{"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"no","status":400,"subproblems":[{"type":"urn:ietf:params:acme:error:caa","detail":"caa"}]}}',
    "authz": '{"identifier":{"type":"dns","value":"fuzz.test"},"status":"pending","expires":"2026-12-08T00:00:00.123Z","challenges":[{"type":"http-01","url":"https://ca.test/chall/1","status":"pending","token":"DGyRejmCefe7v4NfDGDKfA"},{"type":"dns-01","url":"https://ca.test/chall/2","status":"pending","token":"evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"}],"wildcard":false}',
    "authz-invalid": '{"identifier":{"type":"dns","value":"fuzz.test"},"status":"invalid","challenges":[{"type":"http-01","url":"u","status":"invalid","error":{"type":"urn:ietf:params:acme:error:connection","detail":"timeout"}}]}',
    "problem": '{"type":"urn:ietf:params:acme:error:badNonce","detail":"JWS has an invalid anti-replay nonce","status":400}',
    "renewal-info": '{"suggestedWindow":{"start":"2026-12-20T00:00:00Z","end":"2026-12-22T00:00:00Z"},"explanationURL":"https://ca.test/why"}',
    "order-state": '{"name":"fuzz.test","domains":["fuzz.test"],"solvers":["http-01"],"phase":"authorizing","orderURL":"https://ca.test/order/1","finalizeURL":"https://ca.test/finalize/1","authorizations":{"https://ca.test/authz/1":{"identifier":"fuzz.test","challengeType":"http-01","triggered":true,"valid":false}},"failures":1}',
}

def capture_client_hellos():
    """The first TLS record of a few real `openssl s_client` handshakes."""
    hellos = {}
    variants = {
        "tls13": ["-servername", "www.example.com"],
        "tls12": ["-servername", "Admin.Example.COM.", "-tls1_2"],
        "no-sni": ["-noservername"],
        "alpn": ["-servername", "h.example.net", "-alpn", "h2,http/1.1", "-groups", "X25519:P-256"],
    }
    for name, args in variants.items():
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        client = subprocess.Popen(["openssl", "s_client", "-connect", f"127.0.0.1:{port}"] + args,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server.settimeout(10)
        conn, _ = server.accept()
        conn.settimeout(10)
        data = b""
        while len(data) < 5 or len(data) < 5 + int.from_bytes(data[3:5], "big"):
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        conn.close()
        server.close()
        client.kill()
        client.wait()
        hellos[name] = data[: 5 + int.from_bytes(data[3:5], "big")]
    return hellos

def sni_bodies():
    def entry(kind, name):
        return bytes([kind]) + len(name).to_bytes(2, "big") + name
    def body(*entries):
        joined = b"".join(entries)
        return len(joined).to_bytes(2, "big") + joined
    return {
        "ext-host": body(entry(0, b"www.example.com")),
        "ext-other-type-first": body(entry(1, b"opaque"), entry(0, b"Example.ORG.")),
        "ext-nul": body(entry(0, b"a\x00b")),
        "ext-long": body(entry(0, b"a" * 256)),
    }

def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def make_certificates():
    """PEM bundles, DER files and PFX files made with openssl."""
    pem, pfx = {}, {}
    with tempfile.TemporaryDirectory() as d:
        r = lambda name: open(os.path.join(d, name), "rb").read()
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ec.key",
                "-out", "ec.pem", "-days", "3650", "-subj", "/CN=fuzz.test", "-addext", "subjectAltName=DNS:fuzz.test,DNS:*.fuzz.test", cwd=d)
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650",
                "-subj", "/CN=Fuzz CA", "-addext", "basicConstraints=critical,CA:true", cwd=d)
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr",
                "-subj", "/CN=www.fuzz.test", cwd=d)
        with open(os.path.join(d, "ext.cnf"), "w") as f:
            f.write("subjectAltName=DNS:www.fuzz.test\nauthorityKeyIdentifier=keyid\n")
        openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem",
                "-days", "365", "-extfile", "ext.cnf", cwd=d)
        openssl("x509", "-in", "ec.pem", "-outform", "DER", "-out", "ec.der", cwd=d)
        openssl("pkey", "-in", "ec.key", "-outform", "DER", "-out", "ec.key.der", cwd=d)
        openssl("pkey", "-in", "leaf.key", "-traditional", "-out", "leaf.trad.key", cwd=d)
        pem["ec-bundle.pem"] = r("ec.pem") + r("ec.key")
        pem["leaf-chain-key.pem"] = r("leaf.pem") + r("ca.pem") + r("leaf.trad.key")
        pem["ca-only.pem"] = r("ca.pem") + r("ca.key")
        pem["cert.der"] = r("ec.der")
        pem["key.der"] = r("ec.key.der")
        openssl("pkcs12", "-export", "-in", "ec.pem", "-inkey", "ec.key", "-out", "modern.pfx", "-passout", "pass:secret", cwd=d)
        openssl("pkcs12", "-export", "-legacy", "-in", "leaf.pem", "-inkey", "leaf.key", "-certfile", "ca.pem", "-out", "legacy.pfx",
                "-passout", "pass:p\u00e4ss w0rd", cwd=d)
        openssl("pkcs12", "-export", "-in", "ec.pem", "-inkey", "ec.key", "-out", "empty.pfx", "-passout", "pass:", cwd=d)
        openssl("pkcs12", "-export", "-nokeys", "-in", "ca.pem", "-out", "nokey.pfx", "-passout", "pass:x", cwd=d)
        pfx["modern"] = b"secret\n" + r("modern.pfx")
        pfx["legacy"] = "p\u00e4ss w0rd\n".encode() + r("legacy.pfx")
        pfx["empty-password"] = b"\n" + r("empty.pfx")
        pfx["no-key"] = b"x\n" + r("nokey.pfx")
        pfx["wrong-password"] = b"wrong\n" + r("modern.pfx")
    return pem, pfx

def main():
    for name, text in REQUESTS.items():
        put("request-head", name, crlf(text))
    for name, text in RESPONSES.items():
        put("response-head", name, crlf(text))
    for name, data in CHUNKED.items():
        put("chunked", name, data)
    for name, text in CONFIGS.items():
        put("config", name + ".conf", text)
    put("config", "proxy.conf", open(os.path.join(HERE, "..", "proxy.conf"), "rb").read())
    for name, text in ACME.items():
        put("acme", name + ".json", text)
    for name, data in {**capture_client_hellos(), **sni_bodies()}.items():
        put("sni", name, data)
    pem, pfx = make_certificates()
    for name, data in pem.items():
        put("pem", name, data)
    for name, data in pfx.items():
        put("pkcs12", name, data)

main()
