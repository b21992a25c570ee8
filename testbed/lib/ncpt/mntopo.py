"""The paper's testbed as a Mininet network: OVS switches (userspace datapath, no controller) in a tree.

Production ("blue") network, a two-level tree::

                 ncpt-s1 (core)
            /        |         \\
       ncpt-s2    ncpt-s3     ncpt-s4
         src        pri      mb, r1, r2

Replication ("black") network: ``ncpt-k1`` joining mb, r1 and r2 on second interfaces, so the middlebox
reaches the replicas either through its production NIC (shared-NIC configuration) or through a dedicated
replication NIC. Every host runs ``ethtool -K <if> tx off`` (TCP stalls on a netdev bridge without it);
every link is shaped with tbf at both ends (host side inside the host, switch side on the root-namespace
veth). Switches start in fail_mode=secure with an empty table; ``base_flows()`` adds priority-0 NORMAL
(plain L2 learning on a loop-free tree), the planner's rules go on top with ``ovs-ofctl``.
"""

import json
import os

from . import netns, procs

BLUE = "10.78.1.%d"
BLACK = "10.78.2.%d"
HOST_IDS = {"src": 10, "pri": 20, "mb": 30, "r1": 41, "r2": 42}
SWITCHES = {"ncpt-s1": 1, "ncpt-s2": 2, "ncpt-s3": 3, "ncpt-s4": 4, "ncpt-k1": 0x101}
BLUE_TREE = [("ncpt-s1", "ncpt-s2"), ("ncpt-s1", "ncpt-s3"), ("ncpt-s1", "ncpt-s4")]
BLUE_EDGE = {"src": "ncpt-s2", "pri": "ncpt-s3", "mb": "ncpt-s4", "r1": "ncpt-s4", "r2": "ncpt-s4"}
BLACK_MEMBERS = ["mb", "r1", "r2"]
BLACK_SWITCH = "ncpt-k1"
OFCTL = ["ovs-ofctl", "-O", "OpenFlow13"]
# Switch-to-switch links: OVS patch ports (default) or shaped veth pairs. In the userspace datapath every veth
# hop costs ovs-vswitchd a receive and a send syscall per packet; a redirected session crosses the tree twice
# (client -> middlebox -> primary), so on 2 cores veth hops make ovs-vswitchd the bottleneck (measured ~90 % of a
# core for 1 Gbit/s direct over 3 veth hops). Patch ports are resolved inside one datapath pass. Host links are
# veths shaped at both ends either way (they carry the rate limits the measurements depend on).
SWITCH_LINKS = ("patch", "veth")
# The replication ("black") network's switch: a Linux bridge (default) or one more OVS bridge. It carries no
# redirection rules; as an OVS bridge it would add a third pass of every replicated packet through
# ovs-vswitchd's single forwarding thread (the dedicated NIC would then compete for the same CPU as the
# production switches, which physical switches do not).
BLACK_SWITCHES = ("linux", "ovs")


def _ip_bridge_class():
    from mininet.node import Switch

    class IpBridge(Switch):
        """A Linux bridge made with iproute2 (Mininet's LinuxBridge needs brctl): plain L2 learning."""

        def connected(self):
            return True

        def start(self, _controllers):
            procs.run(["ip", "link", "add", "name", self.name, "type", "bridge"])
            for intf in self.intfList():
                if intf.name != "lo":
                    procs.run(["ip", "link", "set", intf.name, "master", self.name])
            procs.run(["ip", "link", "set", self.name, "up"])

        def stop(self, deleteIntfs=True):
            procs.run(["ip", "link", "del", self.name], check=False)
            super().stop(deleteIntfs)

    return IpBridge


def mac(network, host_id):
    return "02:00:00:00:%02x:%02x" % (1 if network == "blue" else 2, host_id)


