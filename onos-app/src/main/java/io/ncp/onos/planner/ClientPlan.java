package io.ncp.onos.planner;

import java.util.List;

/** How one client's sessions are redirected: its routes and the RedirectionSwitch found on them. Immutable. */
public final class ClientPlan {

    private final HostNode client;
    private final String redirectionSwitch;
    private final List<String> primaryRoute;
    private final List<String> middleboxRoute;

    /** The plan for one client host. */
    public ClientPlan(HostNode client, String redirectionSwitch, List<String> primaryRoute,
                      List<String> middleboxRoute) {
        this.client = client;
        this.redirectionSwitch = redirectionSwitch;
        this.primaryRoute = List.copyOf(primaryRoute);
        this.middleboxRoute = List.copyOf(middleboxRoute);
    }

    /** The client host. */
    public HostNode client() {
        return client;
    }

    /** The lowest common ancestor switch of the two routes, where the redirect rule sits. */
    public String redirectionSwitch() {
        return redirectionSwitch;
    }

    /** Switches from the client to the primary. */
    public List<String> primaryRoute() {
        return primaryRoute;
    }

    /** Switches from the client to the middlebox. */
    public List<String> middleboxRoute() {
        return middleboxRoute;
    }

    @Override
    public String toString() {
        return client.name() + ": redirect at " + redirectionSwitch + ", primary " + primaryRoute + ", middlebox "
                + middleboxRoute;
    }
}
