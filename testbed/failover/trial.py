"""One failover trial (see failover.py): fresh Redis primary + 2 replicas and a fresh middlebox, the driver's load
and fault, then the checks. Every process it starts is an ``ncpt.procs.Proc`` stopped by PID; a stopped (SIGSTOP)
primary is continued first."""

import json
import os
import shlex
import signal
import sys
import time

import env as envmod

HERE = os.path.dirname(os.path.abspath(__file__))
# fault -> the signal the driver sends the primary; "paused" is "silent" followed by SIGCONT after --resume-after s
FAULTS = {"refusing": "KILL", "silent": "STOP", "paused": "STOP"}
EMPTY_DIGEST = "0" * 40
NETTY_OPTS = ("-Dio.netty.allocator.maxCachedBufferCapacity=2097152 -Dio.netty.tryReflectionSetAccessible=true "
              "--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED")
JAVA_OPTS = "-XX:+UseParallelGC -Xms256m -Xmx1g " + NETTY_OPTS


class TrialError(Exception):
    """The trial could not be set up or measured (not a failover result): its row says why."""


def yaml_quote(s):
    return "'" + s.replace("'", "''") + "'"


def middlebox_yaml(a, layout, mode, token_file):
    """The middlebox config: one Redis service with PING/+PONG probes and the other failover settings at the
    middlebox's defaults unless the benchmark's flags give them."""
    s = layout.service
    lines = ["threads: %d" % a.threads, "statsInterval: 1s", "admin:", "  address: %s" % layout.admin,
             "  tokenFile: %s" % token_file]
    if a.tcp_congestion:
        lines.append("tcpCongestion: %s" % a.tcp_congestion)
    lines += ["services:", "  - name: redis", "    listen: %s" % s["listen"], "    primary: %s" % s["primary"],
              "    mode: %s" % mode, "    compare: bytes", "    replicas:"]
    for r in s["replicas"]:
        lines.append("      - address: %s" % r["address"])
        if r.get("bind"):
            lines.append("        bind: %s" % r["bind"])
    lines += ["    failover:", "      send: %s" % yaml_quote(r"PING\r\n"), "      expect: %s" % yaml_quote("+PONG")]
    for key, val in (("interval", a.interval), ("timeout", a.timeout), ("misses", a.misses),
                     ("holdNewSessions", a.hold)):
        if val is not None:
            lines.append("      %s: %s" % (key, val))
    return "\n".join(lines) + "\n"


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def busy_ticks():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4], sum(v)


