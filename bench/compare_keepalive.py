#!/usr/bin/env python3
"""Keep-alive CPU per request of two Portcullis binaries in ONE run (e.g. before vs after a change).

    bench/compare_keepalive.py --before /path/to/old/portcullis --after /path/to/new/portcullis
                               [--duration 8] [--reps 5] [--workers 1]

Same certificates, same nginx upstream, same wrk load (`wrk -t1 -c50` on /small, bench.py's keep-alive
row) against both binaries, alternated run by run (before, after, after, before, ...) so a drift in the
machine's load hits both alike. CPU per request comes from the proxy's /proc/<pid>/stat, as in bench.py.
Prints each run, the medians, their ratio, and the median of the per-repetition ratios (the two runs of
a repetition are back to back, so that one is steadier on a shared machine). Needs nginx and wrk (bench/run installs them)."""
import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402


def start(label, binary, ctx, workdir):
    """One Portcullis instance (ECDSA bench certificate) running `binary`."""
    ctx.portcullis_bin = binary
    inst = bench.Instance("portcullis", "ecdsa", workdir, tag="-" + label)
    bench.start_portcullis(inst, ctx)
    bench.log(f"{label}: {binary} on port {inst.port}, pid {inst.proc.pid} ({inst.note})")
    return inst


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="the baseline portcullis binary")
    ap.add_argument("--after", required=True, help="the changed portcullis binary")
    ap.add_argument("--duration", type=int, default=8, help="seconds per wrk run (default 8)")
    ap.add_argument("--reps", type=int, default=5, help="runs per binary (default 5)")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    for tool in ("nginx", "wrk", "openssl"):
        if not bench.which(tool):
            sys.exit(f"compare_keepalive: {tool} not found (scripts/ensure-packages.sh nginx-light wrk)")
    atexit.register(bench.stop_all)
    ctx = bench.Ctx()
    ctx.workers, ctx.portcullis_log_level, ctx.portcullis_missing = args.workers, "warning", ""
    cpus = sorted(os.sched_getaffinity(0))
    pinned = len(cpus) >= 2 and args.workers == 1
    ctx.proxy_cpus = str(cpus[-1]) if pinned else None
    ctx.client_cpus = ",".join(str(c) for c in cpus[:-1]) if pinned else None
    workdir = tempfile.mkdtemp(prefix="portcullis-compare-")
    os.chmod(workdir, 0o755)
    atexit.register(shutil.rmtree, workdir, True)
    print(f"uptime before: {bench.uptime()}")
    ctx.certs = bench.make_certs(workdir)
    ctx.client = bench.Client(workdir, ctx.client_cpus)
    ctx.upstream_port, _ = bench.start_upstream(workdir, ctx.client_cpus)
    instances = {"before": start("before", args.before, ctx, workdir), "after": start("after", args.after, ctx, workdir)}
    results = {"before": [], "after": []}
    for rep in range(args.reps):
        order = ["before", "after"] if rep % 2 == 0 else ["after", "before"]
        for label in order:
            res = bench.wl_keepalive(instances[label], ctx, args.duration)
            if "error" in res:
                sys.exit(f"{label} run {rep + 1}: {res['error']}")
            results[label].append(res["cpu_per_unit"])
            print(f"run {rep + 1} {label:6} {res['rate']:9.0f} req/s  {res['cpu_per_unit']:6.2f} µs CPU/request")
    medians = {k: statistics.median(v) for k, v in results.items()}
    # Each repetition's two runs are back to back, so their ratio cancels most of a drift in load.
    paired = statistics.median(a / b for a, b in zip(results["after"], results["before"]))
    print(f"uptime after: {bench.uptime()}")
    print(f"median CPU per request: before {medians['before']:.2f} µs, after {medians['after']:.2f} µs, "
          f"ratio of medians {medians['after'] / medians['before']:.3f}, median of paired ratios {paired:.3f}")


if __name__ == "__main__":
    main()
