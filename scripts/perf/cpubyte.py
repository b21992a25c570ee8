#!/usr/bin/env python3
"""CPU per byte through the middlebox, and 1 -> 2 shards, on loopback with iperf3.

For each variant (ncpR-tS: R replicas, S shards) it starts the middlebox (one service in front of an iperf3
server; the replica is a second iperf3 server), runs `iperf3 -c -P P -t T` through it and reads, over the test:
  - bytes forwarded (iperf3's receiver bytes) and bytes replicated (= forwarded per replica when complete; the
    middlebox's own final counters are in its log),
  - the middlebox's CPU seconds (utime, stime: /proc/<pid>/stat, every thread) -> ns and cycles per byte
    forwarded, and per byte forwarded + replicated,
  - the load generators' CPU (iperf3 client and servers) as a share of the machine's cores,
  - the 1-min load average.
cycles = CPU seconds x the nominal clock (/proc/cpuinfo "cpu MHz"); no perf counters are used.

  scripts/perf/cpubyte.py --variants ncp0-t1,ncp1-t1,ncp1-t2 --parallel 16 --out docs/perf/cpubyte
"""

import argparse
import csv
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import shutil
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import connbench  # noqa: E402  (same directory: process handling, ports, CPU time)

# above connbench's (up to 8 systems: PORT_BASE + 10 .. + 91)
PORTS = {"primary": connbench.PORT_BASE + 95, "replica": connbench.PORT_BASE + 96, "listen": connbench.PORT_BASE + 97}


