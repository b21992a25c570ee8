#!/usr/bin/env python3
"""Per-connection cost on loopback: direct vs HAProxy (1 thread) vs NCP with 0 and 1 replica, in one run.

Workloads (every connection new):
  redis   redis-benchmark -k 0 (a new connection per request), SET and GET, requests/s
  http    wrk with "Connection: close" (a new connection per request) to nginx, small file, requests/s
  httperf httperf, 10 KiB x 5 calls per connection at a fixed rate, connection lifetime (ms)
Per point it records the proxy's CPU time (/proc/<pid>/stat, every thread) per connection and the 1-min load.
Optionally attaches async-profiler (Attach.java: loadAgentPath) to NCP for each measured window and writes a flame
graph per NCP variant and workload.

  scripts/perf/connbench.py --out docs/perf/conn-before --reps 3
  scripts/perf/connbench.py --systems ncp0,ncp1 --workloads redis --profile cpu --out /tmp/x

Everything it starts listens on 127.0.0.1 ports PORT_BASE.. and is stopped (by PID) on exit.
"""

import argparse
import csv
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAR = os.path.join(ROOT, "middlebox", "target", "ncp-middlebox.jar")
NETTY_OPTS = ("-Dio.netty.allocator.maxCachedBufferCapacity=2097152 -Dio.netty.tryReflectionSetAccessible=true "
              "--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED")
JAVA_OPTS = os.environ.get("JAVA_OPTS", "-XX:+UseParallelGC -Xms256m -Xmx1g " + NETTY_OPTS).split()
PORT_BASE = int(os.environ.get("CONNBENCH_PORT", "27100"))
ATTACH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Attach.java")
TICK = os.sysconf("SC_CLK_TCK")

PORTS = {"redis": PORT_BASE, "redis_r": PORT_BASE + 1, "http": PORT_BASE + 2, "http_r": PORT_BASE + 3,
         "proxy": PORT_BASE + 10}  # systems: proxy + 10 * index (redis), + 1 (http)

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {dir}/nginx-{port}.pid;
error_log {dir}/nginx-{port}.err;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 100000;
    client_body_temp_path {dir}/cb-{port}; proxy_temp_path {dir}/pt-{port}; fastcgi_temp_path {dir}/ft-{port};
    uwsgi_temp_path {dir}/ut-{port}; scgi_temp_path {dir}/st-{port};
    server {{ listen 127.0.0.1:{port}; root {dir}/www; }}
}}
"""

HAPROXY_CONF = """\
global
    nbthread 1
    maxconn 8000
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
"""
HAPROXY_SERVICE = """\
frontend f{name}
    bind 127.0.0.1:{listen}
    default_backend b{name}
backend b{name}
    server s 127.0.0.1:{primary}
"""

NCP_CONF = """\
threads: {threads}
admin: off
journal: off
statsInterval: 0s
services:
"""
NCP_SERVICE = """\
  - name: {name}
    listen: 127.0.0.1:{listen}
    primary: 127.0.0.1:{primary}
"""


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, file=sys.stderr, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def cpu_seconds(pid):
    """utime+stime of every thread of pid (its /proc/<pid>/stat covers the whole process)."""
    if pid is None:
        return 0.0
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def wait_port(port, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("process %s exited (%s) before listening on %d" % (proc.args[0], proc.returncode, port))
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("nothing listens on %d after %ds" % (port, timeout))


class Procs:
    """Processes this script started; stopped by PID (SIGTERM, then SIGKILL after 10 s)."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.procs = []

    def spawn(self, argv, name):
        out = open(os.path.join(self.workdir, name + ".log"), "w")
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.procs.append(p)
        return p

    def stop(self, p):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(10)
        if p in self.procs:
            self.procs.remove(p)

    def stop_all(self):
        for p in list(reversed(self.procs)):
            self.stop(p)


