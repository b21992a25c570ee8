package io.ncp.onos.planner;

import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.Set;

/**
 * The middlebox a spec redirects to: its host address (a host of the topology), the port redirected sessions
 * arrive on, its admin API address (optional: without it nothing is pushed), the file on the ONOS host holding
 * the admin API's bearer token (optional; the file NAME only, never the secret), the replication mode and the
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
    private final String adminTokenFile;

    /** Same as the full constructor without an admin token file. */
    public MiddleboxTarget(Ipv4 host, int listenPort, HostPort admin, String mode, String replicaBacklog) {
        this(host, listenPort, admin, mode, replicaBacklog, null);
    }

    /**
     * @param host           middlebox host address
     * @param listenPort     where redirected sessions arrive (1..65535)
     * @param admin          admin API address, or null to push nothing
     * @param mode           {@code async} or {@code lockstep}
     * @param replicaBacklog e.g. {@code 64MiB}, or null for the middlebox default
     * @param adminTokenFile absolute path of the admin token file, or null (the app-wide default applies)
     * @throws SpecException naming {@code middlebox.*}
     */
    public MiddleboxTarget(Ipv4 host, int listenPort, HostPort admin, String mode, String replicaBacklog,
                           String adminTokenFile) {
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
        if (adminTokenFile != null) {
            String problem = tokenFileProblem(adminTokenFile);
            if (problem != null) {
                throw new SpecException("middlebox.adminTokenFile", problem);
            }
            if (admin == null) {
                throw new SpecException("middlebox.adminTokenFile", "needs middlebox.admin (the token is only "
                        + "sent to the admin API)");
            }
        }
        this.host = host;
        this.listenPort = listenPort;
        this.admin = admin;
        this.mode = mode;
        this.replicaBacklog = replicaBacklog;
        this.adminTokenFile = adminTokenFile;
    }

    /**
     * Why {@code path} cannot name an admin token file (it must be an absolute path), or null when it can. Shared by
     * the spec field and the app-wide default.
     */
    public static String tokenFileProblem(String path) {
        try {
            if (path.isEmpty() || !Paths.get(path).isAbsolute()) {
                return "must be an absolute path (a file on the ONOS host holding the token), got '" + path + "'";
            }
        } catch (InvalidPathException e) {
            return "not a valid path: " + e.getReason();
        }
        return null;
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

    /** Absolute path of the admin token file on the ONOS host, or null (then the app-wide default applies). */
    public String adminTokenFile() {
        return adminTokenFile;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MiddleboxTarget)) {
            return false;
        }
        MiddleboxTarget m = (MiddleboxTarget) o;
        return host.equals(m.host) && listenPort == m.listenPort && Objects.equals(admin, m.admin)
                && mode.equals(m.mode) && Objects.equals(replicaBacklog, m.replicaBacklog)
                && Objects.equals(adminTokenFile, m.adminTokenFile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, listenPort, admin, mode, replicaBacklog, adminTokenFile);
    }

    @Override
    public String toString() {
        return host + ":" + listenPort + " (" + mode + (admin == null ? "" : ", admin " + admin) + ")";
    }
}
