package io.ncp.onos.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The switches a host-to-host path crosses, first hop = the source host's switch. Immutable. */
public final class Route {

    private final HostNode from;
    private final HostNode to;
    private final List<Hop> hops;

    private Route(HostNode from, HostNode to, List<Hop> hops) {
        this.from = from;
        this.to = to;
        this.hops = List.copyOf(hops);
    }

    /**
     * The route from host {@code from} to host {@code to} along {@code tree} (a tree toward {@code to}'s switch).
     *
     * @throws PlanningException when {@code from}'s switch has no path to {@code to}'s
     */
    public static Route between(NetworkGraph graph, RoutingTree tree, HostNode from, HostNode to) {
        if (!tree.destination().equals(to.switchName())) {
            throw new IllegalArgumentException("tree leads to " + tree.destination() + ", not to " + to.name());
        }
        if (!tree.reaches(from.switchName())) {
            throw new PlanningException("no path from " + from.name() + " (switch " + from.switchName() + ") to "
                    + to.name() + " (switch " + to.switchName() + ")");
        }
        List<Hop> hops = new ArrayList<>();
        String at = from.switchName();
        int in = from.port();
        while (!at.equals(to.switchName())) {
            Link next = tree.nextHop(at).orElseThrow();
            hops.add(new Hop(at, in, next.srcPort()));
            at = next.dst();
            in = next.dstPort();
        }
        hops.add(new Hop(at, in, to.port()));
        return new Route(from, to, hops);
    }

    /** Source host. */
    public HostNode from() {
        return from;
    }

    /** Destination host. */
    public HostNode to() {
        return to;
    }

    /** The hops, source switch first. */
    public List<Hop> hops() {
        return hops;
    }

    /** The switch names, source switch first. */
    public List<String> switches() {
        return hops.stream().map(Hop::switchName).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return from.name() + " " + hops + " " + to.name();
    }
}