def start_servers(procs, workdir):
    www = os.path.join(workdir, "www")
    os.makedirs(www, exist_ok=True)
    with open(os.path.join(www, "small.html"), "w") as f:
        f.write("x" * 100 + "\n")
    with open(os.path.join(www, "10k.bin"), "wb") as f:
        f.write(b"y" * 10240)
    for key in ("redis", "redis_r"):
        p = procs.spawn(["redis-server", "--port", str(PORTS[key]), "--bind", "127.0.0.1", "--save", "",
                         "--appendonly", "no", "--maxclients", "10000"], key)
        wait_port(PORTS[key], p)
    for key in ("http", "http_r"):
        conf = os.path.join(workdir, "nginx-%s.conf" % key)
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(dir=workdir, port=PORTS[key]))
        p = procs.spawn(["nginx", "-c", conf, "-p", workdir], key)
        wait_port(PORTS[key], p)


class Proxy:
    """One system in front of both primaries (redis and http): direct (none), haproxy, ncpN / ncpN@LABEL (N
    replicas; LABEL: another jar). Every system runs for the whole benchmark on ports of its own, so the points of
    all systems interleave and each JVM is warmed once."""

    def __init__(self, system, index, procs, workdir, args):
        self.system = system
        self.procs = procs
        self.workdir = workdir
        self.args = args
        self.proc = None
        self.ports = {"redis": PORTS["proxy"] + 10 * index, "http": PORTS["proxy"] + 10 * index + 1}

    def start(self):
        if self.system == "direct":
            self.ports = {"redis": PORTS["redis"], "http": PORTS["http"]}
            return
        name = self.system.replace("@", "-")
        if self.system == "haproxy":
            conf = os.path.join(self.workdir, "haproxy.cfg")
            with open(conf, "w") as f:
                f.write(HAPROXY_CONF)
                for key, port in self.ports.items():
                    f.write(HAPROXY_SERVICE.format(name=key, listen=port, primary=PORTS[key]))
            self.proc = self.procs.spawn(["haproxy", "-db", "-f", conf], name)
        else:
            base, _, label = self.system.partition("@")
            replicas = int(base[3:])
            jar = self.args.alt_jars[label] if label else self.args.jar
            conf = os.path.join(self.workdir, name + ".yaml")
            with open(conf, "w") as f:
                f.write(NCP_CONF.format(threads=self.args.ncp_threads))
                for key, port in self.ports.items():
                    f.write(NCP_SERVICE.format(name=key, listen=port, primary=PORTS[key]))
                    if replicas:
                        f.write("    replicas: [{address: 127.0.0.1:%d}]\n" % PORTS[key + "_r"])
            argv = ["java"] + JAVA_OPTS + self.args.java_opt + ["-jar", jar, "run", "--config", conf]
            self.proc = self.procs.spawn(argv + self.args.ncp_arg, name)
        for port in self.ports.values():
            wait_port(port, self.proc)

    def pid(self):
        return None if self.proc is None else self.proc.pid

    def stop(self):
        if self.proc is not None:
            self.procs.stop(self.proc)
            self.proc = None


def run(argv, timeout=300):
    res = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    if res.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (argv[0], res.returncode, res.stdout[-500:]))
    return res.stdout


def redis_load(port, n, clients):
    out = run(["redis-benchmark", "-p", str(port), "-k", "0", "-c", str(clients), "-n", str(n), "-t", "set,get",
               "--csv"])
    rates = {}
    for row in csv.reader(out.splitlines()):
        if len(row) >= 2 and row[0] in ("SET", "GET"):
            rates[row[0]] = float(row[1])
    if len(rates) != 2:
        raise RuntimeError("redis-benchmark: no SET/GET rates in %r" % out[-300:])
    # connections = requests (-k 0)
    return {"set_rps": rates["SET"], "get_rps": rates["GET"]}, 2 * n


def wrk_load(port, seconds, clients):
    out = run(["wrk", "-t1", "-c%d" % clients, "-d%ds" % seconds, "-H", "Connection: close",
               "http://127.0.0.1:%d/small.html" % port], timeout=seconds + 60)
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    if not m or not total:
        raise RuntimeError("wrk: no rate in %r" % out[-300:])
    if "Non-2xx" in out:
        raise RuntimeError("wrk: HTTP errors: %r" % out[-300:])
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(m.group(1)), "errors": errors.group(0) if errors else ""}, int(total.group(1))


