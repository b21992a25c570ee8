package io.ncp.onos.planner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans the redirection of one {@link ReplicationSpec} on a {@link NetworkGraph} (NCP's LCA scheme).
 *
 * <p>For each client host C selected by the spec: take the route C→primary P and the route C→middlebox M
 * ({@link RoutingTree}); walk the primary route backwards into a set, then the middlebox route backwards: the first
 * switch already in the set is the lowest common ancestor, the RedirectionSwitch R. Then:
 * <ul>
 *   <li>{@link RuleRole#REDIRECT} on R: packets C→P:port arriving from C's side leave toward M. In tunnel mode they
 *       are rewritten to M's MAC, IP and listen port (ordinary forwarding then delivers them); otherwise they keep
 *       their addresses and the switch where M is attached sets M's MAC.</li>
 *   <li>{@link RuleRole#TO_MIDDLEBOX} (non-tunnel only) on every switch after R toward M, matching the input port,
 *       C and P:port (the paper's special routing rules).</li>
 *   <li>{@link RuleRole#RETURN} on the switches from M back to R (R excluded in tunnel mode): the middlebox's answers
 *       (source M:listenPort in tunnel mode, P:port otherwise) are carried on the reverse of the redirect path, so
 *       they always cross R; in non-tunnel mode R sends them toward C.</li>
 *   <li>{@link RuleRole#RETURN_REWRITE} (tunnel only) on R: answers get P's IP and port back as their source and
 *       leave toward C, which therefore only ever sees the primary.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class RedirectionPlanner {

    /**
     * Plans {@code spec} on {@code graph}.
     *
     * @throws PlanningException when the primary or middlebox is not a host of the graph, no client host matches,
     *                           a replica shares the primary's host (R4), or a route does not exist
     */
    public ReplicationPlan plan(NetworkGraph graph, ReplicationSpec spec) {
        HostNode primary = requireHost(graph, spec.selector().dst(), "primary (selector.dst)");
        HostNode middlebox = requireHost(graph, spec.middlebox().host(), "middlebox (middlebox.host)");
        if (primary.equals(middlebox)) {
            throw new PlanningException("middlebox " + spec.middlebox().host() + " and primary "
                    + spec.selector().dst() + " are the same host " + primary.name());
        }
        checkR4(graph, spec, primary);
        List<HostNode> clients = clients(graph, spec, primary, middlebox);
        RoutingTree toPrimary = RoutingTree.toward(graph, primary.switchName());
        RoutingTree toMiddlebox = RoutingTree.toward(graph, middlebox.switchName());
        List<ClientPlan> clientPlans = new ArrayList<>();
        List<PlannedRule> rules = new ArrayList<>();
        for (HostNode client : clients) {
            Route primaryRoute = Route.between(graph, toPrimary, client, primary);
            Route middleboxRoute = Route.between(graph, toMiddlebox, client, middlebox);
            int[] lca = lowestCommonAncestor(primaryRoute, middleboxRoute);
            Hop onPrimary = primaryRoute.hops().get(lca[0]);
            clientPlans.add(new ClientPlan(client, onPrimary.switchName(), primaryRoute.switches(),
                    middleboxRoute.switches()));
            rules.addAll(rulesFor(spec, client, primary, middlebox, onPrimary, middleboxRoute, lca[1]));
        }
        return new ReplicationPlan(spec, clientPlans, rules);
    }

    /**
     * The paper's LCA walk: the primary route's switches go into a set (walking it backwards), then the middlebox
     * route is walked backwards; the first switch found in the set is the RedirectionSwitch.
     *
     * @return {index on the primary route, index on the middlebox route} of the RedirectionSwitch
     */
    static int[] lowestCommonAncestor(Route primaryRoute, Route middleboxRoute) {
        Map<String, Integer> onPrimary = new HashMap<>();
        List<Hop> p = primaryRoute.hops();
        for (int i = p.size() - 1; i >= 0; i--) {
            onPrimary.put(p.get(i).switchName(), i);
        }
        List<Hop> m = middleboxRoute.hops();
        for (int j = m.size() - 1; j >= 0; j--) {
            Integer i = onPrimary.get(m.get(j).switchName());
            if (i != null) {
                return new int[] {i, j};
            }
        }
        // Both routes start at the client's switch, so this cannot happen for routes of one client.
        throw new IllegalStateException("routes share no switch: " + primaryRoute + " / " + middleboxRoute);
    }

    private static List<PlannedRule> rulesFor(ReplicationSpec spec, HostNode client, HostNode primary,
                                              HostNode middlebox, Hop atR, Route middleboxRoute, int r) {
        FlowSelector sel = spec.selector();
        boolean tunnel = spec.tunnel();
        List<Hop> m = middleboxRoute.hops();
        int last = m.size() - 1;
        Ipv4Prefix clientPrefix = Ipv4Prefix.host(client.ip());
        List<PlannedRule> rules = new ArrayList<>();

        RuleMatch forward = new RuleMatch(atR.inPort(), clientPrefix, sel.srcPort(),
                Ipv4Prefix.host(sel.dst()), sel.dstPort());
        RuleActions redirect = RuleActions.output(m.get(r).outPort());
        if (tunnel) {
            redirect = redirect.withEthDst(middlebox.mac()).withDst(spec.middlebox().host(),
                    spec.middlebox().listenPort());
        } else if (r == last) {
            redirect = redirect.withEthDst(middlebox.mac());
        }
        rules.add(new PlannedRule(atR.switchName(), RuleRole.REDIRECT, forward, redirect));
        if (!tunnel) {
            for (int k = r + 1; k <= last; k++) {
                Hop hop = m.get(k);
                RuleActions toward = RuleActions.output(hop.outPort());
                rules.add(new PlannedRule(hop.switchName(), RuleRole.TO_MIDDLEBOX, forward.withInPort(hop.inPort()),
                        k == last ? toward.withEthDst(middlebox.mac()) : toward));
            }
        }

        Ipv4 answerIp = tunnel ? spec.middlebox().host() : sel.dst();
        int answerPort = tunnel ? spec.middlebox().listenPort() : sel.dstPort();
        RuleMatch back = new RuleMatch(0, Ipv4Prefix.host(answerIp), answerPort, clientPrefix, sel.srcPort());
        for (int k = last; k > r; k--) {
            Hop hop = m.get(k);
            rules.add(new PlannedRule(hop.switchName(), RuleRole.RETURN, back.withInPort(hop.outPort()),
                    RuleActions.output(hop.inPort())));
        }
        RuleActions out = RuleActions.output(atR.inPort());
        rules.add(new PlannedRule(atR.switchName(), tunnel ? RuleRole.RETURN_REWRITE : RuleRole.RETURN,
                back.withInPort(m.get(r).outPort()), tunnel ? out.withSrc(sel.dst(), sel.dstPort()) : out));
        return rules;
    }

    private static HostNode requireHost(NetworkGraph graph, Ipv4 ip, String what) {
        return graph.hostByIp(ip).orElseThrow(() -> new PlanningException(what + " " + ip
                + " is not a host of the topology"));
    }

    /** R4, topology level: no replica may run on the primary's host, under any of its addresses. */
    private static void checkR4(NetworkGraph graph, ReplicationSpec spec, HostNode primary) {
        for (ReplicaTarget replica : spec.replicas()) {
            graph.hostByIp(replica.address().ip()).filter(primary::equals).ifPresent(h -> {
                throw new PlanningException("R4: replica " + replica.address() + " runs on host " + h.name()
                        + ", the primary's host (primary and replica environments must not share a host)");
            });
        }
    }

    /** Hosts whose main or other address is inside selector.src, minus the primary, middlebox and replicas. */
    private static List<HostNode> clients(NetworkGraph graph, ReplicationSpec spec, HostNode primary,
                                          HostNode middlebox) {
        Set<HostNode> excluded = new HashSet<>(List.of(primary, middlebox));
        spec.replicas().forEach(r -> graph.hostByIp(r.address().ip()).ifPresent(excluded::add));
        List<HostNode> clients = new ArrayList<>();
        for (HostNode h : graph.hosts()) {
            if (!excluded.contains(h) && spec.selector().src().contains(h.ip())) {
                clients.add(h);
            }
        }
        if (clients.isEmpty()) {
            throw new PlanningException("no client host of the topology is in selector.src " + spec.selector().src()
                    + " (the primary, the middlebox and the replicas are never clients)");
        }
        return clients;
    }
}
