package io.ncp.middlebox.service;

import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.SessionOrder;
import io.ncp.middlebox.stats.ServiceStats;
import io.ncp.middlebox.tls.ServiceTls;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live service: immutable settings plus thread-safe counters and replica health. Sessions keep a reference to
 * the runtime they started with, so replacing a service (admin PUT) never disturbs live sessions.
 */
public final class ServiceRuntime {

    /** The longest a session end or a new client waits for a pending failure detector's verdict. */
    public static final long SUSPECT_HOLD_CAP_MILLIS = 30_000;

    private final ServiceConfig config;
    private final ServiceStats stats = new ServiceStats();
    /** {@code order: service}: the primary's request order, made on first use on the service's front loop. */
    private io.ncp.middlebox.order.OrderGate primaryOrder;
    private final List<ReplicaTarget> replicas;
    /** Causal session order applies (sessionOrder causal, async mode, at least one replica). */
    private final boolean ordered;
    /** Replicated sessions ended at the front so far (ordered services only). */
    private final AtomicLong ended = new AtomicLong();
    private final DescriptorBudget descriptors;
    private final PrimaryRole primary;
    /** TLS towards clients and backends, or null: plaintext. */
    private final ServiceTls tls;
    private final Set<LiveSession> live = ConcurrentHashMap.newKeySet();
    private final List<FailoverRecord> failovers = new CopyOnWriteArrayList<>();
    /** Sessions admitted and not yet closed (front loops). */
    private final AtomicInteger open = new AtomicInteger();
    private volatile List<Channel> listeners = List.of();
    /** The detail of the last vote on the primary (failover with voters), or null. */
    private volatile String lastVote;
    private volatile boolean primarySuspect;
    /** Where the listener finds the runtime that new sessions use (null when not listening). */
    private volatile ServiceSlot slot;
    /** Holds new client bytes at the front while an online resync takes its snapshot point. */
    private final ClientHold clientHold = new ClientHold();

    /** A runtime whose sessions are limited by {@code maxSessions} only (tests, tools). */
    public ServiceRuntime(ServiceConfig config) {
        this(config, DescriptorBudget.UNLIMITED, null);
    }

    /**
     * A runtime whose sessions also reserve descriptors from the middlebox's {@code descriptors} budget.
     *
     * @param previous the runtime this one replaces (admin PUT), or null: replicas it had at the same address keep
     *                 their counters, health and consistency; new ones join IN_SYNC
     */
    public ServiceRuntime(ServiceConfig config, DescriptorBudget descriptors, ServiceRuntime previous) {
        this.config = config;
        this.descriptors = descriptors;
        this.tls = ServiceTls.of(config); // reads and checks every TLS file: a bad one refuses the service
        List<ReplicaTarget> list = new ArrayList<>();
        for (int i = 0; i < config.replicas().size(); i++) {
            ReplicaConfig rc = config.replicas().get(i);
            ReplicaTarget before = previous == null ? null : previous.replica(rc.address());
            list.add(before != null ? before.carriedTo(i, rc) : ReplicaTarget.joining(config.name(), i, rc));
        }
        this.replicas = List.copyOf(list);
        boolean samePrimary = previous != null && previous.config().primary().equals(config.primary());
        if (!samePrimary && previous != null && previous.primary().isFenced(config.primary())) {
            throw new ConfigException("service.primary", "'" + config.primary() + "' was fenced by a failover (the "
                + "primary is now " + previous.primary().address() + "): it may come back only as a replica, resynced");
        }
        this.primary = samePrimary ? previous.primary().carriedTo(replicas) : new PrimaryRole(config.primary(),
            replicas);
        this.ordered = config.sessionOrder() == SessionOrder.CAUSAL && !config.lockstep() && !replicas.isEmpty();
    }

    /**
     * Admits a new session: within {@code maxSessions} and the descriptor budget (its client, primary and replica
     * connections). False (nothing reserved, counted as refused) when either is exhausted. Any thread.
     */
    public boolean admit() {
        int max = config.maxSessions();
        while (true) {
            int n = open.get();
            if (max > 0 && n >= max) {
                stats.refused.increment();
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                break;
            }
        }
        if (!descriptors.tryAcquire(descriptorsPerSession())) {
            open.decrementAndGet();
            stats.refused.increment();
            return false;
        }
        return true;
    }

    /** An admitted session closed (call once per {@link #admit} that returned true). */
    public void sessionClosed() {
        open.decrementAndGet();
        descriptors.release(descriptorsPerSession());
    }

    /** Why {@link #admit} refuses now, for the log. */
    public String refusalReason() {
        int max = config.maxSessions();
        if (max > 0 && open.get() >= max) {
            return open.get() + " sessions open (maxSessions " + max + ")";
        }
        return "the descriptor budget is spent (" + descriptors.used() + " of " + descriptors.capacity()
            + " descriptors for sessions, open-files limit " + descriptors.limit() + "; " + descriptorsPerSession()
            + " per session: raise the limit (ulimit -n / LimitNOFILE) or set maxSessions)";
    }

    /** The service's TLS (contexts, reload, counters), or null when it has none. */
    public ServiceTls tls() {
        return tls;
    }

    /** Client + primary + one per replica. */
    public int descriptorsPerSession() {
        return 2 + replicas.size();
    }

    public ServiceConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /** Whether the primary answers connections (from the sessions' connects and the probes). */
    public BackendHealth primaryHealth() {
        return primary.health();
    }

    /** Which backend is the primary now, the fenced ones, the epoch. */
    public PrimaryRole primary() {
        return primary;
    }

    /** A session opened at the front (its front loop); told of a failover until {@link #sessionGone}. */
    public void sessionLive(LiveSession s) {
        live.add(s);
    }