def httperf_load(port, conns, rate):
    out = run(["httperf", "--server", "127.0.0.1", "--port", str(port), "--uri", "/10k.bin", "--num-conns",
               str(conns), "--num-calls", "5", "--rate", str(rate), "--hog"], timeout=conns / rate + 120)
    m = re.search(r"Connection time \[ms\]: min ([\d.]+) avg ([\d.]+) max ([\d.]+) median ([\d.]+)", out)
    errs = re.search(r"Errors: total (\d+)", out)
    if not m:
        raise RuntimeError("httperf: no connection time in %r" % out[-300:])
    return {"conn_ms_avg": float(m.group(2)), "conn_ms_median": float(m.group(4)),
            "errors": int(errs.group(1)) if errs else -1}, conns


WORKLOADS = {
    "redis": ("redis", lambda port, a, warm: redis_load(port, a.redis_n // (4 if warm else 1), a.clients)),
    "http": ("http", lambda port, a, warm: wrk_load(port, 2 if warm else a.seconds, a.clients)),
    "httperf": ("http", lambda port, a, warm: httperf_load(port, a.httperf_conns // (4 if warm else 1),
                                                           a.httperf_rate)),
}


class Profiler:
    """async-profiler attached through jcmd for one window; writes an HTML flame graph."""

    def __init__(self, lib, event):
        self.lib = lib
        self.event = event

    def _cmd(self, pid, opts):
        run(["java", ATTACH, str(pid), self.lib, opts], timeout=60)

    def start(self, pid):
        # 1 ms for time events: the default 10 ms gives ~500 samples for a 5 s window, too few to rank frames
        extra = ",interval=1ms" if self.event in ("wall", "cpu") else ""
        self._cmd(pid, "start,event=%s%s" % (self.event, extra))

    def stop(self, pid, out):
        """Writes the flame graph (out, .html) and the collapsed stacks beside it (.collapsed, for scripts)."""
        self._cmd(pid, "dump,file=%s" % out[:-len(".html")] + ".collapsed")
        self._cmd(pid, "stop,file=%s" % out)


def measure(args, rows, proxy, workload, rep, profiler):
    primary_key, fn = WORKLOADS[workload]
    system = proxy.system
    port = proxy.ports[primary_key]
    pid = proxy.pid()
    profile = profiler is not None and system.startswith("ncp") and rep == 0
    if profile:
        profiler.start(pid)
    load = loadavg()
    c0, t0 = cpu_seconds(pid), time.time()
    result, conns = fn(port, args, False)
    c1, t1 = cpu_seconds(pid), time.time()
    if profile:
        out = os.path.join(args.out_dir, "%s-%s-%s-%s.html" % (args.label, workload, system.replace("@", "-"),
                                                               profiler.event))
        profiler.stop(pid, out)
        log("flame graph %s" % out)
    row = {"workload": workload, "system": system, "rep": rep, "load1": load, "seconds": round(t1 - t0, 2),
           "connections": conns, "proxy_cpu_s": round(c1 - c0, 2),
           "proxy_cpu_us_per_conn": round(1e6 * (c1 - c0) / conns, 1) if pid else ""}
    row.update(result)
    rows.append(row)
    log(" ".join("%s=%s" % kv for kv in row.items()))


def warm(args, proxy, workloads):
    """Runs every workload against the system for about --warm-seconds each (the JIT compiles the session path)."""
    for workload in workloads:
        primary_key, fn = WORKLOADS[workload]
        deadline = time.time() + args.warm_seconds
        for _ in range(1000):
            if time.time() >= deadline:
                break
            fn(proxy.ports[primary_key], args, True)
    log("warmed %s" % proxy.system)


def summarize(rows, path_md, argv):
    keys = {"redis": ["set_rps", "get_rps"], "http": ["rps"], "httperf": ["conn_ms_avg", "conn_ms_median"]}
    lines = ["# connbench %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "",
             "`%s`; medians over repetitions; load = 1-min load average at each point (range)." % " ".join(argv), "",
             "| workload | system | metric | median | reps | proxy CPU us/conn (median) | load |",
             "|---|---|---|---|---|---|---|"]
    for workload in keys:
        for system in dict.fromkeys(r["system"] for r in rows):
            sel = [r for r in rows if r["workload"] == workload and r["system"] == system]
            if not sel:
                continue
            cpu = [r["proxy_cpu_us_per_conn"] for r in sel if r["proxy_cpu_us_per_conn"] != ""]
            loads = [r["load1"] for r in sel]
            for k in keys[workload]:
                vals = [r[k] for r in sel]
                lines.append("| %s | %s | %s | %.3f | %s | %s | %.1f-%.1f |" % (
                    workload, system, k, statistics.median(vals), " / ".join("%g" % v for v in vals),
                    "%.1f" % statistics.median(cpu) if cpu else "-", min(loads), max(loads)))
    with open(path_md, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--systems", default="direct,haproxy,ncp0,ncp1")
    p.add_argument("--workloads", default="redis,http,httperf")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--warm-seconds", type=float, default=15,
                   help="warm-up per system and workload (short runs of the workload), default 15")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--redis-n", type=int, default=20000)
    p.add_argument("--seconds", type=int, default=5)
    p.add_argument("--httperf-conns", type=int, default=2000)
    p.add_argument("--httperf-rate", type=int, default=200)
    p.add_argument("--ncp-threads", type=int, default=1)
    p.add_argument("--ncp-arg", action="append", default=[], help="extra middlebox flag (repeatable)")
    p.add_argument("--java-opt", action="append", default=[], help="extra JVM flag (repeatable)")
    p.add_argument("--jar", default=JAR)
    p.add_argument("--alt-jar", action="append", default=[], metavar="LABEL=PATH",
                   help="another middlebox jar, run as system ncpN@LABEL (e.g. before=/tmp/before.jar)")
    p.add_argument("--profile", choices=["cpu", "wall", "alloc"], help="flame graphs of NCP (first repetition)")
    p.add_argument("--profiler-lib", default=os.environ.get("ASYNC_PROFILER_LIB", ""))
    p.add_argument("--out", required=True, help="output prefix, e.g. docs/perf/conn-before (.csv, .md)")
    args = p.parse_args(argv)
    systems = args.systems.split(",")
    args.alt_jars = dict(a.split("=", 1) for a in args.alt_jar)
    workloads = args.workloads.split(",")
    for s in systems:
        m = re.fullmatch(r"ncp[0-9](?:@(\w+))?", s)
        if s not in ("direct", "haproxy") and not m:
            p.error("unknown system %r (direct, haproxy, ncpN, ncpN@LABEL)" % s)
        if m and m.group(1) and m.group(1) not in args.alt_jars:
            p.error("system %s: no --alt-jar %s=PATH" % (s, m.group(1)))
    for w in workloads:
        if w not in WORKLOADS:
            p.error("unknown workload %r (%s)" % (w, ", ".join(WORKLOADS)))
    if not os.path.exists(args.jar):
        p.error("middlebox jar %s not built (mvn -pl middlebox -am package -DskipTests)" % args.jar)
    profiler = None
    if args.profile:
        if not os.path.exists(args.profiler_lib):
            p.error("--profile needs --profiler-lib (libasyncProfiler.so from tools.profiler:async-profiler)")
        profiler = Profiler(args.profiler_lib, args.profile)
    args.out_dir = os.path.dirname(os.path.abspath(args.out))
    args.label = os.path.basename(args.out)
    os.makedirs(args.out_dir, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="connbench-")
    os.chmod(workdir, 0o755)  # nginx's workers (not root) read www/ under it
    # SIGTERM/SIGINT (also when started in the background, where SIGINT is ignored) stop everything we started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
    procs = Procs(workdir)
    rows = []
    try:
        start_servers(procs, workdir)
        proxies = [Proxy(system, i, procs, workdir, args) for i, system in enumerate(systems)]
        for proxy in proxies:
            proxy.start()
        for proxy in proxies:
            if proxy.proc is not None and proxy.system != "haproxy":  # JVMs only
                warm(args, proxy, workloads)
        for rep in range(args.reps):
            order = proxies[rep % len(proxies):] + proxies[:rep % len(proxies)]  # rotate: no fixed position bias
            for workload in workloads:
                for proxy in order:
                    measure(args, rows, proxy, workload, rep, profiler)
    finally:
        procs.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    fields = list(dict.fromkeys(k for r in rows for k in r))
    with open(args.out + ".csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    summarize(rows, args.out + ".md", ["scripts/perf/connbench.py"] + argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
