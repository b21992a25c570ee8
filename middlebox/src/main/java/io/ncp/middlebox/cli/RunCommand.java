package io.ncp.middlebox.cli;

import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.ConfigLoader;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.Units;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ncp-middlebox run}: one service from flags, or any number from {@code --config FILE}. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the middlebox until interrupted (Ctrl-C / SIGTERM).")
public final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config (see configs/middlebox.yaml)")
    Path config;

    @Option(names = "--name", defaultValue = "default",
        description = "service name (flags mode), default ${DEFAULT-VALUE}")
    String name;

    @Option(names = {"-l", "--listen"}, paramLabel = "HOST:PORT", description = "where clients connect")
    String listen;

    @Option(names = {"-p", "--primary"}, paramLabel = "HOST:PORT", description = "the primary server")
    String primary;

    @Option(names = {"-r", "--replica"}, paramLabel = "HOST:PORT[@BIND]",
        description = "a replica (repeatable); @BIND = local address for its connections")
    List<String> replicas = new ArrayList<>();

    @Option(names = "--mode", description = "async (default) or lockstep")
    String mode;

    @Option(names = "--compare", description = "answer comparison: bytes, none, postgres")
    String compare;

    @Option(names = "--backlog", paramLabel = "SIZE", description = "per replica per session backlog, default 64MiB")
    String backlog;

    @Option(names = {"-t", "--threads"}, description = "shards (event loops), default = cores")
    Integer threads;

    @Option(names = "--ring-size", description = "slots per shard ring (power of two), default 65536")
    Integer ringSize;

    @Option(names = "--ring-bytes", paramLabel = "SIZE", description = "in-flight payload cap per shard ring")
    String ringBytes;

    @Option(names = "--admin", paramLabel = "HOST:PORT|off", description = "admin HTTP, default 127.0.0.1:9090")
    String admin;

    @Option(names = "--stats-interval", paramLabel = "DURATION", description = "stats line period, 0 = off")
    String statsInterval;

    @Option(names = "--replica-loop", description = "shared (replica side on the front loop) or separate")
    String replicaLoop;

    @Override
    public Integer call() throws InterruptedException {
        MiddleboxConfig cfg = toConfig();
        CountDownLatch stop = new CountDownLatch(1);
        Appliance app = Appliance.start(cfg, System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            app.close();
        }, "ncp-shutdown"));
        stop.await();
        return 0;
    }

    /** Builds the config from the file and/or the flags (flags override the file's global settings). */
    MiddleboxConfig toConfig() {
        boolean serviceFlags = listen != null || primary != null || !replicas.isEmpty() || mode != null
            || compare != null || backlog != null;
        MiddleboxConfig cfg;
        if (config != null) {
            if (serviceFlags) {
                throw new ConfigException("--config", "give services either in the file or as flags, not both");
            }
            cfg = ConfigLoader.load(config);
        } else {
            if (listen == null || primary == null) {
                throw new ConfigException(listen == null ? "--listen" : "--primary",
                    "missing (or give --config FILE)");
            }
            List<ReplicaConfig> reps = new ArrayList<>();
            for (int i = 0; i < replicas.size(); i++) {
                reps.add(ReplicaConfig.parse("--replica[" + i + "]", replicas.get(i)));
            }
            long bl = backlog == null ? ServiceConfig.DEFAULT_BACKLOG : Units.parseSize("--backlog", backlog);
            ServiceConfig svc = ConfigLoader.service("--" + name, name, HostPort.parse("--listen", listen),
                HostPort.parse("--primary", primary), mode, compare, bl, reps);
            cfg = new MiddleboxConfig(MiddleboxConfig.defaultThreads(), MiddleboxConfig.DEFAULT_RING_SIZE,
                MiddleboxConfig.DEFAULT_RING_BYTES, MiddleboxConfig.DEFAULT_ADMIN,
                MiddleboxConfig.DEFAULT_STATS_INTERVAL, ReplicaLoop.SHARED, MiddleboxConfig.DEFAULT_CONNECT_TIMEOUT,
                List.of(svc));
        }
        if (threads != null || ringSize != null || ringBytes != null) {
            cfg = new MiddleboxConfig(threads != null ? threads : cfg.threads(),
                ringSize != null ? ringSize : cfg.ringSize(),
                ringBytes != null ? Units.parseSize("--ring-bytes", ringBytes) : cfg.ringBytes(), cfg.admin(),
                cfg.statsInterval(), cfg.replicaLoop(), cfg.connectTimeout(), cfg.services());
        }
        if (admin != null) {
            cfg = cfg.withAdmin(ConfigLoader.parseAdmin("--admin", admin));
        }
        if (statsInterval != null) {
            Duration d = Units.parseDuration("--stats-interval", statsInterval);
            cfg = cfg.withStatsInterval(d);
        }
        if (replicaLoop != null) {
            cfg = cfg.withReplicaLoop(ConfigLoader.parseReplicaLoop("--replica-loop", replicaLoop));
        }
        return cfg;
    }
}
