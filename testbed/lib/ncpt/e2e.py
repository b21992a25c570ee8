"""End-to-end check on the Mininet testbed: the source talks to the primary's address, the flows
redirect it to the middlebox, which replicates it; the replicas' Redis state must equal the primary's.

Checks, each recorded in the result with pass/fail:
  1. control: without redirection flows, the primary sees the source's own address;
  2. redirection: with the flows, the primary sees the middlebox's address (tunnel mode);
  3. replication: after a write workload (SET/INCR from 8 connections, LPUSH in order from one), every
     replica's DEBUG DIGEST equals the primary's and is not the empty digest.
"""

import os
import re
import time

from . import plan, proxies, settings

REDIS_PORT = 6379
EMPTY_DIGEST = "0" * 40


class Redis:
    def __init__(self, node, workdir, port=REDIS_PORT):
        self.node, self.port = node, port
        d = os.path.join(workdir, "redis-%s" % node.name)
        os.makedirs(d, exist_ok=True)
        self.proc = node.spawn(["redis-server", "--bind", "0.0.0.0", "--port", str(port), "--save", "",
                                "--appendonly", "no", "--protected-mode", "no", "--dir", d,
                                "--enable-debug-command", "local"], log=os.path.join(d, "redis.log"))
        node.wait_listen(port, proc=self.proc)

    def cli(self, *args, host="127.0.0.1"):
        return self.node.run(["redis-cli", "-h", host, "-p", str(self.port)] + list(args), timeout=30).stdout.strip()

    def digest(self):
        return self.cli("DEBUG", "DIGEST")

    def dbsize(self):
        return int(self.cli("DBSIZE") or -1)

    def stop(self):
        self.proc.stop()


def client_addr(src_node, ip, port):
    """The address the server at ip:port sees for a connection from ``src_node`` (CLIENT INFO)."""
    out = src_node.run(["redis-cli", "-h", ip, "-p", str(port), "CLIENT", "INFO"], timeout=30).stdout
    m = re.search(r"\baddr=([0-9.]+):", out)
    return m.group(1) if m else None


