package io.ncp.middlebox.service;

import io.ncp.middlebox.config.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which backend is a service's primary now: the configured one until a failover promotes a replica. The old
 * primary is fenced for good (no new connection to it ever; it may come back only as a STALE replica, by an
 * operator's hand), and every promotion increments the epoch. A new session reads one {@link #view()} when it starts
 * connecting, and checks the epoch again once connected: a promotion in between sends it to the new primary (it must
 * never open on a fenced one). Thread-safe: a promotion is one synchronized step that publishes a new immutable
 * view; reads are volatile.
 */
public final class PrimaryRole {

    /** One promotion. */
    public record Switch(HostPort from, ReplicaTarget to, long epoch) {
    }

    /**
     * What a session opening now uses, as one consistent snapshot: the primary's address, the replicas it replicates
     * to (all but a promoted one) and the epoch they belong to.
     */
    public record View(HostPort address, List<ReplicaTarget> replicas, long epoch) {
    }

    private final BackendHealth configuredHealth = new BackendHealth();
    private final List<HostPort> fenced = new CopyOnWriteArrayList<>();
    private volatile ReplicaTarget promoted;
    private volatile View view;

    PrimaryRole(HostPort configured, List<ReplicaTarget> replicas) {
        this.view = new View(configured, List.copyOf(replicas), 0);
    }

    /** The primary, its session replicas and the epoch, read together. */
    public View view() {
        return view;
    }

    /** Where new sessions connect. */
    public HostPort address() {
        return view.address();
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
        return view.replicas();
    }

    /** Promotions so far. */
    public long epoch() {
        return view.epoch();
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
        View v = view;
        PrimaryRole r = new PrimaryRole(v.address(), newReplicas);
        r.fenced.addAll(fenced);
        r.view = new View(v.address(), List.copyOf(newReplicas), v.epoch());
        if (promoted != null) {
            for (ReplicaTarget t : newReplicas) {
                if (t.config().address().equals(promoted.config().address())) {
                    r.promoted = t;
                }
            }
            List<ReplicaTarget> rest = new ArrayList<>(newReplicas);
            rest.remove(r.promoted);
            r.view = new View(v.address(), List.copyOf(rest), v.epoch());
        }
        return r;
    }

    /** Whether {@code a} was a primary before a failover. */
    public boolean isFenced(HostPort a) {
        return fenced.contains(a);
    }

    /** Fences the current primary and makes {@code to} the primary (it leaves the replicas of new sessions). */
    public synchronized Switch promote(ReplicaTarget to) {
        View v = view;
        HostPort from = v.address();
        fenced.add(from);
        List<ReplicaTarget> rest = new ArrayList<>(v.replicas());
        rest.remove(to);
        promoted = to;
        view = new View(to.config().address(), List.copyOf(rest), v.epoch() + 1);
        return new Switch(from, to, v.epoch() + 1);
    }
}
