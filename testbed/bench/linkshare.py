#!/usr/bin/python3
"""Where a relayed iperf3 point's bytes go, in setting (a) (1 Gbit/s links, one replica behind the dedicated NIC).

Samples the tbf counters of the client's egress, both directions of the middlebox's production link and both
directions of the primary's link (5 Hz) during each point and reports, over the middle of the point, each link's
utilisation and the share the other leg's ACKs take of the middlebox's link: through a one-armed relay the
middlebox's egress carries the forwarded data *and* its ACKs to the client, its ingress the client's data *and*
the primary's ACKs. Writes CSV + markdown (docs/middlebox-benchmark.md, "The ceiling at P=1 and P=64").

Run as root: testbed/bench/linkshare.sh [--systems direct,ncp] [--parallel 1,64] [--reps 2] [--duration 10]
"""

import argparse
import csv
import datetime
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

from ncpt import names, netns, proxies, runner, settings  # noqa: E402

RESULTS = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "results", "bench"))
RATE_BPS = 10 ** 9
# counter name -> (namespace, device): egress tbf of that side of the link
LINKS = {
    "src_out": ("ncpt-src", "eth0"),
    "mb_out": ("ncpt-mb", "eth0"),
    "mb_in": (netns.SWITCH_NS, "mb-eth0"),
    "pri_in": (netns.SWITCH_NS, "pri-eth0"),
    "pri_out": ("ncpt-pri", "eth0"),
}


def csv_list(conv=str):
    return lambda text: [conv(x) for x in text.split(",") if x]


def counters():
    """{link: (bytes, packets, drops)} now."""
    out = {}
    for name, (ns, dev) in LINKS.items():
        q = netns.qdisc_counters(dev, ns=ns)
        out[name] = (q["bytes"], q["packets"], q["drops"])
    return out


class Sampler(threading.Thread):
    """Samples every link's counters at ``hz`` until stopped: [(time, counters())]."""

    def __init__(self, hz=5.0):
        super().__init__(daemon=True)
        self.period = 1.0 / hz
        self.samples = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.samples.append((time.time(), counters()))
            self.done.wait(self.period)

    def stop(self):
        self.done.set()
        self.join()
        return self.samples


def shares(samples, start, duration, relayed, skip=2.0):
    """Utilisation (bytes through the link's tbf / line rate; tbf's 1 ms bucket lets a window read up to ~0.2 %
    over 1) and, when ``relayed``, ACK shares, over [start + skip, start + duration] (the point's steady part)."""
    window = [s for s in samples if start + skip <= s[0] <= start + duration]
    if len(window) < 3:
        raise RuntimeError("only %d samples in the window" % len(window))
    (t0, a), (t1, b) = window[0], window[-1]
    d = {k: tuple(y - x for x, y in zip(a[k], b[k])) for k in LINKS}
    line = (t1 - t0) * RATE_BPS / 8
    row = {"window_s": round(t1 - t0, 2)}
    for k in LINKS:
        row["util_" + k] = round(d[k][0] / line, 4)
    if relayed:  # what mb sends beyond the primary's data is its ACKs to the client; pri_out is all ACKs to mb
        mb_out, mb_in = d["mb_out"][0], d["mb_in"][0]
        row["acks_to_client_pct"] = round(100.0 * (mb_out - d["pri_in"][0]) / max(1, mb_out), 3)
        row["acks_from_primary_pct"] = round(100.0 * d["pri_out"][0] / max(1, mb_in), 3)
        row["drops_mb_in"] = d["mb_in"][2]
    row["drops_src_out"] = d["src_out"][2]
    return row


def main(argv):
    p = argparse.ArgumentParser(prog="testbed/bench/linkshare.sh", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--systems", type=csv_list(), default=["direct", "ncp"], help="direct,tee,ncp")
    p.add_argument("--parallel", type=csv_list(int), default=[1, 64])
    p.add_argument("--reps", type=int, default=2)
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--tag", default="linkshare-a")
    p.add_argument("--out", default=RESULTS)
    args = p.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("linkshare: must run as root (namespaces, tc)")
    bad = [s for s in args.systems if s not in ("direct", "tee", "ncp")]
    if bad:
        sys.exit("linkshare: unknown system(s) %s (direct, tee, ncp)" % ",".join(bad))
    names.ensure_state_dir()
    os.makedirs(args.out, exist_ok=True)
    workdir = os.path.join(RESULTS, "..", "tmp", args.tag)
    os.makedirs(workdir, exist_ok=True)
    ports = settings.PORTS["iperf3"]
    rows = []
    net, roles = settings.build("a")
    try:
        servers = runner.IperfServers(roles, 1, workdir)
        try:
            for system in args.systems:
                sysobj = proxies.make(system)
                reps = [] if system == "direct" else [(roles.replicas[0].ip, ports["replicas"][0])]
                target = sysobj.start(roles.mb, (roles.mb.ip, ports["proxy"]), (roles.primary.ip, ports["primary"]),
                                      reps, roles.replica_bind, workdir)
                try:
                    runner.iperf3_point(roles, target, len(reps), 4, 2, 0)  # warm-up
                    for parallel in args.parallel:
                        for rep in range(args.reps):
                            sampler = Sampler()
                            sampler.start()
                            start = time.time()
                            res = runner.iperf3_point(roles, target, len(reps), parallel, args.duration, 1)
                            row = {"system": system, "param": "P=%d" % parallel, "rep": rep,
                                   "gbps": round(res["bps"] / 1e9, 4), "retransmits": res["retransmits"],
                                   "time": datetime.datetime.now().isoformat(timespec="seconds")}
                            row.update(shares(sampler.stop(), start, args.duration, system != "direct"))
                            rows.append(row)
                            print(" ".join("%s=%s" % kv for kv in row.items()), flush=True)
                finally:
                    sysobj.stop()
        finally:
            servers.stop()
    finally:
        net.down()
        if rows:
            write(args, rows, argv)
    return 0


def write(args, rows, argv):
    base = os.path.join(args.out, args.tag)
    fields = list(dict.fromkeys(k for r in rows for k in r))
    with open(base + ".csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    cols = ["system", "param", "rep", "gbps", "retransmits", "util_src_out", "util_mb_in", "util_mb_out", "util_pri_in",
            "acks_to_client_pct", "acks_from_primary_pct", "drops_mb_in", "drops_src_out"]
    lines = ["# Link shares, setting (a): %s" % args.tag, "",
             "Command: `testbed/bench/linkshare.sh %s`. Utilisation = bytes through the link's tbf / line rate over "
             "the point's middle; ACK shares are of the middlebox's egress (to the client) and ingress (from the "
             "primary)." % " ".join(argv), "",
             "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r.get(c, "-")) for c in cols) + " |" for r in rows]
    with open(base + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("linkshare: wrote %s.{csv,md}" % base)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
