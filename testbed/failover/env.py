"""Where a failover trial runs: every role (client ``src``, primary ``pri``, replicas ``r1``/``r2``, middlebox
``mb``) is a ``procs.Node`` with the addresses the others use to reach it.

- ``Loopback``: one namespace (the root), every server on 127.0.0.1, fresh ports for every trial.
- ``Mininet``: the testbed's Mininet topology (testbed/lib/ncpt/mntopo.py, OVS userspace datapath, tbf-shaped
  links): the client on ``src`` addresses the primary's production address, ncp-plan's rules (installed once)
  redirect its sessions to the middlebox on ``mb``; the replicas are reached through the middlebox's second NIC on
  the replication network (the dedicated-NIC configuration: replica connections bound to mb's black address).
  Redis runs on the Mininet hosts.
"""

import json
import os
import socket

from ncpt import procs

REDIS_PORT = 6379
ADMIN_PORT = 9190


def free_ports(n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


class Layout:
    """One trial's addresses. ``redis[role] = (node, bind ip, port)``; ``service`` = the middlebox's service
    (listen, primary, replicas with their bind); ``target`` = where the client connects; ``admin`` = the admin
    API's address inside the middlebox's node."""

    def __init__(self, nodes, redis, service, target, admin):
        self.nodes, self.redis, self.service, self.target, self.admin = nodes, redis, service, target, admin

    def role_of(self, address):
        """The role whose Redis the middlebox reaches at ``address`` (host:port), or None."""
        if address == self.service["primary"]:
            return "pri"
        for role, rep in zip(("r1", "r2"), self.service["replicas"]):
            if address == rep["address"]:
                return role
        return None


class Loopback:
    name = "loopback"
    description = "loopback (one namespace, every process on 127.0.0.1, no shaping)"

    def start(self, log):
        return self

    def layout(self):
        listen, admin, pri, r1, r2 = free_ports(5)
        node = procs.ROOT
        nodes = {r: node for r in ("src", "pri", "r1", "r2", "mb")}
        redis = {"pri": (node, "127.0.0.1", pri), "r1": (node, "127.0.0.1", r1), "r2": (node, "127.0.0.1", r2)}
        service = {"listen": "127.0.0.1:%d" % listen, "primary": "127.0.0.1:%d" % pri,
                   "replicas": [{"address": "127.0.0.1:%d" % r1}, {"address": "127.0.0.1:%d" % r2}]}
        return Layout(nodes, redis, service, ("127.0.0.1", listen), "127.0.0.1:%d" % admin)

    def stop(self):
        pass


class Mininet:
    name = "mininet"

    def __init__(self, workdir, rate="1gbit", mtu=9000, planner="onos"):
        self.workdir, self.rate, self.mtu, self.planner = workdir, rate, mtu, planner
        self.tb = None
        self.started_ovs = False
        self.origin = None
        self.description = None

    def start(self, log):
        from ncpt import mntopo, ovs, plan
        self.started_ovs = ovs.ensure_running()
        self.tb = mntopo.Testbed(self.rate, mtu=self.mtu)
        self.tb.start()
        tb = self.tb
        reps = [(tb.ip(r, "black"), REDIS_PORT, tb.ip("mb", "black")) for r in tb.replicas]
        spec = plan.Spec((tb.ip("pri"), REDIS_PORT), (tb.ip("mb"), REDIS_PORT), source=tb.ip("src"), name="redis")
        self.origin, flows = plan.plan(tb.describe(), spec, reps, self.workdir, planner=self.planner)
        plan.install(flows)
        self.description = ("Mininet testbed (OVS userspace datapath, %s tbf-shaped links, MTU %d): client on src "
                            "addresses the primary %s:%d, %d flows from the %s planner redirect it to the middlebox "
                            "on mb; replicas on the replication network through mb's second NIC (%s)"
                            % (self.rate, self.mtu, tb.ip("pri"), REDIS_PORT, len(flows), self.origin,
                               tb.ip("mb", "black")))
        log("mininet: %s" % self.description)
        return self

    def layout(self):
        tb = self.tb
        nodes = {r: tb.node(r) for r in ("src", "pri", "r1", "r2", "mb")}
        redis = {"pri": (nodes["pri"], "0.0.0.0", REDIS_PORT), "r1": (nodes["r1"], "0.0.0.0", REDIS_PORT),
                 "r2": (nodes["r2"], "0.0.0.0", REDIS_PORT)}
        bind = tb.ip("mb", "black")
        service = {"listen": "%s:%d" % (tb.ip("mb"), REDIS_PORT), "primary": "%s:%d" % (tb.ip("pri"), REDIS_PORT),
                   "replicas": [{"address": "%s:%d" % (tb.ip(r, "black"), REDIS_PORT), "bind": bind}
                                for r in ("r1", "r2")]}
        return Layout(nodes, redis, service, (tb.ip("pri"), REDIS_PORT), "127.0.0.1:%d" % ADMIN_PORT)

    def stop(self):
        from ncpt import ovs
        if self.tb is not None:
            self.tb.stop()
            self.tb = None
        ovs.stop_if_idle(self.started_ovs)


def admin_get(node, admin, token_file, path, timeout=10):
    """(status, parsed JSON or text) of GET ``path`` on the admin API, asked from inside ``node``; (None, why)
    when nothing answers."""
    token = ""
    if token_file and os.path.exists(token_file):
        with open(token_file) as f:
            token = f.readline().strip()
    code = ("import urllib.request,urllib.error,sys\n"
            "r=urllib.request.Request('http://%s%s',headers={'Authorization':'Bearer %s'})\n"
            "try:\n"
            "    x=urllib.request.urlopen(r,timeout=%d); c,b=x.status,x.read()\n"
            "except urllib.error.HTTPError as e:\n"
            "    c,b=e.code,e.read()\n"
            "sys.stdout.write('%%d\\n' %% c); sys.stdout.write(b.decode())\n" % (admin, path, token, timeout))
    res = node.run(["/usr/bin/python3", "-c", code], check=False, timeout=timeout + 10)
    if res.returncode != 0:
        return None, res.stderr.strip()[-200:]
    status, _, body = res.stdout.partition("\n")
    try:
        return int(status), json.loads(body)
    except ValueError:
        return int(status), body
