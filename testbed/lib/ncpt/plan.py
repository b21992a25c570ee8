"""Redirection rules for the Mininet testbed: the ONOS planner's (``./ncp plan``) or a built-in stand-in.

Tunnel mode (what both produce): at the redirection switch R — the switch of the source->primary path
nearest the middlebox — TCP to primary:port is rewritten to the middlebox's listen address and sent
towards it; on the way back R rewrites the middlebox's answers so they come from primary:port again.
The middlebox's own connection to the primary is exempted. Switches between R and the middlebox get
explicit forwarding rules; everything else uses the priority-0 NORMAL flows.
"""

import collections
import os
import shlex
import subprocess

from . import names, procs

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PLAN_JAR = os.environ.get("NCP_PLAN_JAR", os.path.join(ROOT, "onos-app", "target", "ncp-plan.jar"))
PRIORITY = 40000


class Spec:
    """One replicated flow: clients (``source`` ip or None = any) of primary ip:port, redirected to the
    middlebox's listen ip:port."""

    def __init__(self, primary, listen, source=None, name="svc"):
        self.primary = primary
        self.listen = listen
        self.source = source
        self.name = name


def _graph(topo):
    """Blue-network adjacency {switch: {neighbour: port}} and host attachments {host: (switch, port, if)}."""
    by_id = {s["id"]: s["name"] for s in topo["switches"]}
    adj = collections.defaultdict(dict)
    for link in topo["links"]:
        a, b = by_id[link["src"]], by_id[link["dst"]]
        adj[a][b] = link["srcPort"]
        adj[b][a] = link["dstPort"]
    att = {}
    for h in topo["hosts"]:
        for i in h["interfaces"]:
            if i["network"] == "blue":
                att[h["name"]] = (i["switch"], i["port"], i)
    return adj, att


def _path(adj, a, b):
    prev, queue = {a: None}, collections.deque([a])
    while queue:
        n = queue.popleft()
        for m in adj[n]:
            if m not in prev:
                prev[m] = n
                queue.append(m)
    if b not in prev:
        raise ValueError("no path %s -> %s" % (a, b))
    path = [b]
    while path[-1] != a:
        path.append(prev[path[-1]])
    return path[::-1]


def tunnel_flows(topo, spec):
    """The stand-in planner: [(bridge, flow)] for ``ovs-ofctl add-flow``. Hosts are named by role."""
    adj, att = _graph(topo)
    roles = topo["roles"]
    ip_of = {h: att[h][2]["ip"] for h in att}
    mac_of = {h: att[h][2]["mac"] for h in att}
    host_by_ip = {v: k for k, v in ip_of.items()}
    pri = host_by_ip[spec.primary[0]]
    mb = roles["middlebox"]
    src = host_by_ip.get(spec.source) if spec.source else roles["source"]
    sp = _path(adj, att[src][0], att[pri][0])
    to_mb = {s: _path(adj, s, att[mb][0]) for s in sp}
    redirect = min(sp, key=lambda s: len(to_mb[s]))
    mb_path = to_mb[redirect]
    pip, pport = spec.primary
    lip, lport = spec.listen
    src_match = ",nw_src=%s" % spec.source if spec.source else ""

    def out_port(sw, path):
        i = path.index(sw)
        return adj[sw][path[i + 1]] if i + 1 < len(path) else att[mb][1]

    flows = []
    mb_ips = [i["ip"] for h in topo["hosts"] if h["name"] == mb for i in h["interfaces"]]
    for ip in mb_ips:
        flows.append((redirect, "priority=%d,tcp,nw_src=%s,nw_dst=%s,tp_dst=%d,actions=NORMAL"
                      % (PRIORITY + 10, ip, pip, pport)))
    fwd_tp = ",mod_tp_dst:%d" % lport if lport != pport else ""
    back_tp = ",mod_tp_src:%d" % pport if lport != pport else ""
    flows.append((redirect, "priority=%d,tcp%s,nw_dst=%s,tp_dst=%d,actions=mod_dl_dst:%s,mod_nw_dst:%s%s,"
                  "output:%d" % (PRIORITY, src_match, pip, pport, mac_of[mb], lip, fwd_tp,
                                 out_port(redirect, mb_path))))
    for sw in mb_path[1:]:
        flows.append((sw, "priority=%d,tcp,nw_dst=%s,tp_dst=%d,actions=output:%d"
                      % (PRIORITY, lip, lport, out_port(sw, mb_path))))
    # Return path: only the IP/port source is rewritten. Rewriting eth_src to the primary's MAC and then
    # using NORMAL would make this switch learn the primary's MAC on the middlebox's port and black-hole
    # the middlebox's own traffic to the primary; hosts do not check a frame's source MAC.
    if spec.source:
        back = _path(adj, redirect, att[src][0])
        out = "output:%d" % (adj[redirect][back[1]] if len(back) > 1 else att[src][1])
        dst_match = ",nw_dst=%s" % spec.source
    else:
        out, dst_match = "NORMAL", ""
    flows.append((redirect, "priority=%d,tcp,nw_src=%s,tp_src=%d%s,actions=mod_nw_src:%s%s,%s"
                  % (PRIORITY, lip, lport, dst_match, pip, back_tp, out)))
    return flows


def onos_flows(topology_path, spec):
    """The ONOS planner's rules (``ncp-plan``), or None while its branch is not merged (no jar).

    Contract assumed here until the onos branch documents its CLI: ``ncp-plan`` prints ``ovs-ofctl
    add-flow <bridge> <flow>`` lines on stdout.  TODO(onos merge): align the arguments."""
    if not os.path.exists(PLAN_JAR):
        return None
    argv = ["java", "-jar", PLAN_JAR, "--topology", topology_path, "--primary", "%s:%d" % spec.primary,
            "--middlebox", "%s:%d" % spec.listen, "--mode", "tunnel"]
    if spec.source:
        argv += ["--source", spec.source]
    out = subprocess.run(argv, check=True, text=True, stdout=subprocess.PIPE, timeout=120).stdout
    return parse_ofctl_lines(out)


def parse_ofctl_lines(text):
    """'ovs-ofctl [-O P] add-flow BR FLOW' lines -> [(bridge, flow)]; other lines are ignored."""
    flows = []
    for line in text.splitlines():
        words = shlex.split(line)
        if len(words) < 4 or words[0] != "ovs-ofctl":
            continue
        i = words.index("add-flow") if "add-flow" in words else -1
        if i < 0 or i + 2 >= len(words):
            continue
        flows.append((words[i + 1], words[i + 2]))
    return flows


def install(flows):
    """ovs-ofctl add-flow for each (bridge, flow); refuses any bridge that is not ours."""
    for bridge, flow in flows:
        if not names.ours(bridge):
            raise ValueError("refusing to program bridge %r (not an ncpt bridge)" % bridge)
        procs.run(["ovs-ofctl", "-O", "OpenFlow13", "add-flow", bridge, flow])
    return flows


def plan(topology, topology_path, spec, use_onos=True):
    """Returns (source, flows): 'onos' when the planner jar produced them, 'stand-in' otherwise."""
    if use_onos:
        flows = onos_flows(topology_path, spec)
        if flows is not None:
            return "onos", flows
    return "stand-in", tunnel_flows(topology, spec)
