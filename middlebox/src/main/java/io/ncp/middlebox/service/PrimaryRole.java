package io.ncp.middlebox.service;

import io.ncp.middlebox.config.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which backend is a service's primary now: the configured one until a failover promotes a replica. The old
 * primary is fenced for good (no new connection to it ever; it may come back only as a STALE replica, by an
 * operator's hand), and every promotion increments the epoch. New sessions read {@link #address()} and
 * {@link #sessionReplicas()} once, at their start. Thread-safe: a promotion is one synchronized step, reads are
 * volatile.
 */
public final class PrimaryRole {

    /** One promotion. */
    public record Switch(HostPort from, ReplicaTarget to, long epoch) {
    }

    private final BackendHealth configuredHealth = new BackendHealth();
    private final List<HostPort> fenced = new CopyOnWriteArrayList<>();
    private volatile HostPort address;
    private volatile ReplicaTarget promoted;
    private volatile List<ReplicaTarget> replicas;
    private volatile long epoch;

    PrimaryRole(HostPort configured, List<ReplicaTarget> replicas) {
        this.address = configured;
        this.replicas = List.copyOf(replicas);
    }

    /** Where new sessions connect. */
    public HostPort address() {
        return address;
    }

    /** The replica serving as primary since a failover, or null (the configured primary). */
    public ReplicaTarget promoted() {
        return promoted;
    }

    /** Whether the primary answers: the promoted replica's health after a failover. */
    public BackendHealth health() {
        ReplicaTarget p = promoted;
        return p != null ? p.health() : configuredHealth;
    }

    /** The replicas a session opening now replicates to (all but a promoted one). */
    public List<ReplicaTarget> sessionReplicas() {
        return replicas;
    }

    /** Promotions so far. */
    public long epoch() {
        return epoch;
    }

    /** Former primaries: never connected to again. */
    public List<HostPort> fenced() {
        return List.copyOf(fenced);
    }

    /**
     * This role in a replaced service whose configured primary is the same: the failovers so far stay in force (a
     * re-push of the original spec must not send clients back to a fenced primary). The promoted replica is looked up
     * by address among {@code newReplicas}.
     */
    synchronized PrimaryRole carriedTo(List<ReplicaTarget> newReplicas) {
        PrimaryRole r = new PrimaryRole(address, newReplicas);
        r.fenced.addAll(fenced);
        r.epoch = epoch;
        if (promoted != null) {
            for (ReplicaTarget t : newReplicas) {
                if (t.config().address().equals(promoted.config().address())) {
                    r.promoted = t;
                }
            }
            List<ReplicaTarget> rest = new ArrayList<>(newReplicas);
            rest.remove(r.promoted);
            r.replicas = List.copyOf(rest);
        }
        return r;
    }

    /** Whether {@code a} was a primary before a failover. */
    public boolean isFenced(HostPort a) {
        return fenced.contains(a);
    }

    /** Fences the current primary and makes {@code to} the primary (it leaves the replicas of new sessions). */
    public synchronized Switch promote(ReplicaTarget to) {
        HostPort from = address;
        fenced.add(from);
        List<ReplicaTarget> rest = new ArrayList<>(replicas);
        rest.remove(to);
        replicas = List.copyOf(rest);
        promoted = to;
        address = to.config().address();
        epoch++;
        return new Switch(from, to, epoch);
    }
}
