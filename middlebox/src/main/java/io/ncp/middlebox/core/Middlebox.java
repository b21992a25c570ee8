package io.ncp.middlebox.core;

import io.ncp.middlebox.config.Addresses;
import io.ncp.middlebox.config.AllowList;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.RingFull;
import io.ncp.middlebox.config.ServiceChecks;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.Units;
import io.ncp.middlebox.failover.Prober;
import io.ncp.middlebox.frontend.FrontendInitializer;
import io.ncp.middlebox.net.AcceptGuard;
import io.ncp.middlebox.net.CongestionControl;
import io.ncp.middlebox.net.Connectors;
import io.ncp.middlebox.net.Transport;
import io.ncp.middlebox.replica.MemoryGuard;
import io.ncp.middlebox.replica.ReplicaSide;
import io.ncp.middlebox.replica.catchup.ConsistencyFiles;
import io.ncp.middlebox.replica.catchup.SpillFiles;
import io.ncp.middlebox.resync.Resyncs;
import io.ncp.middlebox.ring.ShardRing;
import io.ncp.middlebox.service.DescriptorBudget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.service.ServiceSlot;
import io.ncp.middlebox.stats.CaptureStats;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running middlebox: event loops, shards and services. {@link #start} binds every service's listener;
 * {@link #putService}/{@link #removeService} change services at run time (admin API); {@link #close} stops all and
 * releases every buffer still in flight.
 */
public final class Middlebox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Middlebox.class);
    /** How long a stop waits for the replica copies to end on their replicas (then it cuts them: STALE). */
    private static final long STOP_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final MiddleboxConfig config;
    private final Transport transport;
    private final Connectors connectors;
    private final EventLoopGroup frontGroup;
    private final EventLoopGroup replicaGroup;
    /** Where the replica sides run (the configured loop, {@code auto} resolved). */
    private final ReplicaLoop replicaLoop;
    private final List<Shard> shards = new ArrayList<>();
    private final Map<EventExecutor, Shard> shardByLoop = new IdentityHashMap<>();
    private final Map<String, ServiceRuntime> services = new LinkedHashMap<>();
    private final ChannelGroup frontChannels = new DefaultChannelGroup("ncp-front", GlobalEventExecutor.INSTANCE);
    private final AllowList allowList;
    private final DescriptorBudget descriptors = DescriptorBudget.forThisProcess();
    private final Failovers failovers;
    /** Online resyncs of STALE replicas (admin API, CLI, autoResync). */
    private final Resyncs resyncs;
    /** Each replica's consistency kept across runs (null without a catch-up journal). */
    private final ConsistencyFiles kept;
    private volatile CaptureStats capture;

    private Middlebox(MiddleboxConfig config) {
        long maxDirect = io.netty.util.internal.PlatformDependent.maxDirectMemory();
        if (config.ringBytes() > maxDirect) {
            throw new ConfigException("ringBytes", "'" + Units.formatSize(config.ringBytes()) + "' is more than the "
                + "JVM's direct memory (" + Units.formatSize(maxDirect) + ", -XX:MaxDirectMemorySize)");
        }
        this.config = config;
        this.allowList = config.allow() != null ? config.allow() : AllowList.derivedFrom(config.services());
        MemoryGuard memory = MemoryGuard.fromSystemProperties();
        this.transport = Transport.detect();
        this.connectors = new Connectors(transport, config);
        this.failovers = new Failovers(transport, config);
        this.kept = config.journal() == null ? null : new ConsistencyFiles(config.journal());
        this.frontGroup = transport.group(config.threads(), new DefaultThreadFactory("ncp-front", true));
        this.replicaLoop = config.replicaLoop().resolve(config.journal() != null);
        this.replicaGroup = replicaLoop == ReplicaLoop.SEPARATE
            ? transport.group(config.threads(), new DefaultThreadFactory("ncp-replica", true)) : null;
        List<EventLoop> fronts = loops(frontGroup);
        List<EventLoop> replicas = replicaGroup == null ? fronts : loops(replicaGroup);
        for (int i = 0; i < fronts.size(); i++) {
            EventLoop front = fronts.get(i);
            EventLoop back = replicas.get(i);
            ReplicaSide side = new ReplicaSide(back, connectors::connectReplica, memory,
                config.replicaTimeout().toNanos(), config.journal() == null ? null
                : new SpillFiles(config.journal(), i));
            ShardRing ring = new ShardRing(config.ringSize(), config.ringBytes(), front, back, side);
            if (RingFull.orDefault(config.ringFull()) == RingFull.THROTTLE) {
                ring.throttle("shard " + i, config.replicaTimeout().toNanos());
            }
            Shard shard = new Shard(i, front, back, ring, side);
            shards.add(shard);
            shardByLoop.put(front, shard);
            back.execute(side::start);
        }
        this.resyncs = new Resyncs(shards, this::services);
    }

    /** Starts the loops and binds every configured service; on a bind failure everything is stopped again. */
    public static Middlebox start(MiddleboxConfig config) {
        Middlebox m = new Middlebox(config);
        try {
            for (int i = 0; i < config.services().size(); i++) {
                ServiceRuntime svc = m.putService(config.services().get(i), ServiceChecks.Fields.under("services["
                    + i + "]"));
                if (config.journal() != null) { // before any session: what a previous run left undelivered
                    SpillFiles.leftovers(config.journal(), svc);
                }
            }
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        m.resyncs.startAuto();
        LOG.info("middlebox up: {} shard(s), transport {}{}, replica loop {}, ring full: {}, tcp congestion {}",
            config.threads(), transport(m), m.transport == Transport.NIO && Transport.whyNotEpoll() != null
                ? " (epoll: " + Transport.whyNotEpoll() + ")" : "",
            m.replicaLoop.name().toLowerCase(java.util.Locale.ROOT),
            RingFull.orDefault(config.ringFull()).name().toLowerCase(java.util.Locale.ROOT),
            CongestionControl.describe(m.connectors.congestion()));
        return m;
    }

    private static String transport(Middlebox m) {
        return m.transport.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static List<EventLoop> loops(EventLoopGroup group) {
        List<EventLoop> list = new ArrayList<>();
        for (EventExecutor e : group) {
            list.add((EventLoop) e);
        }
        return list;
    }

    /**
     * Creates or replaces a service, atomically: a replacement on the same listen address keeps the bound listener and
     * sends new sessions to the new settings; on another address the new listener is bound first, and only then is
     * the old one unbound (a failed bind leaves the old service running). Live sessions finish with the settings they
     * started with. A service without a listen address is a mirrored one: nothing is bound, a capture front-end feeds
     * its sessions.
     *
     * @param fields how the service's fields are named in errors
     * @throws io.ncp.middlebox.config.ConfigException when a host does not resolve, a backend is this middlebox, a
     *                                                 transparent listener cannot be made or the failover's voter
     *                                                 token file cannot be read (the old one stays)
     * @throws IllegalStateException                   when the listen address cannot be bound
     */
    public synchronized ServiceRuntime putService(ServiceConfig cfg, ServiceChecks.Fields fields) {
        failovers.check(cfg, fields, services.containsKey(cfg.name()));
        ServiceRuntime svc;
        try {
            svc = install(cfg, fields);
        } finally {
            if (kept != null) { // replicas that left (or never started: a failed install) keep their last state
                kept.retain(services.values());
            }
        }
        failovers.serviceChanged(svc);
        return svc;
    }

    private ServiceRuntime install(ServiceConfig cfg, ServiceChecks.Fields fields) {
        ServiceChecks.check(cfg, fields, listenersExcept(cfg.name()));
        TransparentFront front = TransparentFront.of(cfg, transport); // checked before the old service goes
        ServiceRuntime old = services.get(cfg.name());
        ServiceRuntime svc = new ServiceRuntime(cfg, descriptors, old);
        if (kept != null) { // before its first session: what the last run that served its replicas left
            kept.attach(svc);
        }
        if (cfg.listen() == null) {
            services.put(cfg.name(), svc);
            if (old != null) {
                unbind(old);
            }
            LOG.info("service {}: mirrored (captured), primary {}, replicas {}", cfg.name(), cfg.primary(),
                cfg.replicas());
            return svc;
        }
        if (old != null && sameListener(old.boundAddress(), cfg)
                && old.config().transparency() == cfg.transparency()
                && old.config().serviceOrder() == cfg.serviceOrder()) {
            old.handOverListener(svc);
            services.put(cfg.name(), svc);
            LOG.info("service {}: replaced on {}, primary {}, replicas {}", cfg.name(), svc.boundAddress(),
                cfg.primary(), cfg.replicas());
            return svc;
        }
        ServiceSlot slot = new ServiceSlot(svc);
        FrontendInitializer init = new FrontendInitializer(slot, this::shardOf, front.primary(connectors::primary));
        // The listener accepts on a front loop (no accept thread): a session of that loop starts in the same loop
        // iteration instead of waking another thread (docs/perf/README.md, "accept hand-off").
        // order: service: every session on one shard (one front loop orders the primary's requests, its replica loop
        // each replica's): one listening socket on that loop
        EventLoopGroup loops = cfg.serviceOrder()
            ? shards.get(Math.floorMod(cfg.name().hashCode(), shards.size())).frontLoop() : frontGroup;
        List<Channel> bound;
        try {
            bound = FrontListeners.bind((boss, workers) -> front.listener(connectors.server(boss, workers, init))
                .handler(new AcceptGuard("service " + cfg.name(), svc.stats().acceptFailures)), loops,
                transport, cfg.listen().toAddress());
        } catch (IllegalStateException e) {
            throw new IllegalStateException("service " + cfg.name() + ": cannot listen on " + cfg.listen() + ": "
                + e.getMessage() + (old != null ? " (the previous settings keep running)" : ""), e.getCause());
        }
        try {
            for (int i = 0; i < bound.size(); i++) {
                front.bound(bound.get(i), i == 0); // every socket checked, the host's recipe logged once
            }
        } catch (IllegalStateException e) {
            FrontListeners.close(bound);
            throw e;
        }
        svc.listener(bound, slot);
        services.put(cfg.name(), svc);
        if (old != null) {
            unbind(old);
        }
        LOG.info("service {}: listening on {}, primary {}, replicas {}, up to {} sessions", cfg.name(),
            svc.boundAddress(), cfg.primary(), cfg.replicas(), sessionLimit(svc));
        return svc;
    }

    /** What limits a service's open sessions, for the log. */
    private String sessionLimit(ServiceRuntime svc) {
        long byDescriptors = descriptors.capacity() / svc.descriptorsPerSession();
        int max = svc.config().maxSessions();
        String budget = descriptors.limit() == Long.MAX_VALUE ? "no descriptor limit known"
            : byDescriptors + " by the descriptor budget (open-files limit " + descriptors.limit() + ", "
            + svc.descriptorsPerSession() + " per session, shared by all services)";
        return max > 0 ? Math.min(max, byDescriptors) + " (maxSessions " + max + "; " + budget + ")" : budget;
    }

    /** The descriptors sessions may use, shared by every service. */
    public DescriptorBudget descriptors() {
        return descriptors;
    }

    /** {@link #putService(ServiceConfig, ServiceChecks.Fields)} with errors named as in a config file's service. */
    public ServiceRuntime putService(ServiceConfig cfg) {
        return putService(cfg, ServiceChecks.Fields.under("service"));
    }

    /** Whether {@code cfg} listens where {@code bound} already is (same port, its host resolves to that address). */
    private static boolean sameListener(java.net.InetSocketAddress bound, ServiceConfig cfg) {
        if (bound == null || cfg.listen().port() != bound.getPort()) {
            return false;
        }
        return Addresses.resolve("listen", cfg.listen().host()).contains(bound.getAddress());
    }

    private List<java.net.InetSocketAddress> listenersExcept(String name) {
        List<java.net.InetSocketAddress> list = new ArrayList<>();
        for (ServiceRuntime s : services.values()) {
            if (!s.name().equals(name) && s.boundAddress() != null) {
                list.add(s.boundAddress());
            }
        }
        return list;
    }

    /** What services created through the admin API may use. */
    public AllowList allowList() {
        return allowList;
    }

    /** Unbinds and forgets a service; live sessions finish. False when there was none. */
    public synchronized boolean removeService(String name) {
        ServiceRuntime svc = services.remove(name);
        if (svc == null) {
            return false;
        }
        failovers.stop(name);
        unbind(svc);
        if (kept != null) {
            kept.retain(services.values());
        }
        return true;
    }

    private static void unbind(ServiceRuntime svc) {
        List<Channel> chs = svc.listeners();
        if (!chs.isEmpty()) {
            FrontListeners.close(chs);
            svc.listener(List.of(), null);
        }
    }

    /**
     * The prober of this middlebox (its own event loop; probes leave from {@code probeBind}), made on first use: the
     * one its services' failovers use, and what the admin API's {@code POST /vote} probes with.
     *
     * @throws IllegalStateException once the middlebox is closed
     */
    public synchronized Prober prober() {
        return failovers.prober();
    }

    /** Front channels register here so {@link #close()} can close them; called on the channel's loop. */
    Shard shardOf(Channel ch) {
        frontChannels.add(ch);
        return shardByLoop.get(ch.eventLoop());
    }

    public synchronized List<ServiceRuntime> services() {
        return List.copyOf(services.values());
    }

    public synchronized ServiceRuntime service(String name) {
        return services.get(name);
    }

    /** Shows a capture front-end's counters in the stats views (null: none). */
    public void attachCapture(CaptureStats stats) {
        this.capture = stats;
    }

    /** The capture front-end's counters, or null when there is none. */
    public CaptureStats capture() {
        return capture;
    }

    /** The online resyncs (admin API, CLI, autoResync). */
    public Resyncs resyncs() {
        return resyncs;
    }

    public List<Shard> shards() {
        return shards;
    }

    public MiddleboxConfig config() {
        return config;
    }

    public Transport transport() {
        return transport;
    }

    /** The port a service actually listens on (useful with port 0). */
    public int port(String service) {
        ServiceRuntime s = service(service);
        if (s == null || s.boundAddress() == null) {
            throw new IllegalArgumentException("no listening service " + service);
        }
        return s.boundAddress().getPort();
    }

    /** Stops listening, closes every connection and releases every buffer still in a ring. */
    @Override
    public void close() {
        resyncs.close(); // releases held clients; a resync under way ends STALE
        synchronized (this) {
            failovers.close();
            for (ServiceRuntime s : services.values()) {
                unbind(s);
            }
            services.clear();
        }
        frontChannels.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        drainReplicas(System.nanoTime() + STOP_DRAIN_NANOS);
        for (Shard s : shards) {
            try {
                s.replicaLoop().submit(() -> {
                    s.ring().discardAll(s.replicaSide().lostAtStop());
                    s.replicaSide().abortAll(); // a copy still holding bytes: its replica STALE
                }).awaitUninterruptibly(10, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                LOG.debug("replica side of shard {} already stopped", s.index(), e);
            }
        }
        List<EventLoopGroup> groups = new ArrayList<>(List.of(frontGroup));
        if (replicaGroup != null) {
            groups.add(replicaGroup);
        }
        for (EventLoopGroup g : groups) {
            g.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        }
        for (EventLoopGroup g : groups) {
            g.terminationFuture().awaitUninterruptibly(15, TimeUnit.SECONDS);
        }
        for (Shard s : shards) {
            s.ring().discardAll();
        }
        if (kept != null) {
            kept.close(); // after the copies ended: the states the next run starts from
        }
    }

    /**
     * Stop: the fronts are closed (each session's copies got its end), so give every copy until {@code deadline} to
     * end on its replica: the replica's end of the connection confirms it read every byte. Copies still open then
     * are cut and make their replicas STALE ({@code ReplicaCopy.abort}). Logs what it waited for.
     */
    private void drainReplicas(long deadline) {
        int open = 0;
        for (Shard s : shards) {
            open += replicaSessions(s);
        }
        if (open == 0) {
            return;
        }
        LOG.info("stopping: waiting up to {} s for {} replica session(s) to end on their replicas",
            TimeUnit.NANOSECONDS.toSeconds(STOP_DRAIN_NANOS), open);
        for (Shard s : shards) {
            while (replicaSessions(s) > 0 && deadline - System.nanoTime() > 0) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        int left = 0;
        for (Shard s : shards) {
            left += Math.max(0, replicaSessions(s));
        }
        if (left > 0) {
            LOG.warn("stopping: {} replica session(s) did not end in time; their replicas are STALE", left);
        }
    }

    /** Sessions the shard's replica side still has, counting a non-empty ring as one; -1 once its loop is gone. */
    private static int replicaSessions(Shard s) {
        try {
            Future<Integer> n = s.replicaLoop().submit(() -> s.replicaSide().sessionCount()
                + (s.ring().backlog() > 0 ? 1 : 0));
            return n.awaitUninterruptibly(5, TimeUnit.SECONDS) && n.isSuccess() ? n.getNow() : -1;
        } catch (RuntimeException e) {
            return -1; // its loop already stopped
        }
    }
}