class Trial:
    def __init__(self, a, environment, mode, fault, index, out, log):
        self.a, self.env, self.mode, self.fault, self.index = a, environment, mode, fault, index
        self.out, self.log = out, log
        self.procs = {}
        self.row = {"net": environment.name, "mode": mode, "fault": fault, "trial": index}

    # ---- processes ----
    def spawn(self, role, argv, name):
        p = self.layout.nodes[role].spawn(argv, log=os.path.join(self.out, name + ".log"))
        self.procs[name] = p
        return p

    def stop_all(self):
        pri = self.procs.get("redis-pri")
        if pri is not None and pri.running():
            try:
                os.kill(pri.pid, signal.SIGCONT)  # a SIGSTOPped primary takes SIGTERM only once continued
            except ProcessLookupError:
                pass
        for name in reversed(list(self.procs)):
            self.procs[name].stop(timeout=15)

    def stats(self):
        status, body = envmod.admin_get(self.layout.nodes["mb"], self.layout.admin, self.token, "/stats")
        return body if status == 200 and isinstance(body, dict) else None

    def redis_cli(self, role, *args):
        node, _, port = self.layout.redis[role]
        res = node.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port)] + list(args), check=False, timeout=30)
        return res.stdout.strip()

    def wait(self, what, cond, timeout, interval=0.2):
        deadline = time.time() + timeout
        while time.time() < deadline:
            v = cond()
            if v:
                return v
            time.sleep(interval)
        raise TrialError("%s: not within %.0f s" % (what, timeout))

    # ---- the trial ----
    def start(self):
        a = self.a
        self.layout = self.env.layout()
        for role in ("pri", "r1", "r2"):
            node, bind, port = self.layout.redis[role]
            d = os.path.join(self.out, "redis-" + role)
            os.makedirs(d, exist_ok=True)
            self.spawn(role, ["redis-server", "--bind", bind, "--port", str(port), "--save", "", "--appendonly",
                              "no", "--protected-mode", "no", "--dir", d, "--enable-debug-command", "local"],
                       "redis-" + role)
        for role in ("pri", "r1", "r2"):
            node, _, port = self.layout.redis[role]
            node.wait_listen(port, proc=self.procs["redis-" + role])
        self.token = os.path.join(self.out, "admin-token")
        cfg = os.path.join(self.out, "middlebox.yaml")
        with open(cfg, "w") as f:
            f.write(middlebox_yaml(a, self.layout, self.mode, self.token))
        # GC pauses on the trial's time line (wall clock): a stalled JVM shows up there, not only in the figures
        gc = "-Xlog:gc:file=%s:time" % os.path.join(self.out, "gc.log")
        argv = ["java"] + shlex.split(a.java_opts) + [gc, "-jar", a.jar, "run", "--config", cfg]
        self.mb = self.spawn("mb", argv, "middlebox")

        def healthy():
            if not self.mb.running():
                raise TrialError("middlebox exited %s: %s" % (self.mb.popen.poll(), self.mb.log_tail(8)))
            return envmod.admin_get(self.layout.nodes["mb"], self.layout.admin, self.token, "/health")[0] == 200
        self.wait("middlebox healthy", healthy, 90, 0.5)

        def replicas_ready():
            st = self.stats()
            reps = st["services"][0]["replicas"] if st else []
            return len(reps) == 2 and all(r["health"] == "UP" and r["consistency"] == "IN_SYNC" for r in reps)
        self.wait("replicas UP and IN_SYNC", replicas_ready, 30, 0.3)

    def go(self):
        a = self.a
        t_start, busy0 = time.time(), busy_ticks()
        self.row["load1_start"] = loadavg()
        self.start()
        pri = self.procs["redis-pri"]
        result = os.path.join(self.out, "driver.json")
        host, port = self.layout.target
        argv = ["/usr/bin/python3", os.path.join(HERE, "driver.py"), "--host", host, "--port", str(port),
                "--fault-pid", str(pri.pid), "--fault-signal", FAULTS[self.fault], "--result", result,
                "--resume-after", str(a.resume_after if self.fault == "paused" else 0),
                "--conns", str(a.conns), "--rate", str(a.rate), "--new-rate", str(a.new_rate),
                "--warmup", str(a.warmup), "--after", str(a.after), "--prefix", "fb"]
        drv = self.spawn("src", argv, "driver")
        rc = drv.wait(a.warmup + a.after + 120)
        if rc is None:
            drv.stop()
            raise TrialError("driver still running after %.0f s" % (a.warmup + a.after + 120))
        with open(result) as f:
            d = json.load(f)
        if rc != 0 or "failed" in d:
            raise TrialError("driver: %s" % d.get("failed", "exit %s" % rc))
        busy1 = busy_ticks()
        self.row["load1_end"] = loadavg()
        self.row["busy_pct"] = round(100.0 * (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]), 1)
        self.client_figures(d)

        def settled():
            st = self.stats()
            if not st:
                return None
            svc = st["services"][0]
            idle = svc["active"] == 0 and all(r["backlogBytes"] == 0 for r in svc["replicas"])
            return st if idle and svc["failovers"] else None
        try:
            st = self.wait("middlebox settled after the failover (no active session, no backlog)", settled, 30, 0.5)
        except TrialError:
            st = self.stats()
            self.row["note"] = "not settled within 30 s"
        with open(os.path.join(self.out, "stats.json"), "w") as f:
            json.dump(st, f, indent=1)
        self.middlebox_figures(st, d)
        self.check_data(st, result)
        self.row["seconds"] = round(time.time() - t_start, 1)

    def client_figures(self, d):
        r = self.row
        for k in ("existing_conns", "existing_served_again", "existing_first_ms", "existing_all_ms", "new_first_ms",
                  "new_max_wait_ms", "new_opened_after_fault", "new_total", "new_ok", "max_latency_ms", "errors",
                  "acked_writes", "pairs_per_s", "driver_cpu_s"):
            r[k] = d.get(k)
        firsts = [x for x in (d.get("existing_first_ms"), d.get("new_first_ms")) if x is not None]
        r["rto_ms"] = min(firsts) if firsts else None
        r["errors_by_kind"] = " ".join("%s=%d" % kv for kv in sorted(d.get("errors_by_kind", {}).items())) or "-"
        self.fault_wall = d["fault_wall"]

    def middlebox_figures(self, st, d):
        r = self.row
        svc = (st or {}).get("services", [{}])[0]
        fos = svc.get("failovers", [])
        r["failovers"] = len(fos)
        r["promoted"] = self.layout.role_of(svc.get("primary", "")) or svc.get("primary")
        r["fenced"] = ",".join(self.layout.role_of(x) or x for x in svc.get("fenced", []))
        if not fos:
            return
        f = fos[0]
        for k in ("detectMillis", "promoteMillis", "firstAnswerMillis", "sessionsCarried", "sessionsReset",
                  "unreceivedBytes", "unansweredBytes", "reason"):
            r["mb_" + k] = f.get(k)
        # 'at' is the wall-clock moment the record was made (right after the promotion): with the fault's
        # wall-clock time it places the middlebox's intervals (counted from its first missed probe) on the
        # fault's time line
        at = parse_instant(f.get("at"))
        if at is not None and f.get("promoteMillis") is not None:
            promoted = (at - self.fault_wall) * 1000.0
            first_miss = promoted - f["promoteMillis"]
            r["mb_first_miss_after_fault_ms"] = round(first_miss, 1)
            r["mb_detect_after_fault_ms"] = round(first_miss + f["detectMillis"], 1)
            r["mb_promote_after_fault_ms"] = round(promoted, 1)
            if f.get("firstAnswerMillis", -1) >= 0:
                r["mb_first_answer_after_fault_ms"] = round(first_miss + f["firstAnswerMillis"], 1)

    def check_data(self, st, result):
        r = self.row
        promoted = r.get("promoted")
        if promoted not in ("r1", "r2"):
            r["lost"] = None
            r["digest_equal"] = False
            r["note"] = (r.get("note", "") + " no replica promoted").strip()
            return
        node, _, port = self.layout.redis[promoted]
        res = node.run(["/usr/bin/python3", os.path.join(HERE, "verify.py"), "--port", str(port), "--acked", result,
                        "--prefix", "fb"], check=False, timeout=120)
        try:
            v = json.loads(res.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            v = {"error": "verify.py: %s %s" % (res.stdout[-200:], res.stderr[-300:])}
        with open(os.path.join(self.out, "verify.json"), "w") as f:
            json.dump(v, f, indent=1)
        if "error" in v:
            raise TrialError(v["error"])
        r["checked"] = v["checked"]
        r["lost"] = v["lost"]
        r["lost_detail"] = "set=%d incr=%d short=%d %s" % (v["lost_set"], v["lost_incr"], v["lost_short"],
                                                            " ".join(v["examples"][:3]))
        other = "r2" if promoted == "r1" else "r1"
        deadline = time.time() + 30
        while True:
            want, got = self.redis_cli(promoted, "DEBUG", "DIGEST"), self.redis_cli(other, "DEBUG", "DIGEST")
            if (want == got and want) or time.time() > deadline:
                break
            time.sleep(0.5)
        r["digest_equal"] = bool(want == got and want and want != EMPTY_DIGEST)
        r["keys_promoted"] = self.redis_cli(promoted, "DBSIZE")
        r["keys_other"] = self.redis_cli(other, "DBSIZE")


def parse_instant(text):
    """Seconds since the epoch of an ISO-8601 UTC instant like 2026-12-02T08:09:59.227Z (None if absent)."""
    if not text:
        return None
    import datetime
    t = text.rstrip("Z")
    if "." not in t:
        t += ".000"
    dt = datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


def run_trial(a, environment, mode, fault, index, out, log):
    """Runs one trial; returns its row (``error`` set when the trial itself failed)."""
    os.makedirs(out, exist_ok=True)
    t = Trial(a, environment, mode, fault, index, out, log)
    try:
        t.go()
    except TrialError as e:
        t.row["error"] = str(e)
    except Exception as e:  # noqa: BLE001 - a trial that breaks is recorded with its first line and goes on
        import traceback
        traceback.print_exc(file=sys.stdout)
        t.row["error"] = "%s: %s" % (type(e).__name__, (str(e).splitlines() or [""])[0])
    finally:
        t.stop_all()
    return t.row
