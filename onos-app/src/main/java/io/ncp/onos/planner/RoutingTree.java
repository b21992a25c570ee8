package io.ncp.onos.planner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shortest paths (in hops) from every switch toward one destination switch: a BFS over the reversed links, then
 * for each switch the next hop is the link to a neighbour one hop closer, ties broken by the lower neighbour
 * name ({@link SwitchNames#ORDER}) and then the lower output port. Because routes follow one tree per
 * destination, the rest of a route from any switch is the same whichever host it started from.
 */
public final class RoutingTree {

    private static final Comparator<Link> TIE_BREAK = Comparator.comparing(Link::dst, SwitchNames.ORDER)
            .thenComparing(Link::srcPort);

    private final NetworkGraph graph;
    private final String destination;
    private final Map<String, Integer> distance;

    private RoutingTree(NetworkGraph graph, String destination, Map<String, Integer> distance) {
        this.graph = graph;
        this.destination = destination;
        this.distance = distance;
    }

    /** The tree of shortest paths toward {@code destination} (a switch of {@code graph}). */
    public static RoutingTree toward(NetworkGraph graph, String destination) {
        Map<String, List<Link>> into = new HashMap<>();
        for (Link l : graph.links()) {
            into.computeIfAbsent(l.dst(), k -> new ArrayList<>()).add(l);
        }
        Map<String, Integer> distance = new HashMap<>();
        distance.put(destination, 0);
        Deque<String> queue = new ArrayDeque<>();
        queue.add(destination);
        while (!queue.isEmpty()) {
            String u = queue.poll();
            for (Link l : into.getOrDefault(u, List.of())) {
                if (!distance.containsKey(l.src())) {
                    distance.put(l.src(), distance.get(u) + 1);
                    queue.add(l.src());
                }
            }
        }
        return new RoutingTree(graph, destination, distance);
    }

    /** The destination switch. */
    public String destination() {
        return destination;
    }

    /** True when {@code switchName} has a path to the destination. */
    public boolean reaches(String switchName) {
        return distance.containsKey(switchName);
    }

    /** Hops from {@code switchName} to the destination, or -1 when unreachable. */
    public int distance(String switchName) {
        return distance.getOrDefault(switchName, -1);
    }

    /** The link to take from {@code switchName}; empty at the destination or when unreachable. */
    public Optional<Link> nextHop(String switchName) {
        Integer d = distance.get(switchName);
        if (d == null || d == 0) {
            return Optional.empty();
        }
        return graph.linksFrom(switchName).stream()
                .filter(l -> distance.getOrDefault(l.dst(), -1) == d - 1)
                .min(TIE_BREAK);
    }
}
