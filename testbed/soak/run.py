"""One soak run (see soak.py): starts the servers and the middlebox, runs the driver while sampling, then settles,
probes, compares digests and judges. Every process it starts is an ``ncpt.procs.Proc`` stopped by PID."""

import datetime
import json
import os
import shlex
import sys
import time

from ncpt import procs

import analysis
import probes
import soak
import summary

MIB = 1024.0 * 1024.0
EMPTY_DIGEST = "0" * 40


class Run:
    def __init__(self, args, fd_note):
        self.a, self.fd_note = args, fd_note
        self.out = args.out
        self.procs = []
        self.samples = []
        self.checks = []
        self.phase = "setup"
        self.t0 = time.time()
        self.cpu = probes.CpuMeter()
        self.last_drv = None
        self.cmdfile = os.path.join(self.out, "jcmd-commands.txt")
        with open(self.cmdfile, "w") as f:
            f.write(probes.JCMD_COMMANDS)

    def log(self, text):
        print("[soak %6.0fs] %s" % (time.time() - self.t0, text), flush=True)

    def check(self, name, ok, detail):
        self.checks.append((name, bool(ok), detail))
        self.log("%s %s: %s" % ("ok  " if ok else "FAIL", name, detail))

    # ---- processes ----
    def spawn(self, argv, name):
        p = procs.ROOT.spawn(argv, log=os.path.join(self.out, name + ".log"))
        self.procs.append(p)
        return p

    def stop_all(self):
        for p in reversed(self.procs):
            p.stop(timeout=20)

    def start_servers(self):
        self.ports = dict(zip(("listen", "admin", "primary", "replica1", "replica2"), soak.free_ports(5)))
        self.redis = {}
        for role in ("primary", "replica1", "replica2"):
            port = self.ports[role]
            d = os.path.join(self.out, "redis-" + role)
            os.makedirs(d, exist_ok=True)
            self.redis[role] = self.spawn(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                           "--appendonly", "no", "--dir", d, "--maxclients", str(self.a.maxclients),
                                           "--enable-debug-command", "local"], "redis-" + role)
        for role, p in self.redis.items():
            procs.ROOT.wait_listen(self.ports[role], proc=p)
            eff = int(probes.redis_cli(self.ports[role], "CONFIG", "GET", "maxclients").split()[-1])
            if eff < self.a.sessions + 64:
                raise RuntimeError("redis %s accepts only %d clients (needs %d + 64)" % (role, eff, self.a.sessions))
        a = self.a
        token = os.path.join(self.out, "admin-token")
        limit = ["prlimit", "--nofile=%d:%d" % (a.middlebox_nofile, a.middlebox_nofile), "--"] \
            if a.middlebox_nofile else []
        argv = (limit + ["java"] + shlex.split(a.java_opts) + soak.SOAK_JVM + ["-jar", a.jar, "run",
                "--listen", "127.0.0.1:%d" % self.ports["listen"], "--primary", "127.0.0.1:%d" % self.ports["primary"],
                "--replica", "127.0.0.1:%d" % self.ports["replica1"], "--replica",
                "127.0.0.1:%d" % self.ports["replica2"], "--admin", "127.0.0.1:%d" % self.ports["admin"],
                "--admin-token-file", token, "--stats-interval", "10s", "--threads", str(a.threads)]
                + shlex.split(a.ncp_args))
        with open(os.path.join(self.out, "middlebox.argv"), "w") as f:
            f.write(" ".join(shlex.quote(x) for x in argv) + "\n")
        self.mb = self.spawn(argv, "middlebox")
        self.admin = probes.Admin(self.ports["admin"], token)
        deadline = time.time() + 90
        while self.admin.health() != 200:
            if not self.mb.running() or time.time() > deadline:
                raise RuntimeError("middlebox not healthy on 127.0.0.1:%d (exit %s)\n%s"
                                   % (self.ports["admin"], self.mb.popen.poll(), self.mb.log_tail()))
            time.sleep(0.5)
        probes.jvm_sample(self.mb.pid, self.cmdfile)  # first attach: the JVM's attach listener opens its socket
        self.log("redis %s, middlebox pid %d on %d (admin %d); descriptor limit of the middlebox %s"
                 % ({r: self.ports[r] for r in self.redis}, self.mb.pid, self.ports["listen"], self.ports["admin"],
                    probes.fd_limits(self.mb.pid)))

    def driver_argv(self, status, result, **over):
        a = self.a
        opts = {"sessions": a.sessions, "active": a.active, "rate": a.rate, "pipeline": a.pipeline,
                "value-size": a.value_size, "duration": a.duration, "active-period": a.active_period,
                "ramp-rate": a.ramp_rate, "ramp-timeout": a.ramp_timeout, "key-prefix": "soak"}
        opts.update(over)
        argv = [sys.executable, os.path.join(soak.HERE, "driver.py"), "--port", str(self.ports["listen"]),
                "--status", status, "--result", result]
        for k, v in opts.items():
            argv += ["--" + k, str(v)]
        return argv

    # ---- sampling ----
    def sample(self):
        now = time.time()
        st = self.admin.stats()
        jvm = probes.jvm_sample(self.mb.pid, self.cmdfile)
        row = {"t": round(now - self.t0, 1), "time": datetime.datetime.now().isoformat(timespec="seconds"),
               "phase": self.phase, "load1": probes.load1()}
        ps = probes.proc_status(self.mb.pid)
        row["mb_rss_mib"] = round(ps["rss_kib"] / 1024.0, 1) if "rss_kib" in ps else None
        row["mb_threads"] = ps.get("threads")
        row["mb_fds"] = probes.fd_count(self.mb.pid)
        direct, self.direct_source = probes.direct_memory(st, jvm)
        row["direct_mib"] = round(direct / MIB, 2) if direct is not None else None
        for k in ("heap_used", "heap_committed", "old_used", "nmt_committed"):
            if k + "_kib" in jvm:
                row[k + "_mib"] = round(jvm[k + "_kib"] / 1024.0, 1)
        if "jcmd_error" in jvm:
            row["jcmd_error"] = jvm["jcmd_error"]
        pids = {"mb": [self.mb.pid], "redis": [p.pid for p in self.redis.values()],
                "driver": [self.driver.pid] if getattr(self, "driver", None) and self.driver.running() else []}
        row.update(self.cpu.sample(now, pids))
        if st:
            self.last_stats = st
            row.update(self._stats_row(st))
        drv = self._read_json(os.path.join(self.out, "driver-status.json"))
        if drv and self.phase == "driver":
            row["phase"] = drv["phase"]
            for k in ("opened", "open_now", "active", "requests", "wrong", "missing", "dropped", "connect_failures",
                      "late", "rtt_p50_ms", "rtt_p99_ms"):
                row["drv_" + k] = drv.get(k)
            if self.last_drv and drv["time"] > self.last_drv["time"]:
                row["drv_rate"] = round((drv["requests"] - self.last_drv["requests"])
                                        / (drv["time"] - self.last_drv["time"]), 1)
            self.last_drv = drv
        self.samples.append(row)
        return row

    @staticmethod
    def _stats_row(st):
        row = {}
        svc = st["services"][0]
        for k in ("accepted", "sessions", "active", "bytesIn", "bytesOut", "primaryFailures", "resets", "ringFull",
                  "ringMissed"):
            row["svc_" + k] = svc.get(k)
        for i, r in enumerate(svc["replicas"]):
            for k in ("health", "consistency", "sessions", "backlogBytes", "damaged", "lagging", "divergent",
                      "missed", "lost", "connectFailures", "compared"):
                row["r%d_%s" % (i + 1, k)] = r.get(k)
        proc = st.get("process") or {}
        for k in ("fds", "fdLimit", "directMemory", "directMemoryMax"):
            if k in proc:
                row["stats_" + k] = proc[k]
        row["ring_backlog"] = sum(s.get("ringBacklog", 0) for s in st.get("shards", []))
        return row

    @staticmethod
    def _read_json(path):
        try:
            with open(path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def sampling_until(self, done, limit):
        """Samples every ``interval`` s until ``done()`` or ``limit`` s passed; returns whether done() held."""
        deadline = time.time() + limit
        while time.time() < deadline:
            tick = time.time()
            self.sample()
            if done():
                return True
            time.sleep(max(0.0, self.a.interval - (time.time() - tick)))
        return done()

    def settled(self):
        st = self.admin.stats()
        if not st:
            return False
        svc = st["services"][0]
        return svc["active"] == 0 and all(r["backlogBytes"] == 0 for r in svc["replicas"]) and \
            sum(s.get("ringBacklog", 0) for s in st.get("shards", [])) == 0

    # ---- the run ----
    def go(self):
        a = self.a
        self.start_servers()
        self.sample()
        self.phase = "driver"
        status, result = (os.path.join(self.out, "driver-%s.json" % x) for x in ("status", "result"))
        self.driver = self.spawn(self.driver_argv(status, result), "driver")
        limit = a.ramp_timeout + a.duration + 300
        if not self.sampling_until(lambda: not self.driver.running(), limit):
            self.driver.stop()
            self.check("driver finished", False, "still running after %.0f s; stopped" % limit)
        drv = self._read_json(result) or {}
        self.phase = "settle"
        settled = self.sampling_until(self.settled, a.settle_timeout)
        self.check("middlebox settled", settled, "no active session and no replica backlog within %.0f s"
                   % a.settle_timeout)
        self.phase = "probe"
        probes.jcmd(self.mb.pid, "GC.run")
        ps, pr = (os.path.join(self.out, "probe-%s.json" % x) for x in ("status", "result"))
        probe = procs.ROOT.run(self.driver_argv(ps, pr, sessions=50, active=50, rate=500, duration=5,
                                                **{"ramp-rate": 100, "key-prefix": "probe"}), check=False, timeout=180)
        self.check("probe after GC", probe.returncode == 0, "50 sessions through the middlebox after a forced GC "
                   "(the leak detector reports what the GC collected): %s" % (self._read_json(pr) or {}).get("ok"))
        self.sampling_until(self.settled, a.settle_timeout)
        self.phase = "end"
        self.sample()
        final = self.admin.stats() or getattr(self, "last_stats", {})
        self.judge_driver(drv)
        self.judge_stats(final, drv, self._read_json(pr) or {})
        self.judge_digests()
        rc = self.mb.stop(timeout=30)
        self.check("middlebox stopped", rc in (0, 143), "exit %s after SIGTERM" % rc)
        log = summary.scan_log(self.mb.log_path)
        self.check("no leak", log["leak"]["count"] == 0, "%d LEAK: line(s) in middlebox.log (paranoid detection)"
                   % log["leak"]["count"])
        self.check("no descriptor exhaustion", log["emfile"]["count"] == 0, "%d 'Too many open files' line(s)"
                   % log["emfile"]["count"])
        self.check("no exception", log["exception"]["count"] == 0, "%d exception/stack line(s) in middlebox.log"
                   % log["exception"]["count"])
        return self.finish(drv, final, log)

    def judge_driver(self, d):
        a = self.a
        self.check("sessions opened", d.get("opened") == a.sessions, "%s of %d in %s s, %s connect failures, %s not "
                   "opened by the ramp-up deadline" % (d.get("opened"), a.sessions, d.get("ramp_seconds"),
                                                       d.get("connect_failures"), d.get("ramp_unfinished")))
        self.check("answers", d.get("requests", 0) > 0 and not d.get("wrong") and not d.get("missing"),
                   "%s requests checked (%s req/s, target %g), wrong %s, missing %s"
                   % (d.get("requests"), d.get("achieved_rate"), a.rate, d.get("wrong"), d.get("missing")))
        self.check("sessions kept", not d.get("dropped") and d.get("pings_ok") == d.get("opened"),
                   "dropped %s, final PING ok %s of %s" % (d.get("dropped"), d.get("pings_ok"), d.get("opened")))
        self.check("clean close", d.get("closed_clean") == d.get("opened"), "%s of %s sessions got the server's "
                   "close back after half-closing" % (d.get("closed_clean"), d.get("opened")))

    def judge_stats(self, st, d, probe):
        svc = (st.get("services") or [{}])[0]
        bad = {k: svc.get(k) for k in ("primaryFailures", "resets", "ringFull", "ringMissed") if svc.get(k)}
        want = (d.get("opened") or 0) + (probe.get("opened") or 0)
        self.check("middlebox counters", not bad and svc.get("sessions") == want,
                   "sessions %s (driver %s + probe %s), %s" % (svc.get("sessions"), d.get("opened"),
                                                               probe.get("opened"),
                                                               bad or "no primary failure, reset or full ring"))
        for i, r in enumerate(svc.get("replicas", [])):
            bad = {k: r.get(k) for k in ("missed", "connectFailures", "lagging", "damaged", "lost", "divergent")
                   if r.get(k)}
            ok = (not bad and r.get("health") == "UP" and r.get("consistency") == "IN_SYNC"
                  and r.get("sessions") == svc.get("sessions"))
            self.check("replica %d copies" % (i + 1), ok, "%s %s, %s of %s sessions, compared %s, %s"
                       % (r.get("health"), r.get("consistency"), r.get("sessions"), svc.get("sessions"),
                          r.get("compared"),
                          bad or "none missed/lagging/damaged/lost/divergent"))

    def judge_digests(self):
        deadline = time.time() + 30
        while True:
            want = probes.redis_cli(self.ports["primary"], "DEBUG", "DIGEST")
            got = [probes.redis_cli(self.ports[r], "DEBUG", "DIGEST") for r in ("replica1", "replica2")]
            if all(g == want for g in got) or time.time() > deadline:
                break
            time.sleep(1)
        keys = [probes.redis_cli(self.ports[r], "DBSIZE") for r in ("primary", "replica1", "replica2")]
        self.check("replica digests", want != EMPTY_DIGEST and all(g == want for g in got),
                   "primary %s, replicas %s, keys %s" % (want[:12], [g[:12] for g in got], keys))

    def finish(self, drv, final, log):
        a = self.a
        tol = analysis.Tolerances(a.tolerance, a.tolerance_rss_mib, a.tolerance_direct_mib, a.tolerance_fds)
        rows = analysis.trends(self.samples, tol)
        for r in rows:
            if r["checked"]:
                detail = ("growth %s %s over %s s (allowed %s), %d samples" % (
                    r["growth"], r["unit"], round(r["window"][1] - r["window"][0]), r["allowed"], r["samples"])
                    if "growth" in r else "%d sample(s) in the window, %d needed: a longer --duration or a shorter "
                    "--interval" % (r["samples"], analysis.MIN_SAMPLES))
                self.check("trend: %s" % r["label"], r["verdict"] == "ok", detail)
        hold = [s for s in self.samples if s["phase"] == "hold"]

        def mean(key):
            v = [float(s[key]) for s in hold if s.get(key) not in (None, "")]
            return round(sum(v) / len(v), 1) if v else None
        failed = [c for c in self.checks if not c[1]]
        reason = "%s: %s" % (failed[0][0], failed[0][2]) if failed else "%d checks passed" % len(self.checks)
        s = {"verdict": "PASS" if not failed else "FAIL", "reason": reason, "out": self.out,
             "verdict_line": ("PASS" if not failed else "FAIL: " + reason),
             "started": datetime.datetime.fromtimestamp(self.t0).isoformat(timespec="seconds"),
             "params": {k: v for k, v in vars(a).items()}, "machine": summary.machine(soak.ROOT),
             "fd_note": self.fd_note, "ports": self.ports, "driver": drv, "final_stats": final,
             "direct_source": getattr(self, "direct_source", None), "tolerance": tol.describe(),
             "trends": [{k: v for k, v in r.items() if k != "fit"} for r in rows], "checks": self.checks,
             "log": log, "hold_load1": mean("load1"), "hold_busy_pct": mean("machine_busy_pct"),
             "hold_driver_cpu": mean("driver_cpu_pct"), "hold_mb_cpu": mean("mb_cpu_pct"),
             "hold_rtt_p50": hold[-1].get("drv_rtt_p50_ms") if hold else None,
             "hold_rtt_p99": hold[-1].get("drv_rtt_p99_ms") if hold else None}
        analysis.write_csv(self.samples, os.path.join(self.out, "samples.csv"))
        with open(os.path.join(self.out, "summary.json"), "w") as f:
            json.dump(s, f, indent=1, default=str)
        with open(os.path.join(self.out, "summary.md"), "w") as f:
            f.write(summary.markdown(s))
        title = "NCP middlebox soak: %d sessions (%d active, %g req/s target), 2 replicas, %g s hold, %s" % (
            a.sessions, a.active, a.rate, a.duration, s["verdict"])
        analysis.plot(self.samples, rows, os.path.join(self.out, "soak.png"), title)
        return not failed, reason
