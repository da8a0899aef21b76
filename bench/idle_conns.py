#!/usr/bin/env python3
"""Opens N TLS connections to a proxy, sends one keep-alive request on each, and holds them open.

Usage: idle_conns.py PORT SNI HOST N
Prints one JSON line when every connection is open and idle:
  {"opened": N, "errors": E, "reused": R, "bad_status": B, "first_error": "..."}
then waits for a line (or EOF) on stdin and closes everything. Full handshakes: each connection
uses a fresh session (reused should be 0)."""
import json
import os
import resource
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import httpc  # noqa: E402


def main():
    port, sni, host, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, n + 256)) if hard != resource.RLIM_INFINITY else max(soft, n + 256)
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    ctx = httpc.client_context()
    conns, errors, reused, bad, first_error = [], 0, 0, 0, ""
    for _ in range(n):
        try:
            s = httpc.open_tls(port, sni, ctx=ctx)
            status, _, _ = httpc.get(s, "/small", host)
            if status != 200:
                bad += 1
            if s.session_reused:
                reused += 1
            conns.append(s)
        except Exception as e:  # keep going: the count of failures is the result
            errors += 1
            if not first_error:
                first_error = repr(e)
    print(json.dumps({"opened": len(conns), "errors": errors, "reused": reused, "bad_status": bad,
                      "first_error": first_error}), flush=True)
    sys.stdin.readline()
    for s in conns:
        try:
            s.close()
        except Exception:
            pass


if __name__ == "__main__":
    main()
