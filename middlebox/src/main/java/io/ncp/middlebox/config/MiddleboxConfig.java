package io.ncp.middlebox.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * All middlebox settings, immutable; every default lives here.
 *
 * @param threads         shards (front event loops, one ring each)
 * @param ringSize        slots per shard ring (power of two)
 * @param ringBytes       per shard: payload bytes published but not yet consumed by the replica side; beyond it the
 *                        sessions that publish are marked damaged for their replicas (ring slots alone don't bound
 *                        memory)
 * @param admin           the admin HTTP endpoint, or null when off
 * @param statsInterval   terminal stats line period; zero disables it
 * @param replicaLoop     where each shard's replica side runs
 * @param connectTimeout  connect timeout for primary and replica connections
 * @param tcpCongestion   TCP congestion control of the middlebox's own connections (e.g. {@code cubic}), or null to
 *                        keep the host's default; see {@code core.CongestionControl}
 * @param services        the services
 * @param allow           what services created through the admin API may use; null: derived from {@code services}
 * @param replicaTimeout  a replica copy whose replica takes no byte for this long (it stopped reading) is dropped
 *                        (without a journal; with one it spills until the journal is full)
 * @param journal         the catch-up journal, or null: a copy that cannot keep up in memory is dropped
 * @param probeBind       local address every failover probe of this middlebox leaves from (its services' probes and
 *                        the probes it makes when a peer asks for its vote: {@code POST /vote}), e.g. the address of
 *                        the NIC that faces the backends; null: the host's routing chooses
 * @param ringFull        what a shard does when its ring is full ({@link RingFull}); null: {@code damage}
 */
