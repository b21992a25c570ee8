"""One measurement point = servers + client run + replica completeness check, as a result row."""

import os
import time

from . import iperf2, servers, settings, workloads


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class IperfServers:
    """A persistent iperf3 server on the primary and a sink (servers.Sink: reads everything, never answers,
    never resets) on each of the first ``n`` replicas, for one variant. ``iperf3 -s`` as a replica resets
    data streams that are replayed after its (independently replayed) control session ended the test, which
    takes the replica DOWN in the middlebox; ``NCPT_REPLICA_SERVER=iperf3`` restores that behaviour."""

    def __init__(self, roles, n, workdir, primary="iperf3"):
        """``primary``: ``iperf3`` (``iperf3 -s -J``) or ``iperf2`` (``iperf -s``, for iperf2_point)."""
        self.args = (roles, n, workdir)
        self.primary_kind = primary
        self._start(roles, n, workdir)

    def restart(self):
        """Stops and restarts every server (after a hung test: iperf3 serves one test at a time)."""
        self.stop()
        self._start(*self.args)

    def _start(self, roles, n, workdir):
        ports = settings.PORTS["iperf3"]
        if self.primary_kind == "iperf2":
            self.primary = iperf2.Server(roles.primary.node, roles.primary.ip, ports["primary"], workdir)
        else:
            self.primary = servers.IperfServer(roles.primary.node, roles.primary.ip, ports["primary"], workdir,
                                               "primary")
        self.servers = [self.primary]
        try:
            for i in range(n):
                r = roles.replicas[i]
                cls = servers.IperfServer if os.environ.get("NCPT_REPLICA_SERVER") == "iperf3" else servers.Sink
                srv = cls(r.node, r.ip, ports["replicas"][i], workdir, "replica%d" % (i + 1))
                self.servers.append(srv)
                # iperf3_point reads the replica's application bytes through its endpoint
                r.app_bytes = getattr(srv, "app_bytes", lambda: None)
                r.all_bytes = (lambda c=srv: (c.counts() or {}).get("bytes")) if hasattr(srv, "counts") \
                    else (lambda: None)
        except BaseException:
            self.stop()
            raise

    def stop(self):
        roles, n, _ = self.args
        for r in roles.replicas[:n]:
            r.app_bytes = lambda: None
            r.all_bytes = lambda: None
        for s in self.servers:
            s.stop()


def wait_drained(endpoints, quiet=1.0, timeout=30.0):
    """Waits until no more bytes are delivered to any endpoint for ``quiet`` s (replicas catching up);
    returns the final counters."""
    last = [e.delivered() for e in endpoints]
    if any(v is None for v in last):
        return last
    deadline = time.time() + timeout
    stable_since = time.time()
    while time.time() < deadline:
        time.sleep(0.25)
        now = [e.delivered() for e in endpoints]
        if now != last:
            last, stable_since = now, time.time()
        elif time.time() - stable_since >= quiet:
            break
    return last


def _app(endpoint):
    f = getattr(endpoint, "app_bytes", None)
    return f() if f is not None else None


def wait_app_drained(replicas, quiet=3.0, timeout=60.0):
    """Waits until no replica's sink has read a byte for ``quiet`` s; returns their application byte counts."""
    return wait_drained([_AppView(r) for r in replicas], quiet=quiet, timeout=timeout)


class _AppView:
    def __init__(self, endpoint):
        self.delivered = lambda: _app(endpoint)


def iperf3_point(roles, target, replicas, parallel, duration, omit, meter=None):
    """One iperf3 test through ``target`` (servers already running).

    Replica completeness in application bytes (the replicas are sinks, runner.IperfServers): ``replica_app`` =
    iperf3 payload each replica's sink read over the test, once no sink has read a byte for 3 s;
    ``primary_app`` = payload the primary's iperf3 server read (its own JSON); ``replica_ratio`` = the worst
    replica's / the primary's. iperf3's server stops reading when the test ends, so payload still in flight then
    (in the relay's and the primary's buffers) reaches a complete replica but is not in ``primary_app``: the
    ratio of a complete replica can exceed 1 by that tail; ``replica_sent_ratio`` compares with the payload the
    client wrote instead (whose tail may never leave the client once the primary closes). The wire counters of
    earlier runs (tbf bytes toward each host, retransmissions included) stay as ``primary_wire``/``replica_wire``
    (shaped settings only)."""
    eps = [roles.primary] + roles.replicas[:replicas]
    before = wait_drained(eps, quiet=0.5)
    app_before = wait_app_drained(roles.replicas[:replicas], quiet=0.5)
    if meter is not None:
        meter.start()
    row = workloads.iperf3(roles.src.node, target[0], target[1], parallel, duration, omit)
    if meter is not None:
        row.update(meter.stop())  # over the client's run only (not the drain waits)
    # 3 s of silence: a replica link that dropped packets (tbf) can sit in TCP retransmission backoff for
    # more than a second while the middlebox still holds its backlog
    after = wait_drained(eps, quiet=3.0, timeout=60)
    app_after = wait_app_drained(roles.replicas[:replicas], quiet=3.0, timeout=60)
    if replicas and before[0] is not None:
        wire = [a - b for a, b in zip(after, before)]
        row["primary_wire"] = wire[0]
        row["replica_wire"] = ";".join(str(w) for w in wire[1:])
    if replicas and all(v is not None for v in app_before + app_after) and row.get("primary_app"):
        app = [a - b for a, b in zip(app_after, app_before)]
        row["replica_app"] = ";".join(str(a) for a in app)
        row["replica_ratio"] = round(min(app) / row["primary_app"], 4)
        if row.get("client_sent_app"):
            row["replica_sent_ratio"] = round(min(app) / row["client_sent_app"], 4)
    return row


def iperf2_point(servers_, roles, target, replicas, parallel, duration):
    """One iperf2 test through ``target`` (``servers_``: IperfServers with an iperf2 primary). Exact replica
    completeness in application bytes: ``replica_app`` = bytes each replica's sink read over the test (once no sink
    has read a byte for 3 s), ``primary_app`` = bytes the primary's ``iperf -s`` read (every stream to its end),
    ``replica_ratio`` = the worst replica's / the primary's (1.000 exactly when complete)."""
    views = [_AllView(r) for r in roles.replicas[:replicas]]
    before = wait_drained(views, quiet=0.5)
    offset = servers_.primary.offset()
    row = iperf2.client(roles.src.node, target[0], target[1], parallel, duration)
    row["primary_app"] = servers_.primary.bytes_since(offset, parallel)
    after = wait_drained(views, quiet=3.0, timeout=60)
    if replicas and all(v is not None for v in before + after):
        app = [a - b for a, b in zip(after, before)]
        row["replica_app"] = ";".join(str(a) for a in app)
        row["replica_ratio"] = round(min(app) / row["primary_app"], 4) if row["primary_app"] else 0.0
    return row


class _AllView:
    def __init__(self, endpoint):
        self.delivered = lambda: getattr(endpoint, "all_bytes", lambda: None)()


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
