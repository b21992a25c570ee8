package io.ncp.onos.planner;

import java.util.Objects;

/** One replica server ({@code ip:port}) and the optional local address the middlebox binds for it. Immutable. */
public final class ReplicaTarget {

    private final HostPort address;
    private final Ipv4 bind;

    /**
     * @param address the replica server
     * @param bind    middlebox-local source address for this replica's connections, or null
     */
    public ReplicaTarget(HostPort address, Ipv4 bind) {
        this.address = Objects.requireNonNull(address, "address");
        this.bind = bind;
    }

    /** The replica server. */
    public HostPort address() {
        return address;
    }

    /** Local bind address, or null. */
    public Ipv4 bind() {
        return bind;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicaTarget && ((ReplicaTarget) o).address.equals(address)
                && Objects.equals(((ReplicaTarget) o).bind, bind);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, bind);
    }

    @Override
    public String toString() {
        return address + (bind == null ? "" : " (bind " + bind + ")");
    }
}
