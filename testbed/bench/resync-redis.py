#!/usr/bin/env python3
"""Resync benchmark (docs/resync.md): a Redis replica resynced online behind the NCP middlebox, on loopback.

The primary holds --keys keys (DEBUG POPULATE); the replica starts empty. A client writes through the middlebox
without pause (SET of random keys, one connection, one request at a time) while `ncp-middlebox resync --force --wait`
resyncs the replica with the Redis recipe of docs/resync.md (BGSAVE; copy dump.rdb; DEBUG RELOAD NOSAVE). Reported
per trial: the pause the middlebox measured at the snapshot point, the client's longest request latency during the
resync and its median outside, total resync time, journal bytes recorded and replayed, and whether DEBUG DIGEST of
the replica equals the primary's after the load stops. Every process started is stopped by PID on exit.

  testbed/bench/resync-redis.py                 # 1 M keys, 3 trials
  testbed/bench/resync-redis.py --keys 100000 --trials 1
"""
import argparse
import datetime
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESTORE = r"""set -e
P="redis-cli -h $NCP_PRIMARY_HOST -p $NCP_PRIMARY_PORT"
R="redis-cli -h $NCP_REPLICA_HOST -p $NCP_REPLICA_PORT"
i=0
while $P INFO persistence | grep -q 'rdb_bgsave_in_progress:1'; do
  i=$((i+1)); [ $i -lt 1200 ] || { echo 'BGSAVE still running after 60 s' >&2; exit 1; }
  sleep 0.05
done
$P INFO persistence | grep -q 'rdb_last_bgsave_status:ok' || { echo 'BGSAVE failed' >&2; exit 1; }
PD=$($P CONFIG GET dir | tail -1); RD=$($R CONFIG GET dir | tail -1)
cp "$PD/dump.rdb" "$RD/resync.tmp" && mv "$RD/resync.tmp" "$RD/dump.rdb"
$R DEBUG RELOAD NOSAVE | grep -q OK || { echo 'DEBUG RELOAD failed' >&2; exit 1; }
"""


def iso(t):
    return datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            sys.exit(f"resync-redis: {what} exited {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"resync-redis: {what} not listening on {port} after {timeout} s")


def cli(port, *args, timeout=600):
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True, check=True,
                          timeout=timeout).stdout.strip()


class Resp:
    """A minimal blocking RESP client (one request at a time)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), 10)
        self.sock.settimeout(30)
        self.buf = b""

    def call(self, *args):
        out = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in
                                               (x.encode() if isinstance(x, str) else x for x in args))
        self.sock.sendall(out)
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        if line[:1] == b"-":
            raise RuntimeError(line.decode())
        return line


class Load(threading.Thread):
    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.stop, self.samples, self.error = port, threading.Event(), [], None

    def run(self):
        try:
            c = Resp(self.port)
            n = 0
            end = time.time() + 900
            while not self.stop.is_set() and time.time() < end:
                n += 1
                t0 = time.monotonic()
                w0 = time.time()
                c.call("SET", "load:%d" % (n % 200000), "v%d" % n)
                self.samples.append((t0, time.monotonic() - t0, w0))
        except Exception as e:  # reported by the caller
            self.error = e


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--snapshot", choices=("request", "command"), default="request",
                    help="BGSAVE sent by the middlebox itself (default) or run as redis-cli (a process per resync)")
    ap.add_argument("--replica-loop", choices=("shared", "separate"), default="shared",
                    help="the middlebox's replicaLoop setting (default shared, as the middlebox's default)")
    ap.add_argument("--protocol", choices=("redis", "bytes"), default="redis",
                    help="the service's protocol: redis (default) reaches the snapshot point once every request was "
                    "answered; bytes waits for resync.quiet (20 ms) of silence")
    ap.add_argument("--json", help="write the results here too")
    a = ap.parse_args()
    jar = os.path.join(ROOT, "middlebox", "target", "ncp-middlebox.jar")
    if not os.path.exists(jar):
        sys.exit("resync-redis: build first: ./ncp build (no " + jar + ")")
    tmp = tempfile.mkdtemp(prefix="ncp-resync-bench-")
    procs = []
    try:
        ports = {k: free_port() for k in ("primary", "replica", "listen", "admin")}
        for name in ("primary", "replica"):
            d = os.path.join(tmp, name)
            os.makedirs(d)
            p = subprocess.Popen(["redis-server", "--port", str(ports[name]), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--enable-debug-command", "local", "--dir", d,
                                  "--protected-mode", "no", "--daemonize", "no"],
                                 stdout=open(os.path.join(d, "log"), "w"), stderr=subprocess.STDOUT)
            procs.append(p)
            wait_port(ports[name], p, "redis " + name)
        cli(ports["primary"], "DEBUG", "POPULATE", str(a.keys))
        restore = os.path.join(tmp, "redis-restore.sh")
        with open(restore, "w") as f:
            f.write(RESTORE)
        snapshot = ('{send: "BGSAVE\\r\\n", expect: "+Background saving started"}' if a.snapshot == "request" else
                    '["sh", "-c", "redis-cli -h $NCP_PRIMARY_HOST -p $NCP_PRIMARY_PORT BGSAVE | grep -q \'saving started\'"]')
        token = os.path.join(tmp, "admin-token")
        cfg = os.path.join(tmp, "mb.yaml")
        with open(cfg, "w") as f:
            f.write(f"""threads: 2
