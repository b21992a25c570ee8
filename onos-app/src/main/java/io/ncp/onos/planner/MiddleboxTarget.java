package io.ncp.onos.planner;

import java.util.Objects;
import java.util.Set;

/**
 * The middlebox a spec redirects to: its host address (a host of the topology), the port redirected sessions
 * arrive on, its admin API address (optional: without it nothing is pushed), the replication mode and the
 * optional per-replica backlog, both passed through to the middlebox. Immutable; validated on construction.
 */
public final class MiddleboxTarget {

    /** Replication modes the middlebox accepts (ARCHITECTURE, data path rule 6). */
    public static final Set<String> MODES = Set.of("async", "lockstep");

    private final Ipv4 host;
    private final int listenPort;
    private final HostPort admin;
    private final String mode;
    private final String replicaBacklog;

    /**
     * @param host           middlebox host address
     * @param listenPort     where redirected sessions arrive (1..65535)
     * @param admin          admin API address, or null to push nothing
     * @param mode           {@code async} or {@code lockstep}
     * @param replicaBacklog e.g. {@code 64MiB}, or null for the middlebox default
     * @throws SpecException naming {@code middlebox.*}
     */
    public MiddleboxTarget(Ipv4 host, int listenPort, HostPort admin, String mode, String replicaBacklog) {
        if (host == null) {
            throw new SpecException("middlebox.host", "missing (middlebox host IP)");
        }
        if (listenPort < 1 || listenPort > 65535) {
            throw new SpecException("middlebox.listenPort", "must be 1..65535, got " + listenPort);
        }
        if (!MODES.contains(mode)) {
            throw new SpecException("middlebox.mode", "must be async or lockstep, got '" + mode + "'");
        }
        if (replicaBacklog != null && !replicaBacklog.matches("[0-9]+(B|KiB|MiB|GiB)?")) {
            throw new SpecException("middlebox.replicaBacklog",
                    "must be a size such as 64MiB (B, KiB, MiB, GiB), got '" + replicaBacklog + "'");
        }
        this.host = host;
        this.listenPort = listenPort;
        this.admin = admin;
        this.mode = mode;
        this.replicaBacklog = replicaBacklog;
    }

    /** Middlebox host address. */
    public Ipv4 host() {
        return host;
    }

    /** Port redirected sessions arrive on. */
    public int listenPort() {
        return listenPort;
    }

    /** Admin API address, or null. */
    public HostPort admin() {
        return admin;
    }

    /** {@code async} or {@code lockstep}. */
    public String mode() {
        return mode;
    }

    /** Per-replica backlog such as {@code 64MiB}, or null. */
    public String replicaBacklog() {
        return replicaBacklog;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MiddleboxTarget)) {
            return false;
        }
        MiddleboxTarget m = (MiddleboxTarget) o;
        return host.equals(m.host) && listenPort == m.listenPort && Objects.equals(admin, m.admin)
                && mode.equals(m.mode) && Objects.equals(replicaBacklog, m.replicaBacklog);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, listenPort, admin, mode, replicaBacklog);
    }

    @Override
    public String toString() {
        return host + ":" + listenPort + " (" + mode + (admin == null ? "" : ", admin " + admin) + ")";
    }
}
