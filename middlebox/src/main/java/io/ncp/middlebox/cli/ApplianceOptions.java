package io.ncp.middlebox.cli;

import io.ncp.middlebox.config.AdminConfig;
import io.ncp.middlebox.config.ConfigLoader;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.RingFull;
import io.ncp.middlebox.config.Units;
import picocli.CommandLine.Option;

/** Options of the appliance itself (shards, ring, admin HTTP, stats line), shared by {@code run} and {@code mirror}. */
final class ApplianceOptions {

    @Option(names = {"-t", "--threads"}, description = "shards (event loops), default = cores")
    Integer threads;

    @Option(names = "--ring-size", description = "slots per shard ring (power of two), default 65536")
    Integer ringSize;

    @Option(names = "--ring-bytes", paramLabel = "SIZE", description = "in-flight payload cap per shard ring")
    String ringBytes;

    @Option(names = "--admin", paramLabel = "HOST:PORT|off", description = "admin HTTP, default 127.0.0.1:9090")
    String admin;

    @Option(names = "--admin-token-file", paramLabel = "FILE|none",
        description = "admin API bearer token, created (mode 0600) when absent; default ~/.ncp/admin-token; "
            + "none = no authentication (loopback admin address only)")
    String adminTokenFile;

    @Option(names = "--admin-metrics", paramLabel = "token|open",
        description = "whether GET /metrics needs the token (default token)")
    String adminMetrics;

    @Option(names = "--admin-tls-cert", paramLabel = "FILE",
        description = "PEM certificate: the admin API speaks HTTPS")
    String adminTlsCert;

    @Option(names = "--admin-tls-key", paramLabel = "FILE", description = "PEM (PKCS#8) key for --admin-tls-cert")
    String adminTlsKey;

    @Option(names = "--stats-interval", paramLabel = "DURATION", description = "stats line period, 0 = off")
    String statsInterval;

    @Option(names = "--replica-timeout", paramLabel = "DURATION",
        description = "drop a replica's session copy when the replica takes no byte for this long, default 30s")
    String replicaTimeout;

    @Option(names = "--journal-dir", paramLabel = "DIR|off",
        description = "catch-up journal: where copies that cannot keep up in memory spill, default ~/.ncp/journal; "
            + "off = drop them (the replica is STALE)")
    String journalDir;

    @Option(names = "--journal-max", paramLabel = "SIZE", description = "catch-up journal per replica and shard, "
        + "default 1GiB (past it: the replica is STALE)")
    String journalMax;

    @Option(names = "--replica-loop", description = "shared (replica side on the front loop), separate (a loop "
        + "of its own per shard) or auto (default: separate with a catch-up journal, else shared)")
    String replicaLoop;

    @Option(names = "--ring-full", paramLabel = "damage|throttle", description = "when a shard's ring is full: "
        + "damage (default: the primary never waits, the copies are damaged and their replicas STALE) or throttle "
        + "(stop reading clients while the ring is over half full)")
    String ringFull;

    @Option(names = "--tcp-congestion", paramLabel = "NAME",
        description = "TCP congestion control of the middlebox's connections (e.g. cubic), default: the host's")
    String tcpCongestion;

    @Option(names = "--probe-bind", paramLabel = "ADDRESS",
        description = "local address of every failover probe (and of the probes made for a peer's vote)")
    String probeBind;

    /** {@code cfg} with every option given on the command line applied (they override the file). */
    MiddleboxConfig apply(MiddleboxConfig cfg) {
        MiddleboxConfig c = cfg;
        if (threads != null || ringSize != null || ringBytes != null) {
            c = new MiddleboxConfig(threads != null ? threads : c.threads(),
                ringSize != null ? ringSize : c.ringSize(),
                ringBytes != null ? Units.parseSize("--ring-bytes", ringBytes) : c.ringBytes(), c.admin(),
                c.statsInterval(), c.replicaLoop(), c.connectTimeout(), c.tcpCongestion(), c.services(), c.allow(),
                c.replicaTimeout(), c.journal(), c.probeBind(), c.ringFull());
        }
        if (admin != null) {
            HostPort address = ConfigLoader.parseAdmin("--admin", admin);
            c = c.withAdmin(address == null ? null : c.admin() != null ? c.admin().withAddress(address)
                : AdminConfig.at(address));
        }
        c = c.withAdmin(ConfigLoader.applyAdminFlags(c.admin(), adminTokenFile, adminMetrics, adminTlsCert,
            adminTlsKey));
        if (statsInterval != null) {
            c = c.withStatsInterval(Units.parseDuration("--stats-interval", statsInterval));
        }
        if (replicaTimeout != null) {
            c = c.withReplicaTimeout(Units.parseDuration("--replica-timeout", replicaTimeout));
        }
        if (journalDir != null || journalMax != null) {
            c = c.withJournal(ConfigLoader.journalFlags(c.journal(), journalDir, journalMax));
        }
        if (replicaLoop != null) {
            c = c.withReplicaLoop(ConfigLoader.parseReplicaLoop("--replica-loop", replicaLoop));
        }
        if (tcpCongestion != null) {
            c = c.withTcpCongestion(tcpCongestion);
        }
        if (ringFull != null) {
            c = c.withRingFull(RingFull.parse("--ring-full", ringFull));
        }
        if (probeBind != null) {
            c = c.withProbeBind(probeBind);
        }
        return c;
    }
}