    public void sessionGone(LiveSession s) {
        live.remove(s);
    }

    /** The sessions open at the front now (a snapshot). */
    public List<LiveSession> liveSessions() {
        return List.copyOf(live);
    }

    /** Where the front holds new client bytes during a resync's snapshot point (front loops, resync thread). */
    public ClientHold clientHold() {
        return clientHold;
    }

    /** Records a failover of this service. */
    public void failedOver(FailoverRecord r) {
        failovers.add(r);
    }

    /**
     * An answer byte from the primary of failover epoch {@code epoch} reached a client: the first one completes that
     * failover's recovery time. Cheap when already recorded (two volatile reads).
     */
    public void firstAnswerAfterFailover(long epoch) {
        int n = failovers.size();
        if (n > 0) {
            FailoverRecord last = failovers.get(n - 1);
            if (last.epoch() == epoch && !last.answered()) {
                last.firstAnswer(System.nanoTime());
            }
        }
    }

    /** Records the outcome of a vote on whether the primary is down ({@code detail}: every voter's answer). */
    public void voted(boolean down, String detail) {
        lastVote = (down ? "down: " : "not down: ") + detail;
        if (!down) {
            stats.failoverVetoes.increment();
        }
    }

    /**
     * Whether the failure detector is making up its mind about the primary: from its first missed probe until a probe
     * succeeds, a failover, a veto or a failover found impossible. Sessions hold their primary's end and new clients
     * wait for a connection while it is (bounded by {@link #SUSPECT_HOLD_CAP_MILLIS}).
     */
    public boolean primarySuspect() {
        return primarySuspect;
    }

    /** The failure detector's verdict is pending ({@code true}) or reached ({@code false}). */
    public void primarySuspect(boolean suspect) {
        primarySuspect = suspect;
    }

    /** The last vote's outcome and every voter's answer, or null when there was none. */
    public String lastVote() {
        return lastVote;
    }

    /** Every failover so far, oldest first. */
    public List<FailoverRecord> failovers() {
        return List.copyOf(failovers);
    }

    /**
     * {@code order: service}: the primary's request order (made on first use; front loop {@code loop} only: every
     * session of such a service runs there).
     */
    public io.ncp.middlebox.order.OrderGate primaryOrder(io.netty.channel.EventLoop loop) {
        if (primaryOrder == null) {
            var p = stats.protocol;
            primaryOrder = new io.ncp.middlebox.order.OrderGate(loop, new io.ncp.middlebox.order.OrderGate.Counters(
                p.orderWaits, p.orderWaitNanos, p.orderTimeouts), new io.ncp.middlebox.order.BlockedProbe(loop,
                name() + ": primary", p.orderProbeFailures));
        }
        return primaryOrder;
    }

    public ServiceStats stats() {
        return stats;
    }

    public List<ReplicaTarget> replicas() {
        return replicas;
    }

    /** The replica at {@code address}, or null. */
    public ReplicaTarget replica(HostPort address) {
        for (ReplicaTarget r : replicas) {
            if (r.config().address().equals(address)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Whether sequential sessions keep their order on each replica. Lockstep services never need it: their clients
     * see an answer only once every live replica produced it, so a session that starts after another one's answers
     * already follows it on the replicas.
     */
    public boolean ordered() {
        return ordered;
    }

    /**
     * How many replicated sessions have ended at the front so far: a session opening now must wait on each replica
     * until those have finished there ({@link FinishLedger#reached}); 0 when the service is not ordered. Any thread.
     */
    public long endedSessions() {
        return ordered ? ended.get() : 0;
    }

    /**
     * A replicated session ended at the front (client FIN or close, or the primary's end): its number, 1, 2, 3, ...
     * in end order, which every replica side must report to its replica's {@link FinishLedger} exactly once; 0 when
     * the service is not ordered (nothing to report). Call once per session, from its front loop.
     */
    public long sessionEnded() {
        return ordered ? ended.incrementAndGet() : 0;
    }

    /**
     * The listening sockets bound for this service (one, or one per front loop) and where they find the runtime for
     * new sessions (core only).
     */
    public void listener(List<Channel> channels, ServiceSlot listenerSlot) {
        this.listeners = List.copyOf(channels);
        this.slot = listenerSlot;
    }

    /** A replacement on the same address: {@code next} takes over this runtime's listeners; new sessions use it. */
    public void handOverListener(ServiceRuntime next) {
        slot.set(next);
        next.listener(listeners, slot);
        listener(List.of(), null);
    }

    /** The first listening socket, or null before bind / after close. */
    public Channel listener() {
        List<Channel> l = listeners;
        return l.isEmpty() ? null : l.get(0);
    }

    /** Every listening socket (empty before bind / after close). */
    public List<Channel> listeners() {
        return listeners;
    }

    /**
     * Whether the service is quiet and fully accounted for: no open session, nothing queued for any replica, and every
     * replica copy of every session ended (its bytes sent and its end written, or damaged, missed or given up) and,
     * when answers are compared, compared or counted as uncompared.
     */
    public boolean settled() {
        if (stats.active.sum() != 0) {
            return false;
        }
        boolean compares = config.compare() != io.ncp.middlebox.config.CompareMode.NONE;
        for (ReplicaTarget r : replicas) {
            var s = r.stats();
            long included = s.included.sum();
            long judged = s.compared.sum() + s.uncompared.sum() + s.damaged.sum() + s.missed.sum();
            if (s.backlogBytes.sum() != 0 || s.finished.sum() < included || (compares && judged < included)) {
                return false;
            }
        }
        return true;
    }

    /** The address actually bound (the real port when the config said 0), or null when not listening. */
    public InetSocketAddress boundAddress() {
        Channel ch = listener();
        return ch == null ? null : (InetSocketAddress) ch.localAddress();
    }
}
