package io.ncp.middlebox.core;

import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.stats.ServiceStats;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A live service: immutable settings plus thread-safe counters and replica health. Sessions keep a reference to
 * the runtime they started with, so replacing a service (admin PUT) never disturbs live sessions.
 */
public final class ServiceRuntime {

    private final ServiceConfig config;
    private final ServiceStats stats = new ServiceStats();
    private final List<ReplicaTarget> replicas;
    private volatile Channel listener;

    public ServiceRuntime(ServiceConfig config) {
        this.config = config;
        List<ReplicaTarget> list = new ArrayList<>();
        for (int i = 0; i < config.replicas().size(); i++) {
            list.add(new ReplicaTarget(i, config.replicas().get(i)));
        }
        this.replicas = List.copyOf(list);
    }

    public ServiceConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public ServiceStats stats() {
        return stats;
    }

    public List<ReplicaTarget> replicas() {
        return replicas;
    }

    void listener(Channel ch) {
        this.listener = ch;
    }

    /** The listening channel, or null before bind / after close. */
    public Channel listener() {
        return listener;
    }

    /**
     * Whether the service is quiet and fully accounted for: no open session, nothing queued for any replica, and
     * (when answers are compared) every replica copy of every session compared, damaged, missed or given up.
     */
    public boolean settled() {
        if (stats.active.sum() != 0) {
            return false;
        }
        for (ReplicaTarget r : replicas) {
            var s = r.stats();
            long finished = s.compared.sum() + s.uncompared.sum() + s.damaged.sum() + s.missed.sum();
            boolean compares = config.compare() != io.ncp.middlebox.config.CompareMode.NONE;
            if (s.backlogBytes.sum() != 0 || (compares && finished < stats.sessions.sum())) {
                return false;
            }
        }
        return true;
    }

    /** The address actually bound (the real port when the config said 0), or null when not listening. */
    public InetSocketAddress boundAddress() {
        Channel ch = listener;
        return ch == null ? null : (InetSocketAddress) ch.localAddress();
    }
}