replicaLoop: {a.replica_loop}
admin: {{address: 127.0.0.1:{ports['admin']}, tokenFile: {token}}}
statsInterval: 0
journal: {{dir: {tmp}/journal, fsync: never}}
services:
  - name: redis
    listen: 127.0.0.1:{ports['listen']}
    primary: 127.0.0.1:{ports['primary']}
    replicas: [127.0.0.1:{ports['replica']}]
    protocol: {a.protocol}
    resync:
      snapshot: {snapshot}
      restore: ["sh", "{restore}"]
      maxPause: 2s
      timeout: 5m
""")
        java = ["java", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED", "-jar", jar]
        mb = subprocess.Popen(java + ["run", "--config", cfg], stdout=open(os.path.join(tmp, "mb.log"), "w"),
                              stderr=subprocess.STDOUT)
        procs.append(mb)
        wait_port(ports["listen"], mb, "middlebox")
        admin = f"http://127.0.0.1:{ports['admin']}"
        results = []
        for trial in range(1, a.trials + 1):
            load = Load(ports["listen"])
            load.start()
            time.sleep(2)
            t0 = time.monotonic()
            r = subprocess.run(java + ["resync", "redis", f"127.0.0.1:{ports['replica']}", "--force", "--wait",
                                       "--timeout", "10m", "--admin", admin, "--admin-token-file", token],
                               capture_output=True, text=True, timeout=900)
            t1 = time.monotonic()
            time.sleep(1)
            load.stop.set()
            load.join(60)
            if load.error:
                sys.exit(f"resync-redis: the load failed: {load.error}")
            if r.returncode != 0:
                sys.exit(f"resync-redis: resync failed: {r.stdout} {r.stderr}")
            req = urllib.request.Request(admin + "/services/redis",
                                         headers={"Authorization": "Bearer " + open(token).read().strip()})
            rep = json.load(urllib.request.urlopen(req, timeout=10))["stats"]["replicas"][0]
            end = time.time() + 60
            while time.time() < end and cli(ports["replica"], "DEBUG", "DIGEST") != cli(ports["primary"], "DEBUG",
                                                                                        "DIGEST"):
                time.sleep(0.2)
            equal = cli(ports["replica"], "DEBUG", "DIGEST") == cli(ports["primary"], "DEBUG", "DIGEST")
            during = [lat for (t, lat, _) in load.samples if t0 <= t <= t1]
            outside = [lat for (t, lat, _) in load.samples if not (t0 <= t <= t1)]
            p = rep["resync"]
            hold0 = iso(p["startedAt"])
            hold1 = hold0 + p["pauseMillis"] / 1e3 + 0.05
            at_snapshot = [lat for (_, lat, w) in load.samples if w <= hold1 and w + lat >= hold0]
            row = {"trial": trial, "keys": a.keys, "snapshot": a.snapshot, "replicaLoop": a.replica_loop,
                   "protocol": a.protocol, "primaryDoneBy": p.get("primaryDoneBy"), "pauseMillis": p["pauseMillis"],
                   "clientMaxLatencyAtSnapshotMs": round(max(at_snapshot) * 1e3, 1) if at_snapshot else None,
                   "clientMaxLatencyMs": round(max(during) * 1e3, 1) if during else None,
                   "clientMedianLatencyMsOutside": round(statistics.median(outside) * 1e3, 3) if outside else None,
                   "requestsDuring": len(during), "resyncSeconds": round((iso(p["endedAt"]) - iso(p["startedAt"])), 2),
                   "journalBytes": p["journalBytes"], "replayedBytes": p["replayedBytes"], "digestEqual": equal,
                   "state": rep["consistency"]}
            worst = sorted(((lat, t - t0) for (t, lat, _) in load.samples), reverse=True)[:3]
            row["slowestRequests"] = [{"ms": round(lat * 1e3, 1), "atSecond": round(at, 3)} for (lat, at) in worst]
            with open(os.path.join(tmp, "mb.log")) as f:
                row["log"] = [ln.strip()[:400] for ln in f if "resync" in ln.lower() or "RESYNCING" in ln][-6:]
            row["primaryLatestForkMs"] = round(int(next(ln.split(":")[1] for ln in cli(ports["primary"], "INFO",
                "stats").splitlines() if ln.startswith("latest_fork_usec"))) / 1e3, 1)
            results.append(row)
            print(json.dumps(row), flush=True)
        if a.json:
            with open(a.json, "w") as f:
                json.dump(results, f, indent=2)
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
