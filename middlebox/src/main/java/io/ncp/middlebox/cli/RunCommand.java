package io.ncp.middlebox.cli;

import io.ncp.middlebox.app.Appliance;
import io.ncp.middlebox.app.StopSignals;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.ConfigLoader;
import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ServiceChecks;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.Transparency;
import io.ncp.middlebox.view.StatsLine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncp-middlebox run}: one service from flags, or any number from {@code --config FILE}. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the middlebox until interrupted (Ctrl-C / SIGTERM: it then prints a final table of counters "
        + "per service and replica and exits 0).",
    footer = {"", "Stats line (every --stats-interval; the same legend is printed when it starts):",
        StatsLine.LEGEND_TEXT, "",
        "Status: GET / on the admin address (a page), ncp-middlebox status (a terminal view)."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config (see configs/middlebox.yaml)")
    Path config;

    @Mixin
    ReplicaOptions service = new ReplicaOptions();

    @Option(names = {"-l", "--listen"}, paramLabel = "HOST:PORT", description = "where clients connect")
    String listen;

    @Option(names = {"-p", "--primary"}, paramLabel = "HOST:PORT", description = "the primary server")
    String primary;

    @Option(names = "--mode", description = "async (default) or lockstep")
    String mode;

    @Option(names = "--protocol", paramLabel = "P",
        description = "bytes (default); redis, postgres, mysql, http: frame requests and replies, compare and gate "
            + "lockstep per exchange (docs/request-aware.md); replicas of redis, postgres and mysql may have "
            + "credentials of their own (docs/credentials.md)")
    String protocol;

    @Option(names = "--max-sessions", paramLabel = "N",
        description = "sessions open at once before new clients are refused; default: what the descriptor limit allows")
    Integer maxSessions;

    @Option(names = "--failover", description = "probe the primary and the replicas; promote an IN_SYNC replica "
        + "when the primary misses 3 probes (every 200 ms, 400 ms timeout)")
    boolean failover;

    @Option(names = "--probe-send", paramLabel = "TEXT",
        description = "with --failover: what a probe sends after connecting (escapes \\r \\n \\xNN), e.g. PING\\r\\n")
    String probeSend;

    @Option(names = "--probe-expect", paramLabel = "TEXT",
        description = "with --failover: the prefix the probe's answer must start with, e.g. +PONG")
    String probeExpect;

    @Option(names = "--transparent", description = "IP_TRANSPARENT listener: takes the sessions a TPROXY rule hands it "
        + "(addressed to the primary); needs CAP_NET_ADMIN and epoll")
    boolean transparent;

    @Option(names = "--spoof-client", description = "with --transparent: connect to the primary from the client's own "
        + "address (the primary's answers to it must be routed to this host)")
    boolean spoofClient;

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Mixin
    ApplianceOptions appliance = new ApplianceOptions();

    @Override
    public Integer call() throws InterruptedException {
        MiddleboxConfig cfg = toConfig();
        CountDownLatch stop = new CountDownLatch(1);
        Appliance app = Appliance.start(cfg, System.err);
        StopSignals.onStop(stop::countDown); // SIGTERM/SIGINT: close, print the summary, exit 0
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // any other exit
            stop.countDown();
            app.close();
        }, "ncp-shutdown"));
        stop.await();
        app.close();
        System.err.print(app.summary());
        System.err.flush();
        return 0;
    }

    /** Builds the config from the file and/or the flags (flags override the file's global settings). */
    MiddleboxConfig toConfig() {
        boolean serviceFlags = listen != null || primary != null || mode != null || service.given() || transparent
            || maxSessions != null || failover || probeSend != null || probeExpect != null
            || spoofClient || tls.given();
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
            ServiceConfig svc = ConfigLoader.service("--" + service.name, service.name,
                HostPort.parse("--listen", listen), HostPort.parse("--primary", primary), mode, service.compare,
                service.backlogBytes(), service.replicaConfigs())
                .withTransparency(Transparency.of("", transparent, spoofClient)).withTls(tls.toConfig());
            if (failover || probeSend != null || probeExpect != null) {
                if (!failover) {
                    throw new ConfigException(probeSend != null ? "--probe-send" : "--probe-expect",
                        "needs --failover");
                }
                if (probeExpect != null && probeSend == null) {
                    throw new ConfigException("--probe-expect", "needs --probe-send (what to send)");
                }
                svc = svc.withFailover(FailoverConfig.defaults().withProbe(
                    probeSend == null ? null : ConfigLoader.unescape("--probe-send", probeSend),
                    probeExpect == null ? null : ConfigLoader.unescape("--probe-expect", probeExpect)));
            }
            if (protocol != null) {
                svc = svc.withProtocol(ConfigLoader.protocol("--protocol", protocol));
            }
            if (maxSessions != null) {
                if (maxSessions < 0) {
                    throw new ConfigException("--max-sessions", "'" + maxSessions + "' must be 0 (no limit of its own) "
                        + "or more");
                }
                svc = svc.withMaxSessions(maxSessions);
            }
            ServiceChecks.check(svc, ServiceChecks.Fields.cli(), List.of());
            cfg = MiddleboxConfig.defaults(List.of(svc));
        }
        return appliance.apply(cfg);
    }
}
