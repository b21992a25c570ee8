"""The paper's evaluation on the Mininet testbed: four configurations — Direct, NCP without replication,
NCP with replication on a shared NIC, NCP with replication on a dedicated NIC — under iperf3, httperf and
the RUBiS-style workload. The client always addresses the primary; in NCP configurations the planner's
flows redirect it to the middlebox (tunnel mode)."""

import os

from . import cpu, e2e, middlebox, plan, proxies, runner, servers, workloads

CONFIGS = [
    # (variant, uses middlebox, replicas?, nic)
    ("direct", False, False, None),
    ("ncp-norep", True, False, None),
    ("ncp-shared", True, True, "shared"),
    ("ncp-dedicated", True, True, "dedicated"),
]
TITLES = {"direct": "Direct", "ncp-norep": "NCP, no replication", "ncp-shared": "NCP, replication, shared NIC",
          "ncp-dedicated": "NCP, replication, dedicated NIC"}
RUBIS_JAR = os.path.join(proxies.ROOT, "testbed", "rubis", "target", "ncp-rubis.jar")


class Configuration:
    """One configuration on a started testbed: flows reset, middlebox (if any) started for ``port``,
    the planner's rules installed; ``target`` is always the primary's address.

    ``mode`` 'tunnel' (default): the ONOS planner's redirection rules send the client's sessions to the
    middlebox's socket front-end (``ncp-middlebox run``), which forwards them to the primary and replays them
    to the replicas. 'mirror': the client reaches the primary directly, a switch rule copies the session's
    packets to the middlebox's port and ``ncp-middlebox mirror`` replays them to the replicas."""

    def __init__(self, tb, variant, uses_mb, nic, replicas, port, workdir, system, ncp_args=(), log=print,
                 planner="onos", mode="tunnel"):
        self.tb, self.variant, self.uses_mb = tb, variant, uses_mb
        self.roles = tb.roles(nic or "dedicated", replicas)
        self.nic = nic or "dedicated"
        self.port, self.workdir, self.log = port, workdir, log
        self.planner, self.mode = planner, mode
        self.target = (self.roles.primary.ip, port)
        if uses_mb and mode == "mirror":
            self.sys = proxies.Mirror(tb.intf("mb"), extra=ncp_args)
        else:
            self.sys = proxies.make(system, ncp_extra=ncp_args) if uses_mb else None
        self.origin = None

    def start(self, replica_ports):
        """Starts the middlebox towards the primary and ``replica_ports`` (one per replica) and installs
        the planner's flows. Call after the servers are up."""
        self.tb.base_flows()
        if self.sys is None:
            return self
        reps = [(r.ip, p) for r, p in zip(self.roles.replicas, replica_ports)]
        if self.mode == "mirror":
            self.sys.source = self.roles.src.ip
        listen = self.sys.start(self.roles.mb, (self.roles.mb.ip, self.port), self.target, reps,
                                self.roles.replica_bind, self.workdir)
        # the planner wants >= 1 replica (its rules do not depend on them): without replication the spec
        # names the replica that would be used, the middlebox is started without it
        bind = self.roles.replica_bind
        spec_reps = [(ip, p, bind) for ip, p in reps] or [(self.tb.ip("r1"), replica_ports[0] if replica_ports
                                                           else self.port + 1, None)]
        self.origin, flows = plan.plan(self.tb.describe(), plan.Spec(self.target, listen, source=self.roles.src.ip,
                                                                     name="ncpt-%d" % self.port),
                                       spec_reps, self.workdir, planner=self.planner, mode=self.mode)
        plan.install(flows)
        self.log("    %s: %d flows from the %s planner" % (self.variant, len(flows), self.origin))
        return self

    def stop(self):
        """Lets the replicas drain what the middlebox still holds, saves its stats, stops it, resets flows."""
        if self.sys is not None and self.sys.proc is not None:
            runner.wait_drained([self.roles.primary] + self.roles.replicas, quiet=2.0, timeout=120)
            stats = self.sys.stats()
            if stats is not None:
                import json
                with open(os.path.join(self.workdir, "stats-%s-%d.json" % (self.variant, self.port)), "w") as f:
                    json.dump(stats, f, indent=1)
            self.sys.stop()
        self.tb.base_flows()


def _row(setting, workload, variant, param, system):
    return {"setting": setting, "workload": workload, "system": system, "variant": variant, "param": param,
            "rep": 0, "load1": runner.load1()}


