"""Namespaces + veths + Linux bridges + tbf shaping: the testbed's emulated hosts and links.

A ``Net`` owns one namespace per host (``ncpt-<host>``) and one namespace ``ncpt-sw`` holding the
bridges, so the root namespace never sees an interface of ours: deleting the namespaces deletes every
veth. Each link is a veth pair shaped in BOTH directions with tbf (egress of the host end and egress of
the bridge end), which is what a full-duplex link of that rate is.
"""

import json

from . import procs

SWITCH_NS = "ncpt-sw"


def tbf_args(rate_bps):
    """tbf parameters for a link of ``rate_bps``: a 1 ms bucket (>= 64 KiB so GSO super-packets are not
    split) and a 10 ms queue (1.25 MB at 1 Gbit/s, like a switch port buffer). With a 2 ms queue, two
    TCP flows sharing one shaped egress (primary + replica on a shared NIC) lose packets and a blocking
    tee falls to 0.15-0.36 of direct instead of the expected 0.5."""
    burst = max(rate_bps // 8 // 1000, 64 * 1024)
    limit = max(rate_bps // 8 // 100, 256 * 1024)
    return ["rate", str(rate_bps), "burst", str(burst), "limit", str(limit)]


def parse_rate(text):
    """'1gbit' / '10gbit' / '500mbit' / '0' (no shaping) -> bits per second."""
    text = str(text).strip().lower()
    for suffix, mult in (("gbit", 10 ** 9), ("mbit", 10 ** 6), ("kbit", 10 ** 3), ("bit", 1)):
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)]) * mult)
    return int(text)


def qdisc_counters(dev, ns=None):
    """The root qdisc's counters on ``dev`` (in namespace ``ns``, default: this one): {bytes, packets, drops,
    backlog} from ``tc -s -j`` (bytes: GSO packets counted with every segment's headers, i.e. wire bytes)."""
    q = json.loads(procs.run(["tc", "-s", "-j", "qdisc", "show", "dev", dev], ns=ns).stdout)[0]
    return {k: q[k] for k in ("bytes", "packets", "drops", "backlog")}


def shape(ns, dev, rate_bps):
    if rate_bps:
        procs.run(["tc", "qdisc", "replace", "dev", dev, "root", "tbf"] + tbf_args(rate_bps), ns=ns)


class Host:
    def __init__(self, name):
        self.name = name
        self.ns = "ncpt-" + name
        self.ifaces = []   # (ifname, network, cidr)
        self.node = procs.Node.netns(self.ns)

    def ip(self, network=None):
        """This host's address (without prefix length) on ``network`` (default: its first)."""
        for _, net, cidr in self.ifaces:
            if network is None or net == network:
                return cidr.split("/")[0]
        raise KeyError("%s has no interface on %s" % (self.name, network))

    def __repr__(self):
        return "Host(%s %s)" % (self.name, self.ifaces)


class Net:
    """Hosts attached to named L2 networks (Linux bridges) with every link shaped to ``rate`` bit/s."""

    def __init__(self, rate_bps=0):
        self.rate = rate_bps
        self.hosts = {}
        self.networks = []
        self._ns_made = []

    def add_network(self, name):
        self.networks.append(name)

    def add_host(self, name, attachments):
        """attachments: list of (network, 'a.b.c.d/len')."""
        h = Host(name)
        for i, (net, cidr) in enumerate(attachments):
            h.ifaces.append(("eth%d" % i, net, cidr))
        self.hosts[name] = h
        return h

    def __getitem__(self, name):
        return self.hosts[name]

    def _netns(self, ns):
        procs.run(["ip", "netns", "add", ns])
        self._ns_made.append(ns)
        procs.run(["ip", "link", "set", "lo", "up"], ns=ns)

    def up(self):
        try:
            self._up()
        except BaseException:
            self.down()
            raise
        return self

    def _up(self):
        if self.networks:
            self._netns(SWITCH_NS)
            for net in self.networks:
                br = "br-" + net
                procs.run(["ip", "link", "add", br, "type", "bridge", "forward_delay", "0", "stp_state", "0"],
                          ns=SWITCH_NS)
                procs.run(["ip", "link", "set", br, "up"], ns=SWITCH_NS)
        for h in self.hosts.values():
            self._netns(h.ns)
            for ifname, net, cidr in h.ifaces:
                peer = "%s-%s" % (h.name, ifname)
                procs.run(["ip", "link", "add", ifname, "netns", h.ns, "type", "veth",
                           "peer", "name", peer, "netns", SWITCH_NS])
                procs.run(["ip", "link", "set", peer, "master", "br-" + net, "up"], ns=SWITCH_NS)
                procs.run(["ip", "addr", "add", cidr, "dev", ifname], ns=h.ns)
                procs.run(["ip", "link", "set", ifname, "up"], ns=h.ns)
                shape(h.ns, ifname, self.rate)
                shape(SWITCH_NS, peer, self.rate)

    def delivered_bytes(self, host, network):
        """Bytes the network has delivered to ``host`` on ``network`` so far: the tbf counter of the bridge
        side of its link (GSO packets counted with every segment's headers, i.e. wire bytes). None when
        the link is not shaped."""
        if not self.rate:
            return None
        h = self.hosts[host]
        for ifname, net, _ in h.ifaces:
            if net == network:
                return qdisc_counters("%s-%s" % (host, ifname), ns=SWITCH_NS)["bytes"]
        raise KeyError("%s has no interface on %s" % (host, network))

    def down(self):
        """Stops every process left in our namespaces (by PID) and deletes the namespaces (and veths)."""
        for ns in reversed(self._ns_made):
            kill_netns_pids(ns)
            procs.run(["ip", "netns", "del", ns], check=False)
        self._ns_made = []


def kill_netns_pids(ns):
    out = procs.run(["ip", "netns", "pids", ns], check=False).stdout or ""
    procs.terminate(int(p) for p in out.split())


def loopback():
    """A single namespace ``ncpt-lo`` with only ``lo``: the unshaped loopback setting."""
    net = Net(0)
    net.add_host("lo", [])
    return net
