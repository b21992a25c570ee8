package io.ncp.middlebox.cli;

import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.ConfigLoader;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.MirrorConfig;
import io.ncp.middlebox.config.MirrorConfigLoader;
import io.ncp.middlebox.config.MirrorSetup;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.Units;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ncp-middlebox mirror}: the primary gets the clients directly; the middlebox captures the traffic (live
 * interface or pcap file), reassembles it and replays the client bytes to the replicas.
 */
@Command(name = "mirror", mixinStandardHelpOptions = true,
    description = {
        "Mirror mode: capture the primary's traffic (live interface, needs root, or a pcap file) and replay each "
            + "client session to the replicas; the primary's captured answers are compared with the replicas'.",
        "A live capture runs until Ctrl-C / SIGTERM; a file is processed as fast as possible, then the replicas "
            + "are given --drain-timeout to finish and the final /stats document is printed."})
public final class MirrorCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "YAML config with a mirror section (see configs/middlebox-mirror.yaml)")
    Path config;

    @Option(names = {"-i", "--interface"}, paramLabel = "IF", description = "capture live on this interface")
    String iface;

    @Option(names = "--pcap", paramLabel = "FILE", description = "read this pcap/pcapng file instead")
    Path pcap;

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF",
        description = "capture filter; default: tcp traffic of the primary's host and port")
    String filter;

    @Option(names = {"-p", "--primary"}, paramLabel = "HOST:PORT",
        description = "the primary server whose sessions are replicated (host * = any address)")
    String primary;

    @Option(names = "--server-port", paramLabel = "PORT", description = "shorthand for --primary *:PORT")
    Integer serverPort;

    @Mixin
    ReplicaOptions service = new ReplicaOptions();

    @Option(names = "--snaplen", paramLabel = "BYTES", description = "live: snap length, default 262144")
    Integer snaplen;

    @Option(names = "--buffer-size", paramLabel = "SIZE", description = "live: kernel capture buffer, default 64MiB")
    String bufferSize;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "close flows idle this long, default 120s")
    String idleTimeout;

    @Option(names = "--drain-timeout", paramLabel = "DURATION",
        description = "file input: wait this long for the replicas after the file ended, default 30s")
    String drainTimeout;

    @Mixin
    ApplianceOptions appliance = new ApplianceOptions();

    @Override
    public Integer call() throws InterruptedException {
        return MirrorRun.run(toSetup(), System.out, System.err);
    }

    /** Builds the setup from the file and/or the flags (flags override the file's global and capture settings). */
    MirrorSetup toSetup() {
        if (iface != null && pcap != null) {
            throw new ConfigException("--pcap", "give either --interface or --pcap, not both");
        }
        boolean serviceFlags = primary != null || serverPort != null || service.given();
        MiddleboxConfig cfg;
        MirrorConfig m;
        if (config != null) {
            if (serviceFlags) {
                throw new ConfigException("--config", "give services either in the file or as flags, not both");
            }
            MirrorSetup file = MirrorConfigLoader.load(config);
            cfg = file.middlebox();
            m = file.mirror();
            if (iface != null || pcap != null) {
                m = new MirrorConfig(iface, pcap, m.filter(), m.snaplen(), m.bufferBytes(), m.queuePackets(),
                    m.idleTimeout(), m.drainTimeout());
            }
        } else {
            if (iface == null && pcap == null) {
                throw new ConfigException("--interface", "missing: give --interface IF or --pcap FILE (or --config)");
            }
            cfg = MiddleboxConfig.defaults(List.of(flagService()));
            m = MirrorConfig.of(iface, pcap, null);
        }
        m = new MirrorConfig(m.iface(), m.pcap(), filter != null ? filter : m.filter(),
            snaplen != null ? snaplen : m.snaplen(),
            bufferSize != null ? Units.parseSize("--buffer-size", bufferSize) : m.bufferBytes(), m.queuePackets(),
            idleTimeout != null ? positive("--idle-timeout", idleTimeout) : m.idleTimeout(),
            drainTimeout != null ? Units.parseDuration("--drain-timeout", drainTimeout) : m.drainTimeout());
        return new MirrorSetup(appliance.apply(cfg), m);
    }

    private ServiceConfig flagService() {
        if (primary != null && serverPort != null) {
            throw new ConfigException("--server-port", "give either --primary or --server-port, not both");
        }
        if (primary == null && serverPort == null) {
            throw new ConfigException("--primary", "missing: give --primary HOST:PORT or --server-port PORT");
        }
        if (service.replicas.isEmpty()) {
            throw new ConfigException("--replica", "missing: mirror mode needs at least one replica");
        }
        HostPort p = primary != null ? HostPort.parse("--primary", primary)
            : HostPort.parse("--server-port", "*:" + serverPort);
        return ConfigLoader.mirroredService("--" + service.name, service.name, p, null, service.compare,
            service.backlogBytes(), service.replicaConfigs());
    }

    private static Duration positive(String field, String text) {
        Duration d = Units.parseDuration(field, text);
        if (d.isZero()) {
            throw new ConfigException(field, "'" + text + "' must be positive");
        }
        return d;
    }
}
