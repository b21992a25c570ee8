"""Redirection rules for the Mininet testbed: the ONOS planner's (``ncp-plan``, the default) or a built-in
stand-in (explicit ``--planner stand-in``), plus the testbed-side mirror-mode rules.

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


def ncp_topology(topo):
    """The testbed's description (mntopo.Testbed.describe) in ncp-plan's topology format
    (docs/plan-format.md): switches by bridge name, links by name, one host entry per NIC (the second NIC
    of a host is named ``<host>-black``)."""
    by_id = {s["id"]: s["name"] for s in topo["switches"]}
    hosts = []
    for h in topo["hosts"]:
        for i in h["interfaces"]:
            hosts.append({"name": h["name"] if i["network"] == "blue" else "%s-%s" % (h["name"], i["network"]),
                          "ip": i["ip"], "mac": i["mac"], "switch": i["switch"], "port": i["port"]})
    return {"switches": [{"name": s["name"], "dpid": s["dpid"]} for s in topo["switches"]],
            "links": [{"src": by_id[l["src"]], "srcPort": l["srcPort"], "dst": by_id[l["dst"]],
                       "dstPort": l["dstPort"]} for l in topo["links"]],
            "hosts": hosts}


def ncp_spec(spec, replicas):
    """A replication spec (docs/plan-format.md) for ``spec``; ``replicas`` = [(ip, port, bind or None)].
    The planner needs at least one replica (its rules do not depend on them): callers without replication
    pass the replica they would use and start the middlebox without it."""
    if not replicas:
        raise ValueError("ncp-plan needs at least one replica in the spec")
    return {"name": spec.name,
            "selector": {"src": "%s/32" % spec.source, "dst": spec.primary[0], "dstPort": spec.primary[1],
                         "protocol": "tcp"},
            "middlebox": {"host": spec.listen[0], "listenPort": spec.listen[1], "mode": "async"},
            "replicas": [dict({"address": "%s:%d" % (ip, port)}, **({"bind": bind} if bind else {}))
                         for ip, port, bind in replicas],
            "tunnel": True}


def onos_flows(topo, spec, replicas, workdir):
    """The ONOS planner's rules: runs ``ncp-plan`` (onos-app/target/ncp-plan.jar) on the exported topology
    and spec files (kept in ``workdir``) and parses its ``ovs-ofctl add-flow`` lines."""
    import json
    if not os.path.exists(PLAN_JAR):
        raise RuntimeError("%s not built (mvn -B -q -DskipTests package); --planner stand-in uses the "
                           "testbed's stand-in instead" % PLAN_JAR)
    if not spec.source:
        raise ValueError("the testbed plans one client: Spec.source is required")
    topo_path = os.path.join(workdir, "ncp-plan-topology.json")
    spec_path = os.path.join(workdir, "ncp-plan-spec-%s.json" % spec.name)
    with open(topo_path, "w") as f:
        json.dump(ncp_topology(topo), f, indent=1)
    with open(spec_path, "w") as f:
        json.dump(ncp_spec(spec, replicas), f, indent=1)
    argv = ["java", "-jar", PLAN_JAR, "--topology", topo_path, "--spec", spec_path]
    res = subprocess.run(argv, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if res.returncode != 0:
        raise RuntimeError("ncp-plan exit %d: %s" % (res.returncode, res.stderr.strip()[-500:]))
    with open(spec_path.replace(".json", ".flows.sh"), "w") as f:
        f.write(res.stdout)
    flows = parse_ofctl_lines(res.stdout)
    if not flows:
        raise RuntimeError("ncp-plan printed no add-flow line: %s" % res.stdout[-300:])
    return flows


def mirror_flows(topo, spec, mb_host=None):
    """Mirror mode (no redirection; the primary gets the traffic directly): at the switch where the
    client->primary path and the client->middlebox path split (their LCA), every packet of the selected
    session is also copied toward the middlebox, in both directions; switches after it deliver the copies
    to the middlebox's port. The packets keep their addresses: the middlebox's capture front-end
    (``ncp-middlebox mirror``) reads them in promiscuous mode, its kernel drops them (foreign MAC).
    Testbed-side planner (ncp-plan has no mirror mode)."""
    adj, att = _graph(topo)
    roles = topo["roles"]
    ip_of = {h: att[h][2]["ip"] for h in att}
    host_by_ip = {v: k for k, v in ip_of.items()}
    pri = host_by_ip[spec.primary[0]]
    mb = mb_host or roles["middlebox"]
    src = host_by_ip[spec.source]
    sp = _path(adj, att[src][0], att[pri][0])
    to_mb = {s: _path(adj, s, att[mb][0]) for s in sp}
    split = min(sp, key=lambda s: len(to_mb[s]))
    mb_path = to_mb[split]

    def toward(sw, path, last_port):
        i = path.index(sw)
        return adj[sw][path[i + 1]] if i + 1 < len(path) else last_port

    pip, pport = spec.primary
    cip = spec.source
    fwd = "tcp,nw_src=%s,nw_dst=%s,tp_dst=%d" % (cip, pip, pport)
    back = "tcp,nw_src=%s,tp_src=%d,nw_dst=%s" % (pip, pport, cip)
    back_path = _path(adj, att[pri][0], att[src][0])
    flows = []
    # at the split switch: forward normally (explicit port along the path) and copy toward the middlebox
    flows.append((split, "priority=%d,%s,actions=output:%d,output:%d" % (
        PRIORITY, fwd, toward(split, sp, att[pri][1]), toward(split, mb_path, att[mb][1]))))
    flows.append((split, "priority=%d,%s,actions=output:%d,output:%d" % (
        PRIORITY, back, toward(split, back_path, att[src][1]), toward(split, mb_path, att[mb][1]))))
    # the copies on their way to the middlebox (they carry the client's/primary's MACs: explicit ports);
    # on the middlebox's path only packets coming from the split switch's side are copies
    for sw in mb_path[1:]:
        i = mb_path.index(sw)
        in_port = adj[sw][mb_path[i - 1]]
        for m in (fwd, back):
            flows.append((sw, "priority=%d,in_port=%d,%s,actions=output:%d" % (
                PRIORITY + 10, in_port, m, toward(sw, mb_path, att[mb][1]))))
    return flows


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


PLANNERS = ("onos", "stand-in")


def plan(topology, spec, replicas, workdir, planner="onos", mode="tunnel"):
    """Returns (origin, flows) for ``spec``: ``planner`` 'onos' = the ONOS app's RedirectionPlanner
    (ncp-plan jar; the default, an error when it is not built), 'stand-in' = this module's tunnel_flows
    (explicit fallback, labelled in every report). ``mode`` 'mirror' = mirror_flows (testbed-side)."""
    if mode == "mirror":
        return "testbed mirror rules", mirror_flows(topology, spec)
    if planner == "onos":
        return "onos (ncp-plan)", onos_flows(topology, spec, replicas, workdir)
    if planner == "stand-in":
        return "stand-in (testbed, NOT the ONOS planner)", tunnel_flows(topology, spec)
    raise ValueError("unknown planner %r (onos | stand-in)" % planner)