def cpu_split(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / connbench.TICK, int(fields[12]) / connbench.TICK


def mhz():
    with open("/proc/cpuinfo") as f:
        m = re.search(r"cpu MHz\s*:\s*([\d.]+)", f.read())
    return float(m.group(1)) if m else float("nan")


def start_ncp(procs, workdir, args, replicas, shards, label):
    conf = os.path.join(workdir, "%s.yaml" % label)
    with open(conf, "w") as f:
        f.write(connbench.NCP_CONF.format(threads=shards))
        f.write(connbench.NCP_SERVICE.format(name="iperf", listen=PORTS["listen"], primary=PORTS["primary"]))
        f.write("    replicaBacklog: %s\n" % args.backlog)
        if replicas:
            f.write("    replicas: [{address: 127.0.0.1:%d}]\n" % PORTS["replica"])
    argv = ["java"] + connbench.JAVA_OPTS + ["-jar", args.jar, "run", "--config", conf] + args.ncp_arg
    p = procs.spawn(argv, label)
    connbench.wait_port(PORTS["listen"], p)
    return p


def run_point(args, procs, workdir, variant, rep):
    m = re.fullmatch(r"ncp(\d)-t(\d)", variant)
    replicas, shards = int(m.group(1)), int(m.group(2))
    servers = [procs.spawn(["iperf3", "-s", "-p", str(PORTS["primary"]), "-B", "127.0.0.1"], "iperf3-primary")]
    if replicas:
        servers.append(procs.spawn(["iperf3", "-s", "-p", str(PORTS["replica"]), "-B", "127.0.0.1"],
                                   "iperf3-replica"))
    for s, port in zip(servers, (PORTS["primary"], PORTS["replica"])):
        connbench.wait_port(port, s)
    ncp = start_ncp(procs, workdir, args, replicas, shards, "%s-r%d" % (variant, rep))
    try:
        # warm: a short run through the middlebox (JIT), not measured
        connbench.run(["iperf3", "-c", "127.0.0.1", "-p", str(PORTS["listen"]), "-P", str(args.parallel),
                       "-t", str(args.warm), "-J"], timeout=args.warm + 60)
        load = connbench.loadavg()
        u0, s0 = cpu_split(ncp.pid)
        gen0 = sum(connbench.cpu_seconds(s.pid) for s in servers)
        t0 = time.time()
        out_path = os.path.join(workdir, "iperf3-%s-%d.json" % (variant, rep))
        out_file = open(out_path, "w")  # not a pipe: iperf3 -J writes more than a pipe holds, all at the end
        client = subprocess.Popen(["iperf3", "-c", "127.0.0.1", "-p", str(PORTS["listen"]), "-P",
                                   str(args.parallel), "-t", str(args.duration), "-J"],
                                  stdout=out_file, stderr=subprocess.STDOUT)
        cli_cpu = 0.0
        deadline = time.time() + args.duration + 60
        while client.poll() is None and time.time() < deadline:
            try:
                cli_cpu = connbench.cpu_seconds(client.pid)  # last value before it exits
            except OSError:
                break
            time.sleep(0.2)
        client.wait(timeout=60)
        out_file.close()
        t1 = time.time()
        with open(out_path) as f:
            out = f.read()
        u1, s1 = cpu_split(ncp.pid)
        gen1 = sum(connbench.cpu_seconds(s.pid) for s in servers)
        res = json.loads(out)
        if "error" in res:
            raise RuntimeError("iperf3: %s" % res["error"])
        received = res["end"]["sum_received"]["bytes"]
        secs = res["end"]["sum_received"]["seconds"]
        ncp_cpu = (u1 - u0) + (s1 - s0)
        gen_cpu = (gen1 - gen0) + cli_cpu
        moved = received * (1 + replicas)
        row = {"variant": variant, "rep": rep, "parallel": args.parallel, "load1": load, "seconds": round(secs, 2),
               "gbit_s": round(received * 8 / secs / 1e9, 3), "bytes_forwarded": received,
               "ncp_cpu_s": round(ncp_cpu, 2), "ncp_user_s": round(u1 - u0, 2), "ncp_sys_s": round(s1 - s0, 2),
               "ns_per_byte_forwarded": round(1e9 * ncp_cpu / received, 4),
               "cycles_per_byte_forwarded": round(ncp_cpu * args.mhz * 1e6 / received, 3),
               "cycles_per_byte_moved": round(ncp_cpu * args.mhz * 1e6 / moved, 3),
               "ncp_cores": round(ncp_cpu / (t1 - t0), 2),
               "loadgen_core_share": round(gen_cpu / (t1 - t0) / os.cpu_count(), 3)}
        log_line = " ".join("%s=%s" % kv for kv in row.items())
        connbench.log(log_line)
        return row
    finally:
        procs.stop(ncp)
        for s in servers:
            procs.stop(s)


def summarize(rows, path, argv, cpu_mhz):
    lines = ["# cpubyte %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "",
             "`%s`; %d cores, nominal clock %.0f MHz; medians over repetitions (each listed)." % (
                 " ".join(argv), os.cpu_count(), cpu_mhz), "",
             "| variant | Gbit/s | middlebox cores | sys share | cycles/byte forwarded | cycles/byte moved "
             "(fwd + replicated) | load generators' share of the cores | load |",
             "|---|---|---|---|---|---|---|---|"]
    for v in dict.fromkeys(r["variant"] for r in rows):
        sel = [r for r in rows if r["variant"] == v]

        def med(k):
            return statistics.median(r[k] for r in sel)

        def each(k):
            return " / ".join("%g" % r[k] for r in sel)
        sys_share = statistics.median(r["ncp_sys_s"] / r["ncp_cpu_s"] for r in sel if r["ncp_cpu_s"] > 0)
        lines.append("| %s | %.2f (%s) | %.2f | %.2f | %.2f (%s) | %.2f | %.2f | %.1f-%.1f |" % (
            v, med("gbit_s"), each("gbit_s"), med("ncp_cores"), sys_share, med("cycles_per_byte_forwarded"),
            each("cycles_per_byte_forwarded"), med("cycles_per_byte_moved"), med("loadgen_core_share"),
            min(r["load1"] for r in sel), max(r["load1"] for r in sel)))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--variants", default="ncp0-t1,ncp1-t1,ncp1-t2")
    p.add_argument("--parallel", type=int, default=16)
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--warm", type=int, default=4)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--backlog", default="256MiB")
    p.add_argument("--jar", default=connbench.JAR)
    p.add_argument("--ncp-arg", action="append", default=[])
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    variants = args.variants.split(",")
    for v in variants:
        if not re.fullmatch(r"ncp\d-t\d", v):
            p.error("unknown variant %r (ncpR-tS: R replicas, S shards)" % v)
    if not os.path.exists(args.jar):
        p.error("middlebox jar %s not built" % args.jar)
    args.mhz = mhz()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="cpubyte-")
    procs = connbench.Procs(workdir)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
    rows = []
    try:
        for rep in range(args.reps):
            order = variants[rep % len(variants):] + variants[:rep % len(variants)]
            for v in order:
                rows.append(run_point(args, procs, workdir, v, rep))
    finally:
        procs.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    with open(args.out + ".csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    summarize(rows, args.out + ".md", ["scripts/perf/cpubyte.py"] + argv, args.mhz)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
