"""Tiny blocking HTTP/1.1 helpers shared by bench.py and idle_conns.py (standard library only)."""
import socket
import ssl


def client_context():
    """A TLS client context that does not verify the (self-signed) bench certificates."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def read_response(sock, buf=b""):
    """Reads one HTTP/1.1 response from sock. Returns (status, body_length, leftover_bytes).

    Handles Content-Length and chunked bodies; raises ConnectionError on EOF before the end."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("EOF in response head")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.strip().lower()] = v.strip()
    if b"content-length" in headers:
        need = int(headers[b"content-length"])
        while len(rest) < need:
            chunk = sock.recv(max(65536, need - len(rest)))
            if not chunk:
                raise ConnectionError("EOF in response body")
            rest += chunk
        return status, need, rest[need:]
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        total = 0
        while True:
            while b"\r\n" not in rest:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("EOF in chunk size")
                rest += chunk
            line, _, rest = rest.partition(b"\r\n")
            size = int(line.split(b";")[0], 16)
            while len(rest) < size + 2:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("EOF in chunk")
                rest += chunk
            rest = rest[size + 2:]
            total += size
            if size == 0:
                return status, total, rest
    # No framing: read to EOF.
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return status, len(rest), b""
        rest += chunk


def get(sock, path, host, leftover=b""):
    sock.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: " + host.encode() + b"\r\n\r\n")
    return read_response(sock, leftover)


def open_tls(port, sni, addr="127.0.0.1", ctx=None, timeout=10):
    ctx = ctx or client_context()
    raw = socket.create_connection((addr, port), timeout=timeout)
    try:
        return ctx.wrap_socket(raw, server_hostname=sni)
    except Exception:
        raw.close()
        raise
