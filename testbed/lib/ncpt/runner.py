"""One measurement point = servers + client run + replica completeness check, as a result row."""

import os
import time

from . import servers, settings, workloads


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def iperf3_point(roles, target, replicas, parallel, duration, omit, workdir):
    """Runs one iperf3 test through ``target`` with one-off iperf3 servers on the primary and the first
    ``replicas`` replicas; replica_ratio = the worst replica's received bytes / the primary's."""
    ports = settings.PORTS["iperf3"]
    prim = servers.IperfServer(roles.primary.node, roles.primary.ip, ports["primary"], workdir, "primary")
    reps = [servers.IperfServer(roles.replicas[i].node, roles.replicas[i].ip, ports["replicas"][i], workdir,
                                "replica%d" % (i + 1)) for i in range(replicas)]
    try:
        row = workloads.iperf3(roles.src.node, target[0], target[1], parallel, duration, omit)
        got = prim.finish(15)
        rep_bytes = [r.finish(30) for r in reps]
        row["primary_bytes"] = got
        if reps:
            row["replica_bytes"] = ";".join(str(b) for b in rep_bytes)
            if got and all(b is not None for b in rep_bytes):
                row["replica_ratio"] = round(min(rep_bytes) / got, 4)
            else:
                row["replica_ratio"] = 0.0
        return row
    finally:
        for s in [prim] + reps:
            s.stop()


class HttpServers:
    """nginx on the primary and on every replica, serving the same files, for a whole setting."""

    def __init__(self, roles, workdir, sizes_kib):
        root = os.path.join(workdir, "docroot")
        self.uris = servers.make_docroot(root, sizes_kib)
        ports = settings.PORTS["http"]
        self.roles = roles
        self.primary = servers.Nginx(roles.primary.node, roles.primary.ip, ports["primary"], root, workdir)
        self.replicas = []
        try:
            for i, r in enumerate(roles.replicas):
                self.replicas.append(servers.Nginx(r.node, r.ip, ports["replicas"][i], root, workdir))
        except BaseException:
            self.stop()
            raise

    def counts(self, n_replicas):
        return [s.requests() for s in [self.primary] + self.replicas[:n_replicas]]

    def stop(self):
        for s in [self.primary] + self.replicas:
            s.stop()


def http_point(http, n_replicas, run):
    """Runs ``run()`` (a wrk/httperf call returning a row) and checks every replica served as many
    requests as the primary (waiting up to 10 s for lagging replicas)."""
    before = http.counts(n_replicas)
    row = run()
    deadline = time.time() + 10
    while True:
        after = http.counts(n_replicas)
        deltas = [a - b if a is not None and b is not None else None for a, b in zip(after, before)]
        done = all(d is not None and d >= deltas[0] for d in deltas[1:])
        if done or time.time() > deadline:
            break
        time.sleep(0.5)
    row["primary_requests"] = deltas[0]
    if n_replicas:
        row["replica_requests"] = ";".join(str(d) for d in deltas[1:])
        ok = deltas[0] and all(d is not None for d in deltas[1:])
        row["replica_ratio"] = round(min(deltas[1:]) / deltas[0], 4) if ok else 0.0
    return row