def _meter(cfg):
    mb = cfg.sys.proc.pid if cfg is not None and cfg.sys is not None and cfg.sys.proc is not None else None
    return cpu.Meter({"ovs": cpu.ovs_pid(), "mb": mb})


def _measure(rows, base, fn, log, cfg=None):
    """Runs one point; adds CPU use of ovs-vswitchd / the middlebox / the machine (% of one core) unless the
    point measured it itself (iperf3: over the client's run only)."""
    row = dict(base)
    meter = _meter(cfg).start()
    try:
        res = fn()
        if "cpu_all" not in res:
            res.update(meter.stop())
        row.update(res)
        row["status"] = "ok"
    except Exception as e:  # recorded, the evaluation goes on
        row["status"] = "failed"
        row["note"] = ("%s: %s" % (type(e).__name__, e)).replace("\n", " ")[:300]
    rows.append(row)
    log("    %-14s %-10s %s" % (row["variant"], row["param"], {k: row.get(k) for k in
                                                              ("status", "bps", "conn_ms", "pages_per_s",
                                                               "replica_ratio", "cpu_ovs", "cpu_mb", "cpu_all",
                                                               "note") if k in row}))
    return row


def _started(cfg, replica_ports, rows, base, log):
    """cfg.start(); False (and an 'unavailable' row) when the middlebox cannot run here, e.g. mirror mode
    before ncp-middlebox has the mirror subcommand."""
    try:
        cfg.start(replica_ports)
        return True
    except proxies.Unavailable as e:
        rows.append(dict(base, status="unavailable", note=str(e)))
        log("    %s: unavailable (%s)" % (cfg.variant, e))
        return False


def configs(args):
    for variant, uses_mb, reps, nic in CONFIGS:
        if variant in args.configs:
            yield variant, uses_mb, (args.replicas if reps else 0), nic


def iperf(tb, args, setting, system, workdir, log):
    rows = []
    for variant, uses_mb, n, nic in configs(args):
        cfg = Configuration(tb, variant, uses_mb, nic, n, 5201, workdir, system, args.ncp_args, log,
                            args.planner, args.mode)
        srv = runner.IperfServers(cfg.roles, n, workdir)  # ports: settings.PORTS["iperf3"]
        try:
            if not _started(cfg, [5202 + i for i in range(n)], rows, _row(setting, "iperf3", variant, "-", system),
                            log):
                continue
            if args.warmup:
                try:
                    runner.iperf3_point(cfg.roles, cfg.target, n, 4, args.warmup, 0)
                except RuntimeError as e:
                    log("    warm-up failed (%s): servers restarted" % e)
                    srv.restart()
            for p in args.parallel:
                row = _measure(rows, _row(setting, "iperf3", variant, "P=%d" % p, system if uses_mb else "direct"),
                               lambda: runner.iperf3_point(cfg.roles, cfg.target, n, p, args.duration, args.omit,
                                                           _meter(cfg)), log, cfg)
                if row["status"] != "ok":
                    srv.restart()
        finally:
            cfg.stop()
            srv.stop()
    return rows


def httperf(tb, args, setting, system, workdir, log):
    rows = []
    for variant, uses_mb, n, nic in configs(args):
        cfg = Configuration(tb, variant, uses_mb, nic, n, 8081, workdir, system, args.ncp_args, log,
                            args.planner, args.mode)
        http = runner.HttpServers(cfg.roles, workdir, args.sizes)
        try:
            if not _started(cfg, [8082 + i for i in range(n)], rows, _row(setting, "httperf", variant, "-", system),
                            log):
                continue
            if args.warm_conns:
                try:
                    workloads.httperf(cfg.roles.src.node, cfg.target[0], cfg.target[1], "/%dk" % min(args.sizes),
                                      args.warm_conns, args.calls, 100)
                except RuntimeError as e:
                    log("    warm-up failed (%s)" % e)
            for size in args.sizes:
                for conns in args.conns:
                    _measure(rows, _row(setting, "httperf", variant, "%dk/%d" % (size, conns),
                                        system if uses_mb else "direct"),
                             lambda: runner.http_point(http, n, lambda: workloads.httperf(
                                 cfg.roles.src.node, cfg.target[0], cfg.target[1], "/%dk" % size, conns,
                                 args.calls, args.conn_rate)), log, cfg)
        finally:
            cfg.stop()
            http.stop()
    return rows


