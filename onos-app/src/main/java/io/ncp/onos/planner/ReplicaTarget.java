package io.ncp.onos.planner;

import java.util.Objects;

/**
 * One replica server ({@code ip:port}), the optional local address the middlebox binds for it, and its optional own
 * credentials and TLS settings, both by reference ({@link ReplicaAuth}, {@link BackendTls}). Immutable.
 */
public final class ReplicaTarget {

    private final HostPort address;
    private final Ipv4 bind;
    private final ReplicaAuth auth;
    private final BackendTls tls;

    /**
     * @param address the replica server
     * @param bind    middlebox-local source address for this replica's connections, or null
     */
    public ReplicaTarget(HostPort address, Ipv4 bind) {
        this(address, bind, null, null);
    }

    /**
     * @param address the replica server
     * @param bind    middlebox-local source address for this replica's connections, or null
     * @param auth    the replica's own credentials (references), or null
     * @param tls     TLS to this replica, or null (the service's {@code backendTls}, if any, applies)
     */
    public ReplicaTarget(HostPort address, Ipv4 bind, ReplicaAuth auth, BackendTls tls) {
        this.address = Objects.requireNonNull(address, "address");
        this.bind = bind;
        this.auth = auth;
        this.tls = tls;
    }

    /** The replica server. */
    public HostPort address() {
        return address;
    }

    /** Local bind address, or null. */
    public Ipv4 bind() {
        return bind;
    }

    /** The replica's credentials (references only), or null. */
    public ReplicaAuth auth() {
        return auth;
    }

    /** TLS to this replica, or null. */
    public BackendTls tls() {
        return tls;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReplicaTarget)) {
            return false;
        }
        ReplicaTarget r = (ReplicaTarget) o;
        return r.address.equals(address) && Objects.equals(r.bind, bind) && Objects.equals(r.auth, auth)
                && Objects.equals(r.tls, tls);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, bind, auth, tls);
    }

    @Override
    public String toString() {
        return address + (bind == null ? "" : " (bind " + bind + ")") + (auth == null ? "" : " " + auth)
                + (tls == null ? "" : " " + tls);
    }
}
