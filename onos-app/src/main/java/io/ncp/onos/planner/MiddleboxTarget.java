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
 *
 * <p>The service's protocol ({@link #PROTOCOLS}) and TLS settings ({@link #withSecurity}) are passed through to the
 * middlebox too; TLS files are referenced by path, never read by the app.
 */
public final class MiddleboxTarget {

    /** Replication modes the middlebox accepts (ARCHITECTURE, data path rule 6). */
    public static final Set<String> MODES = Set.of("async", "lockstep");

    /** Service protocols the middlebox accepts (docs/credentials.md); {@code bytes} is plain byte replay. */
    public static final Set<String> PROTOCOLS = Set.of("bytes", "redis", "postgres", "mysql");

    private final Ipv4 host;
    private final int listenPort;
    private final HostPort admin;
    private final String mode;
    private final String replicaBacklog;
    private final String adminTokenFile;
    private final String protocol;
    private final ClientTls tls;
    private final BackendTls backendTls;
    private final BackendTls primaryTls;

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
        this.protocol = "bytes";
        this.tls = null;
        this.backendTls = null;
        this.primaryTls = null;
    }

    private MiddleboxTarget(MiddleboxTarget m, String protocol, ClientTls tls, BackendTls backendTls,
                            BackendTls primaryTls) {
        if (!PROTOCOLS.contains(protocol)) {
            throw new SpecException("middlebox.protocol", "must be bytes, redis, postgres or mysql, got '"
                    + protocol + "'");
        }
        if (!"bytes".equals(protocol) && !"async".equals(m.mode)) {
            throw new SpecException("middlebox.protocol", "'" + protocol + "' needs mode async (a replica's "
                    + "authentication exchange differs from the primary's, so lockstep cannot release answers "
                    + "byte by byte)");
        }
        this.host = m.host;
        this.listenPort = m.listenPort;
        this.admin = m.admin;
        this.mode = m.mode;
        this.replicaBacklog = m.replicaBacklog;
        this.adminTokenFile = m.adminTokenFile;
        this.protocol = protocol;
        this.tls = tls;
        this.backendTls = backendTls;
        this.primaryTls = primaryTls;
    }

    /**
     * This target with the service's protocol and TLS settings.
     *
     * @param protocol   one of {@link #PROTOCOLS}; other than {@code bytes} needs mode {@code async}
     * @param tls        TLS towards the clients, or null
     * @param backendTls every backend's default TLS, or null
     * @param primaryTls TLS to the primary (overrides backendTls), or null
     * @throws SpecException naming {@code middlebox.protocol}
     */
    public MiddleboxTarget withSecurity(String protocol, ClientTls tls, BackendTls backendTls,
                                       BackendTls primaryTls) {
        return new MiddleboxTarget(this, protocol, tls, backendTls, primaryTls);
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

    /** The service protocol: {@code bytes} (the default), {@code redis}, {@code postgres} or {@code mysql}. */
    public String protocol() {
        return protocol;
    }

    /** TLS towards the clients, or null. */
    public ClientTls tls() {
        return tls;
    }

    /** Every backend's default TLS, or null. */
    public BackendTls backendTls() {
        return backendTls;
    }

    /** TLS to the primary, or null. */
    public BackendTls primaryTls() {
        return primaryTls;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MiddleboxTarget)) {
            return false;
        }
        MiddleboxTarget m = (MiddleboxTarget) o;
        return host.equals(m.host) && listenPort == m.listenPort && Objects.equals(admin, m.admin)
                && mode.equals(m.mode) && Objects.equals(replicaBacklog, m.replicaBacklog)
                && Objects.equals(adminTokenFile, m.adminTokenFile) && protocol.equals(m.protocol)
                && Objects.equals(tls, m.tls) && Objects.equals(backendTls, m.backendTls)
                && Objects.equals(primaryTls, m.primaryTls);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, listenPort, admin, mode, replicaBacklog, adminTokenFile, protocol, tls,
                backendTls, primaryTls);
    }

    @Override
    public String toString() {
        return host + ":" + listenPort + " (" + mode + ("bytes".equals(protocol) ? "" : ", " + protocol)
                + (admin == null ? "" : ", admin " + admin) + ")";
    }
}