def rubis(tb, args, setting, system, workdir, log):
    """RUBiS bidding mix against MariaDB on the primary, replicated to the replicas; tables compared."""
    import csv
    rows = []
    port = 3306
    for variant, uses_mb, n, nic in configs(args):
        cfg = Configuration(tb, variant, uses_mb, nic, n, port, workdir, system, args.ncp_args, log,
                            args.planner, args.mode)
        dbs = []
        try:
            tb.base_flows()
            dbs = [servers.MariaDb(cfg.roles.primary.node, port, workdir, "primary")]
            dbs += [servers.MariaDb(r.node, port, workdir, "replica%d" % (i + 1))
                    for i, r in enumerate(cfg.roles.replicas)]
            # loading and comparing talk to each database directly, on the blue network the source reaches
            addrs = ["%s:%d" % (tb.ip(h), port) for h in ["pri"] + tb.replicas[:n]]
            java(cfg.roles.src.node, ["load"] + sum((["--db", a] for a in addrs), []) +
                 ["--users", str(args.users), "--items", str(args.items)], workdir, "load-%s" % variant, 900)
            for clients in args.clients:
                out = os.path.join(workdir, "rubis-%s-c%d.csv" % (variant, clients))
                if not _started(cfg, [port] * n, rows, _row(setting, "rubis", variant, "c=%d" % clients, system),
                                log):
                    continue

                def run_once():
                    java(cfg.roles.src.node, ["run", "--db", addrs[0], "--clients", str(clients), "--duration",
                                              str(args.duration), "--warmup", str(args.warmup), "--label", variant,
                                              "--csv", out, "--pages-csv", out.replace(".csv", "-pages.csv"),
                                              "--think-ms", str(args.think_ms)],
                         workdir, "run-%s-c%d" % (variant, clients), args.duration + args.warmup + 600)
                    with open(out) as f:
                        r = next(csv.DictReader(f))
                    return {k: float(v) for k, v in r.items() if k != "label"}
                param = "c=%d" % clients if not args.think_ms else "c=%d,think=%gms" % (clients, args.think_ms)
                row = _measure(rows, _row(setting, "rubis", variant, param,
                                          system if uses_mb else "direct"), run_once, log, cfg)
                cfg.stop()  # replicas drained, flows off: the comparison talks to each database directly
                if n and row["status"] == "ok":
                    row.update(compare(cfg.roles.src.node, addrs, workdir, variant, clients))
        finally:
            cfg.stop()
            for d in dbs:
                d.stop()
    return rows


def compare(node, addrs, workdir, variant, clients):
    import csv
    out = os.path.join(workdir, "compare-%s-c%d.csv" % (variant, clients))
    java(node, ["compare", "--primary", addrs[0]] + sum((["--replica", a] for a in addrs[1:]), []) +
         ["--csv", out], workdir, "compare-%s-c%d" % (variant, clients), 900)
    with open(out) as f:
        diff = list(csv.DictReader(f))
    bad = sorted({"%s:%s" % (d["replica"].split(":")[0], d["table"]) for d in diff if d["state_equal"] != "true"})
    out = {"replica_state_equal": not bad, "replica_ratio": 1.0 if not bad else 0.0,
           "tables_differing": ";".join(bad),
           "id_only_rows": sum(int(d["id_only_rows"]) for d in diff)}
    if all("strict_equal" in d for d in diff):  # ncp-rubis with the strict comparison (every column)
        strict_bad = sorted({"%s:%s" % (d["replica"].split(":")[0], d["table"]) for d in diff
                             if d["strict_equal"] != "true"})
        out.update({"replica_strict_equal": not strict_bad, "tables_differing_strict": ";".join(strict_bad),
                    "strict_diff_rows": sum(int(d["strict_only_primary"]) + int(d["strict_only_replica"])
                                            for d in diff)})
    return out


def java(node, args, workdir, label, timeout):
    if not os.path.exists(RUBIS_JAR):
        raise RuntimeError("%s not built: mvn -B -q -pl testbed/rubis -am package -DskipTests" % RUBIS_JAR)
    log = os.path.join(workdir, label + ".log")
    res = node.run(["java", "-Xmx1g", "-jar", RUBIS_JAR] + args, check=False, timeout=timeout)
    with open(log, "w") as f:
        f.write(res.stdout + res.stderr)
    if res.returncode != 0:
        raise RuntimeError("ncp-rubis %s failed (exit %d), see %s: %s" % (args[0], res.returncode, log,
                                                                          res.stderr[-300:]))
    return res.stdout


def system_for(args, log):
    return middlebox.choose(args.middlebox, log)


__all__ = ["iperf", "httperf", "rubis", "system_for", "TITLES", "e2e"]