class Testbed:
    """Builds, starts and stops the Mininet network; knows every address, MAC and switch port."""

    def __init__(self, rate="1gbit", replicas=2, mtu=1500, switch_links="patch", black_switch="linux"):
        if switch_links not in SWITCH_LINKS:
            raise ValueError("switch_links must be one of %s, got %r" % (SWITCH_LINKS, switch_links))
        if black_switch not in BLACK_SWITCHES:
            raise ValueError("black_switch must be one of %s, got %r" % (BLACK_SWITCHES, black_switch))
        self.black_switch = black_switch
        self.switch_links = switch_links
        self.rate = netns.parse_rate(rate)
        self.mtu = mtu
        self.replicas = ["r%d" % (i + 1) for i in range(replicas)]
        self.hosts = ["src", "pri", "mb"] + self.replicas
        self.net = None

    # ---- addresses -------------------------------------------------------------------------------
    def ip(self, host, network="blue"):
        return (BLUE if network == "blue" else BLACK) % HOST_IDS[host]

    def mac(self, host, network="blue"):
        return mac(network, HOST_IDS[host])

    def intf(self, host, network="blue"):
        """Interface name of ``host``'s NIC on ``network`` (inside the host), e.g. ncpt-mb-eth0."""
        return self.net.get("ncpt-" + host).intfList()[0 if network == "blue" else 1].name

    def node(self, host):
        """A procs.Node running commands inside the Mininet host (mnexec -a PID)."""
        return procs.Node.mininet(self.net.get("ncpt-" + host))

    # ---- lifecycle -------------------------------------------------------------------------------
    def start(self):
        from functools import partial
        from mininet.net import Mininet
        from mininet.node import OVSSwitch
        switch = partial(OVSSwitch, datapath="user", failMode="secure", protocols="OpenFlow10,OpenFlow13")
        self.net = Mininet(topo=None, controller=None, switch=switch, build=False, autoSetMacs=False,
                           waitConnected=False)
        try:
            self._build()
        except BaseException:
            self.stop()
            raise
        return self

    def _build(self):
        net = self.net
        for name, dpid in SWITCHES.items():
            if name == BLACK_SWITCH and self.black_switch == "linux":
                net.addSwitch(name, cls=_ip_bridge_class(), dpid="%016x" % dpid)
            else:
                net.addSwitch(name, dpid="%016x" % dpid)
        for h in self.hosts:
            net.addHost("ncpt-" + h, ip=None)
        from mininet.link import OVSLink
        for a, b in BLUE_TREE:
            if self.switch_links == "patch":
                net.addLink(a, b, cls=OVSLink)
            else:
                net.addLink(a, b)
        for h in self.hosts:
            net.addLink("ncpt-" + h, BLUE_EDGE[h])
        for h in BLACK_MEMBERS:
            if h in self.hosts:
                net.addLink("ncpt-" + h, "ncpt-k1")
        net.build()
        for h in self.hosts:
            procs.record(net.get("ncpt-" + h).pid, "mininet-host:" + h)
        net.start()
        for h in self.hosts:
            host = net.get("ncpt-" + h)
            for i, intf in enumerate(host.intfList()):
                network = "blue" if i == 0 else "black"
                intf.setMAC(self.mac(h, network))
                intf.setIP(self.ip(h, network), prefixLen=24)
                host.cmd("ethtool -K %s tx off >/dev/null 2>&1" % intf.name)
                if self.mtu != 1500:
                    host.cmd("ip link set %s mtu %d" % (intf.name, self.mtu))
                if self.rate:
                    host.cmd("tc qdisc replace dev %s root tbf %s" % (intf.name, " ".join(netns.tbf_args(self.rate))))
        from mininet.link import OVSIntf
        for sw in net.switches:
            for intf in sw.intfList():
                if intf.name != "lo" and self.mtu != 1500 and not isinstance(intf, OVSIntf):
                    procs.run(["ip", "link", "set", intf.name, "mtu", str(self.mtu)])
                    if sw.name == BLACK_SWITCH and self.black_switch == "linux":
                        continue
                    procs.run(["ovs-vsctl", "set", "interface", intf.name, "mtu_request=%d" % self.mtu])
        if self.rate:
            for sw in net.switches:
                for intf in sw.intfList():
                    if intf.name != "lo" and not isinstance(intf, OVSIntf):
                        procs.run(["tc", "qdisc", "replace", "dev", intf.name, "root", "tbf"]
                                  + netns.tbf_args(self.rate))
        self.base_flows()

    def base_flows(self):
        """Priority-0 NORMAL on every switch: L2 learning on the loop-free tree for ordinary traffic."""
        for name in SWITCHES:
            if name == BLACK_SWITCH and self.black_switch == "linux":
                continue
            procs.run(OFCTL + ["del-flows", name])
            procs.run(OFCTL + ["add-flow", name, "priority=0,actions=NORMAL"])

    def stop(self):
        """Ends every process inside our hosts (by PID), then stops the Mininet network (its own shells,
        its own bridges and veths: Mininet.stop(), never the machine-wide cleanup)."""
        if self.net is None:
            return
        for host in self.net.hosts:
            if host.shell is not None:
                kill_in_netns_of(host.pid)
        self.net.stop()
        self.net = None

    # ---- topology description --------------------------------------------------------------------
    def port(self, switch, peer):
        """OpenFlow port number on ``switch`` of the link to node ``peer`` (host or switch name)."""
        sw = self.net.get(switch)
        for intf in sw.intfList():
            link = intf.link
            if link is None:
                continue
            other = link.intf1 if link.intf2 is intf else link.intf2
            if other.node.name == peer:
                return sw.ports[intf]
        raise KeyError("%s has no link to %s" % (switch, peer))

    def delivered_bytes(self, host, network="blue"):
        """Wire bytes the switch has sent to ``host`` on ``network`` (tbf counter of the switch-side port);
        None when links are not shaped."""
        if not self.rate:
            return None
        switch = BLUE_EDGE[host] if network == "blue" else "ncpt-k1"
        sw = self.net.get(switch)
        for intf in sw.intfList():
            link = intf.link
            if link is None:
                continue
            other = link.intf1 if link.intf2 is intf else link.intf2
            if other.node.name == "ncpt-" + host:
                return netns.qdisc_counters(intf.name)["bytes"]
        raise KeyError("%s has no link to %s" % (switch, host))

    def roles(self, nic="dedicated", replicas=None):
        """settings.Roles for this testbed: replicas reached on the black network through the middlebox's
        second NIC (``dedicated``) or on the blue network through its only NIC (``shared``)."""
        from .settings import Endpoint, Roles
        net = "black" if nic == "dedicated" else "blue"
        names = self.replicas if replicas is None else self.replicas[:replicas]

        def ep(h, nw="blue"):
            return Endpoint(self.node(h), self.ip(h, nw), lambda: self.delivered_bytes(h, nw))
        return Roles(ep("src"), ep("pri"), ep("mb"), [ep(r, net) for r in names],
                     replica_bind=self.ip("mb", "black") if nic == "dedicated" else None)

    def describe(self):
        """The topology as JSON-ready data (what the planner reads; see testbed/README.md)."""
        sw = [{"name": n, "dpid": "%016x" % d, "id": "of:%016x" % d,
               "network": "black" if n == "ncpt-k1" else "blue"} for n, d in SWITCHES.items()]
        links = [{"src": "of:%016x" % SWITCHES[a], "srcPort": self.port(a, b),
                  "dst": "of:%016x" % SWITCHES[b], "dstPort": self.port(b, a)} for a, b in BLUE_TREE]
        hosts = []
        for h in self.hosts:
            ifs = [{"network": "blue", "ip": self.ip(h), "mac": self.mac(h), "switch": BLUE_EDGE[h],
                    "device": "of:%016x" % SWITCHES[BLUE_EDGE[h]], "port": self.port(BLUE_EDGE[h], "ncpt-" + h)}]
            if h in BLACK_MEMBERS:
                ifs.append({"network": "black", "ip": self.ip(h, "black"), "mac": self.mac(h, "black"),
                            "switch": "ncpt-k1", "device": "of:%016x" % SWITCHES["ncpt-k1"],
                            "port": self.port("ncpt-k1", "ncpt-" + h)})
            hosts.append({"name": h, "interfaces": ifs})
        return {"switches": sw, "links": links, "hosts": hosts,
                "roles": {"source": "src", "primary": "pri", "middlebox": "mb", "replicas": self.replicas},
                "rateBps": self.rate}

    def export(self, path):
        with open(path, "w") as f:
            json.dump(self.describe(), f, indent=2)
        return path


def kill_in_netns_of(pid):
    """Kills (by PID) every process sharing the network namespace of ``pid`` except ``pid`` itself:
    everything started inside one of our Mininet hosts, and nothing else."""
    try:
        target = os.readlink("/proc/%d/ns/net" % pid)
    except OSError:
        return
    if target == os.readlink("/proc/self/ns/net"):
        raise RuntimeError("pid %d is in the root network namespace: refusing to kill its neighbours" % pid)
    victims = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == pid:
            continue
        try:
            if os.readlink("/proc/%s/ns/net" % entry) == target:
                victims.append(int(entry))
        except OSError:
            continue
    procs.terminate(victims)
