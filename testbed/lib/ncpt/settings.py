"""The benchmark settings of issue 2 (and the shared-NIC anchor of issue 5) as namespaced networks.

Every setting places the same roles: a client ``src``, a ``primary`` server, the middlebox host ``mb``
(where HAProxy, the naive tee or NCP run) and up to two replicas. Settings differ in link rate and in
where the replicas live:

- ``a``        1 Gbit/s links; replicas on a second ("black") network reached through mb's second
               interface (the paper's dedicated replication NIC): replica connections bind mb's black address.
- ``shared``   1 Gbit/s links; replicas on the production ("blue") network, through mb's only interface.
- ``b``        10 Gbit/s links, dedicated NIC like ``a``: the 2 CPU cores are the bottleneck.
- ``loopback`` one namespace, no shaping, every server on 127.0.0.1 (distinct ports).
"""

from . import netns

BLUE = "10.77.1.%d/24"
BLACK = "10.77.2.%d/24"

# One port per role and service, the same in every setting (they never clash: hosts are namespaces).
PORTS = {
    "iperf3": {"proxy": 5200, "primary": 5201, "replicas": [5202, 5203]},
    "http": {"proxy": 8080, "primary": 8081, "replicas": [8082, 8083]},
}
ADMIN_PORT = 9090
MAX_REPLICAS = 2

SETTINGS = {
    "a": {"rate": "1gbit", "nic": "dedicated",
          "title": "(a) 1 Gbit/s links, replicas behind a dedicated replication NIC"},
    "shared": {"rate": "1gbit", "nic": "shared",
               "title": "1 Gbit/s links, replicas on the production network (shared NIC)"},
    "b": {"rate": "10gbit", "nic": "dedicated",
          "title": "(b) 10 Gbit/s links, dedicated replication NIC: CPU-bound"},
    "loopback": {"rate": "0", "nic": "loopback", "title": "loopback, no shaping"},
}


class Endpoint:
    """A role: the node its processes run in and the address it serves/binds on."""

    def __init__(self, node, ip, delivered=None):
        self.node = node
        self.ip = ip
        self.delivered = delivered or (lambda: None)  # wire bytes delivered to this role so far, or None
        self.app_bytes = lambda: None  # application bytes its sink has read so far (runner.IperfServers sets it)

    def __repr__(self):
        return "%s@%s" % (self.ip, self.node.name)


class Roles:
    """Who is where in one setting: src, primary, mb (+ replica_bind), replicas."""

    def __init__(self, src, primary, mb, replicas, replica_bind=None):
        self.src = src
        self.primary = primary
        self.mb = mb
        self.replicas = replicas
        self.replica_bind = replica_bind

    def all_server_nodes(self):
        return [self.primary] + self.replicas


def build(name):
    """Returns (net, roles) for a setting; ``net.up()`` has been called, ``net.down()`` removes it all."""
    spec = SETTINGS[name]
    if spec["nic"] == "loopback":
        net = netns.loopback().up()
        lo = net["lo"].node
        ep = lambda: Endpoint(lo, "127.0.0.1")  # noqa: E731
        return net, Roles(ep(), ep(), ep(), [ep() for _ in range(MAX_REPLICAS)])
    net = netns.Net(netns.parse_rate(spec["rate"]))
    net.add_network("blue")
    replica_net, replica_cidr = ("black", BLACK) if spec["nic"] == "dedicated" else ("blue", BLUE)
    mb_links = [("blue", BLUE % 30)]
    if spec["nic"] == "dedicated":
        net.add_network("black")
        mb_links.append(("black", BLACK % 30))
    net.add_host("src", [("blue", BLUE % 10)])
    net.add_host("pri", [("blue", BLUE % 20)])
    net.add_host("mb", mb_links)
    for i in range(MAX_REPLICAS):
        net.add_host("r%d" % (i + 1), [(replica_net, replica_cidr % (41 + i))])
    net.up()
    def ep(h, nw="blue"):
        return Endpoint(net[h].node, net[h].ip(nw), lambda: net.delivered_bytes(h, nw))

    replicas = [ep("r%d" % (i + 1), replica_net) for i in range(MAX_REPLICAS)]
    bind = net["mb"].ip("black") if spec["nic"] == "dedicated" else None
    return net, Roles(ep("src"), ep("pri"), ep("mb"), replicas, replica_bind=bind)
