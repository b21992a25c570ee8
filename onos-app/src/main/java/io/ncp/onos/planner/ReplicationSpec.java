package io.ncp.onos.planner;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A replication spec: which sessions ({@link FlowSelector}) go through which middlebox ({@link MiddleboxTarget})
 * to which replicas, and whether the redirection switch rewrites them toward the middlebox ({@code tunnel}).
 * Immutable; every constructor argument is validated and a {@link SpecException} names the offending field.
 *
 * <p>Checks that need no topology are done here: name syntax, at least one replica, no duplicate replica, R4 by
 * address (a replica on the primary's IP), middlebox distinct from primary and client, and in non-tunnel mode a
 * listen port equal to the primary port (packets keep their destination), and a replica's {@code auth} only with a
 * middlebox protocol other than {@code bytes}. The topology-level R4 check (another IP
 * of the primary's host) is the planner's.
 */
public final class ReplicationSpec {

    /** Spec names: also the middlebox service name and a REST path segment. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private final String name;
    private final FlowSelector selector;
    private final MiddleboxTarget middlebox;
    private final List<ReplicaTarget> replicas;
    private final boolean tunnel;

    /**
     * @throws SpecException naming the field when the spec is inconsistent
     */
    public ReplicationSpec(String name, FlowSelector selector, MiddleboxTarget middlebox,
                           List<ReplicaTarget> replicas, boolean tunnel) {
        if (name == null || !NAME.matcher(name).matches() || "plan".equals(name)) {
            throw new SpecException("name", "must match " + NAME.pattern() + " and not be 'plan', got '"
                    + name + "'");
        }
        if (selector == null) {
            throw new SpecException("selector", "missing");
        }
        if (middlebox == null) {
            throw new SpecException("middlebox", "missing");
        }
        if (replicas == null || replicas.isEmpty()) {
            throw new SpecException("replicas", "at least one replica is needed");
        }
        checkAddresses(selector, middlebox, replicas);
        if (!tunnel && middlebox.listenPort() != selector.dstPort()) {
            throw new SpecException("middlebox.listenPort", "without tunnel mode packets keep their destination "
                    + "port, so it must equal selector.dstPort " + selector.dstPort() + ", got "
                    + middlebox.listenPort());
        }
        this.name = name;
        this.selector = selector;
        this.middlebox = middlebox;
        this.replicas = List.copyOf(replicas);
        this.tunnel = tunnel;
    }

    private static void checkAddresses(FlowSelector selector, MiddleboxTarget middlebox,
                                       List<ReplicaTarget> replicas) {
        if (middlebox.host().equals(selector.dst())) {
            throw new SpecException("middlebox.host", "is the primary " + selector.dst()
                    + "; the middlebox needs its own host");
        }
        if (selector.src().length() == 32 && selector.src().contains(middlebox.host())) {
            throw new SpecException("selector.src", "is the middlebox " + middlebox.host()
                    + " (its own connections to the primary would loop)");
        }
        Set<HostPort> seen = new HashSet<>();
        for (int i = 0; i < replicas.size(); i++) {
            ReplicaTarget replica = replicas.get(i);
            if (replica == null) {
                throw new SpecException("replicas[" + i + "]", "missing");
            }
            if (replica.address().ip().equals(selector.dst())) {
                throw new SpecException("replicas[" + i + "].address", "R4: replica " + replica.address()
                        + " shares the primary's host " + selector.dst()
                        + " (primary and replica environments must not share a host)");
            }
            if (!seen.add(replica.address())) {
                throw new SpecException("replicas[" + i + "].address", "duplicate replica " + replica.address());
            }
            if (replica.auth() != null && "bytes".equals(middlebox.protocol())) {
                throw new SpecException("replicas[" + i + "].auth", "needs middlebox.protocol (redis, postgres or "
                        + "mysql): byte replay cannot authenticate with other credentials");
            }
        }
    }

    /** The spec (and middlebox service) name. */
    public String name() {
        return name;
    }

    /** Which sessions are replicated. */
    public FlowSelector selector() {
        return selector;
    }

    /** The middlebox. */
    public MiddleboxTarget middlebox() {
        return middlebox;
    }

    /** The replicas, at least one, no duplicates. */
    public List<ReplicaTarget> replicas() {
        return replicas;
    }

    /** True when the redirection switch rewrites the sessions toward the middlebox's listen address. */
    public boolean tunnel() {
        return tunnel;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReplicationSpec)) {
            return false;
        }
        ReplicationSpec s = (ReplicationSpec) o;
        return name.equals(s.name) && selector.equals(s.selector) && middlebox.equals(s.middlebox)
                && replicas.equals(s.replicas) && tunnel == s.tunnel;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, selector, middlebox, replicas, tunnel);
    }

    @Override
    public String toString() {
        return name + ": " + selector + " via " + middlebox + " to " + replicas + (tunnel ? " (tunnel)" : "");
    }
}