public record MiddleboxConfig(int threads, int ringSize, long ringBytes, AdminConfig admin, Duration statsInterval,
        ReplicaLoop replicaLoop, Duration connectTimeout, String tcpCongestion, List<ServiceConfig> services,
        AllowList allow, Duration replicaTimeout, JournalConfig journal, String probeBind, RingFull ringFull) {

    /** Largest ring: 4 Mi slots (a slot is a preallocated event of a few dozen bytes). */
    public static final int MAX_RING_SIZE = 1 << 22;

    public static final int DEFAULT_RING_SIZE = 65536;
    public static final long DEFAULT_RING_BYTES = 256L << 20;
    public static final HostPort DEFAULT_ADMIN = AdminConfig.DEFAULT_ADDRESS;
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_REPLICA_TIMEOUT = Duration.ofSeconds(30);

    public MiddleboxConfig {
        services = List.copyOf(services);
        if (replicaTimeout == null) {
            replicaTimeout = DEFAULT_REPLICA_TIMEOUT;
        }
        if (replicaTimeout.isZero() || replicaTimeout.isNegative()) {
            throw new ConfigException("replicaTimeout", "'" + replicaTimeout + "' must be positive");
        }
        if (threads < 1 || threads > 1024) {
            throw new ConfigException("threads", "'" + threads + "' must be 1..1024");
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1 || ringSize > MAX_RING_SIZE) {
            throw new ConfigException("ringSize", "'" + ringSize + "' must be a power of two, 2.." + MAX_RING_SIZE);
        }
        if (ringBytes < 1) {
            throw new ConfigException("ringBytes", "'" + ringBytes + "' must be positive");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < services.size(); i++) {
            if (!names.add(services.get(i).name())) {
                throw new ConfigException("services[" + i + "].name", "'" + services.get(i).name() + "' is used twice");
            }
        }
    }

    /** No admin allow-list of its own (derived from the services). */
    public MiddleboxConfig(int threads, int ringSize, long ringBytes, AdminConfig admin, Duration statsInterval,
            ReplicaLoop replicaLoop, Duration connectTimeout, String tcpCongestion, List<ServiceConfig> services) {
        this(threads, ringSize, ringBytes, admin, statsInterval, replicaLoop, connectTimeout, tcpCongestion, services,
            null, null, null, null, null);
    }

    /** Every global setting at its default, with these services. */
    public static MiddleboxConfig defaults(List<ServiceConfig> services) {
        return new MiddleboxConfig(defaultThreads(), DEFAULT_RING_SIZE, DEFAULT_RING_BYTES,
            AdminConfig.at(DEFAULT_ADMIN), DEFAULT_STATS_INTERVAL, ReplicaLoop.AUTO, DEFAULT_CONNECT_TIMEOUT, null,
            services, null, null, JournalConfig.defaults(), null, null);
    }

    /** Default shard count: the available cores. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** A copy with {@code threads} shards. */
    public MiddleboxConfig withThreads(int n) {
        return new MiddleboxConfig(n, ringSize, ringBytes, admin, statsInterval, replicaLoop, connectTimeout,
            tcpCongestion, services, allow, replicaTimeout, journal, probeBind, ringFull);
    }

    /** A copy with another admin endpoint (null = off). */
    public MiddleboxConfig withAdmin(AdminConfig address) {
        return new MiddleboxConfig(threads, ringSize, ringBytes, address, statsInterval, replicaLoop, connectTimeout,
            tcpCongestion, services, allow, replicaTimeout, journal, probeBind, ringFull);
    }

    /** A copy with another stats interval. */
    public MiddleboxConfig withStatsInterval(Duration interval) {
        return new MiddleboxConfig(threads, ringSize, ringBytes, admin, interval, replicaLoop, connectTimeout,
            tcpCongestion, services, allow, replicaTimeout, journal, probeBind, ringFull);
    }

    /** A copy with another congestion control for the middlebox's connections (null = the host's default). */
    public MiddleboxConfig withTcpCongestion(String name) {
        return new MiddleboxConfig(threads, ringSize, ringBytes, admin, statsInterval, replicaLoop, connectTimeout,
            name, services, allow, replicaTimeout, journal, probeBind, ringFull);
    }

    /** A copy with another admin allow-list (null = derived from the services). */
    public MiddleboxConfig withAllow(AllowList list) {
        return new MiddleboxConfig(threads, ringSize, ringBytes, admin, statsInterval, replicaLoop, connectTimeout,
            tcpCongestion, services, list, replicaTimeout, journal, probeBind, ringFull);
    }

    /** A copy with another replica timeout. */
    public MiddleboxConfig withReplicaTimeout(Duration timeout) {
        return new MiddleboxConfig(threads, ringSize, ringBytes, admin, statsInterval, replicaLoop, connectTimeout,
            tcpCongestion, services, allow, timeout, journal, probeBind, ringFull);
    }

    /** A copy with another catch-up journal (null: none). */
    public MiddleboxConfig withJournal(JournalConfig j) {
        return new MiddleboxConfig(threads, ringSize, ringBytes, admin, statsInterval, replicaLoop, connectTimeout,
            tcpCongestion, services, allow, replicaTimeout, j, probeBind, ringFull);
    }

    /** A copy with another replica loop placement. */
    public MiddleboxConfig withReplicaLoop(ReplicaLoop loop) {
        return new MiddleboxConfig(threads, ringSize, ringBytes, admin, statsInterval, loop, connectTimeout,
            tcpCongestion, services, allow, replicaTimeout, journal, probeBind, ringFull);
    }

    /** A copy with another ring-full policy (null: {@code damage}). */
    public MiddleboxConfig withRingFull(RingFull policy) {
        return new MiddleboxConfig(threads, ringSize, ringBytes, admin, statsInterval, replicaLoop, connectTimeout,
            tcpCongestion, services, allow, replicaTimeout, journal, probeBind, policy);
    }

    /** A copy whose failover probes leave from {@code address} (null: the host's routing chooses). */
    public MiddleboxConfig withProbeBind(String address) {
        return new MiddleboxConfig(threads, ringSize, ringBytes, admin, statsInterval, replicaLoop, connectTimeout,
            tcpCongestion, services, allow, replicaTimeout, journal, address, ringFull);
    }
}