def write_workload(src_node, ip, port, requests):
    """Order-insensitive writes on 8 connections + order-sensitive LPUSH on one: same final state on
    every replica iff every session's bytes arrived complete and in order."""
    src_node.run(["redis-benchmark", "-h", ip, "-p", str(port), "-c", "8", "-n", str(requests), "-r", "5000",
                  "-t", "set,incr", "-q"], timeout=300)
    src_node.run(["redis-benchmark", "-h", ip, "-p", str(port), "-c", "1", "-n", str(requests // 4),
                  "-t", "lpush", "-q"], timeout=300)


def wait_equal(primary, replicas, timeout=30):
    deadline = time.time() + timeout
    while True:
        want = primary.digest()
        got = [r.digest() for r in replicas]
        if all(g == want for g in got) or time.time() > deadline:
            return want, got
        time.sleep(0.5)


def redis_check(tb, workdir, system="ncp", nic="dedicated", requests=20000, log=print, planner="onos",
                mode="tunnel"):
    """Runs the three checks on a started ``mntopo.Testbed``; returns a list of (name, ok, detail).
    ``mode`` 'tunnel': the planner's redirection to ``ncp-middlebox run`` (the primary then sees the
    middlebox's address); 'mirror': the primary is reached directly (it sees the source), a switch rule
    copies the packets to ``ncp-middlebox mirror``."""
    results = []
    tag = "%s/%s" % (mode, nic)

    def check(name, ok, detail):
        results.append(("%s [%s]" % (name, tag), bool(ok), detail))
        log("  [%s] %s [%s]: %s" % ("PASS" if ok else "FAIL", name, tag, detail))

    src = tb.node("src")
    primary = Redis(tb.node("pri"), workdir)
    replicas = [Redis(tb.node(r), workdir) for r in tb.replicas]
    mb_sys = proxies.Mirror(tb.intf("mb")) if mode == "mirror" else proxies.make(system)
    try:
        seen = client_addr(src, tb.ip("pri"), REDIS_PORT)
        check("control: direct path without flows", seen == tb.ip("src"),
              "primary sees %s (source is %s)" % (seen, tb.ip("src")))
        net = "black" if nic == "dedicated" else "blue"
        mb = settings.Endpoint(tb.node("mb"), tb.ip("mb"))
        reps = [(tb.ip(r, net), REDIS_PORT) for r in tb.replicas]
        bind = tb.ip("mb", "black") if nic == "dedicated" else None
        if mode == "mirror":
            mb_sys.source = tb.ip("src")
        listen = mb_sys.start(mb, (tb.ip("mb"), REDIS_PORT), (tb.ip("pri"), REDIS_PORT), reps, bind, workdir)
        spec = plan.Spec((tb.ip("pri"), REDIS_PORT), listen, source=tb.ip("src"), name="redis")
        origin, flows = plan.plan(tb.describe(), spec, [(ip, p, bind) for ip, p in reps], workdir,
                                  planner=planner, mode=mode)
        plan.install(flows)
        log("  %d flows from the %s planner installed" % (len(flows), origin))
        seen = client_addr(src, tb.ip("pri"), REDIS_PORT)
        want_seen = tb.ip("src") if mode == "mirror" else tb.ip("mb")
        check("redirection: primary sees the %s" % ("source (mirror: no redirection)" if mode == "mirror"
                                                     else "middlebox"), seen == want_seen,
              "primary sees %s (expected %s)" % (seen, want_seen))
        write_workload(src, tb.ip("pri"), REDIS_PORT, requests)
        want, got = wait_equal(primary, replicas)
        check("replication: replica digests equal the primary's",
              want != EMPTY_DIGEST and all(g == want for g in got),
              "primary %s (%d keys), replicas %s" % (want[:12], primary.dbsize(),
                                                   ", ".join("%s (%d keys)" % (g[:12], r.dbsize())
                                                             for g, r in zip(got, replicas))))
        stats = mb_sys.stats()
        if stats is not None:
            with open(os.path.join(workdir, "middlebox-stats-%s-%s.json" % (mode, nic)), "w") as f:
                import json
                json.dump(stats, f, indent=1)
    finally:
        mb_sys.stop()
        for s in [primary] + replicas:
            s.stop()
    return results


def mirror_rules_check(tb, workdir, requests=2000, log=print):
    """Mirror mode without the mirror front-end: the testbed's copy rules alone. With them installed, the
    source still reaches the primary directly (the primary sees the source's address) and a capture on the
    middlebox's production NIC sees the session in both directions (client->primary and primary->client).
    Returns [(name, ok, detail)]."""
    results = []
    src = tb.node("src")
    primary = Redis(tb.node("pri"), workdir)
    pcap = os.path.join(workdir, "mirror-copies.pcap")
    cap = None
    try:
        spec = plan.Spec((tb.ip("pri"), REDIS_PORT), (tb.ip("pri"), REDIS_PORT), source=tb.ip("src"), name="redis")
        origin, flows = plan.plan(tb.describe(), spec, [], workdir, mode="mirror")
        plan.install(flows)
        mb = tb.node("mb")
        cap = mb.spawn(["tcpdump", "-i", tb.intf("mb"), "-n", "-U", "-w", pcap,
                        "tcp and host %s and host %s and port %d" % (tb.ip("src"), tb.ip("pri"), REDIS_PORT)],
                       log=pcap + ".log")
        time.sleep(2)  # tcpdump has no readiness signal; its log says "listening on" once the capture is open
        seen = client_addr(src, tb.ip("pri"), REDIS_PORT)
        src.run(["redis-benchmark", "-h", tb.ip("pri"), "-p", str(REDIS_PORT), "-c", "1", "-n", str(requests),
                 "-t", "set", "-q"], timeout=120)
        time.sleep(1)
        cap.stop()
        out = mb.run(["tcpdump", "-n", "-r", pcap], check=False, timeout=60).stdout.splitlines()
        fwd = sum(1 for line in out if "%s." % tb.ip("src") in line.split(">")[0] and "%s.%d" % (
            tb.ip("pri"), REDIS_PORT) in line.split(">")[-1])
        back = sum(1 for line in out if "%s.%d" % (tb.ip("pri"), REDIS_PORT) in line.split(">")[0])
        ok1 = seen == tb.ip("src")
        results.append(("mirror rules: primary reached directly", ok1, "primary sees %s (source %s), %d flows (%s)"
                        % (seen, tb.ip("src"), len(flows), origin)))
        ok2 = fwd >= requests // 2 and back >= requests // 2
        results.append(("mirror rules: middlebox port receives copies of both directions", ok2,
                         "%d client->primary and %d primary->client packets captured on %s"
                         % (fwd, back, tb.intf("mb"))))
        for name, ok, detail in results:
            log("  [%s] %s: %s" % ("PASS" if ok else "FAIL", name, detail))
    finally:
        if cap is not None:
            cap.stop()
        primary.stop()
    return results
