package io.ncp.middlebox.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Capture settings of mirror mode (the primary gets the client traffic directly; the middlebox captures it and
 * replays the client bytes to the replicas). Exactly one input: a live interface or a capture file.
 *
 * @param iface         live capture interface, or null
 * @param pcap          pcap/pcapng file to read instead (processed as fast as possible, then the run ends), or null
 * @param filter        BPF filter; null = derived from the services' primaries ({@link #defaultFilter})
 * @param snaplen       live: bytes captured per packet (longer packets become reassembly gaps)
 * @param bufferBytes   live: kernel capture buffer
 * @param queuePackets  packets queued between the capture thread and each shard before drops are counted
 * @param idleTimeout   a flow without packets for this long is closed (its replica copies end)
 * @param drainTimeout  file input: how long to wait for the replicas to settle after the file ended
 */
public record MirrorConfig(String iface, Path pcap, String filter, int snaplen, long bufferBytes, int queuePackets,
        Duration idleTimeout, Duration drainTimeout) {

    public static final int DEFAULT_SNAPLEN = 262144;
    public static final long DEFAULT_BUFFER_BYTES = 64L << 20;
    public static final int DEFAULT_QUEUE_PACKETS = 1 << 16;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    public MirrorConfig {
        if ((iface == null) == (pcap == null)) {
            throw new ConfigException("mirror.interface", "give exactly one input: an interface or a pcap file");
        }
        if (iface != null && iface.isBlank()) {
            throw new ConfigException("mirror.interface", "is empty");
        }
        if (snaplen < 128 || snaplen > 262144) {
            throw new ConfigException("mirror.snaplen", "'" + snaplen + "' must be 128..262144");
        }
        if (bufferBytes < 1 << 16 || bufferBytes > Integer.MAX_VALUE) {
            throw new ConfigException("mirror.bufferSize", "'" + bufferBytes + "' must be 64KiB..2GiB");
        }
        if (queuePackets < 16) {
            throw new ConfigException("mirror.queuePackets", "'" + queuePackets + "' must be at least 16");
        }
        if (idleTimeout.isZero() || idleTimeout.isNegative()) {
            throw new ConfigException("mirror.idleTimeout", "must be positive");
        }
    }

    /** Settings for one input with every other setting at its default. */
    public static MirrorConfig of(String iface, Path pcap, String filter) {
        return new MirrorConfig(iface, pcap, filter, DEFAULT_SNAPLEN, DEFAULT_BUFFER_BYTES, DEFAULT_QUEUE_PACKETS,
            DEFAULT_IDLE_TIMEOUT, DEFAULT_DRAIN_TIMEOUT);
    }

    /** The filter to use: the configured one, else {@link #defaultFilter}. */
    public String effectiveFilter(List<ServiceConfig> services) {
        return filter != null ? filter : defaultFilter(services);
    }

    /**
     * {@code tcp and ((host H and port P) or (port Q) ...)}: the traffic of every primary (a wildcard or name host
     * matches on the port alone).
     */
    public static String defaultFilter(List<ServiceConfig> services) {
        List<String> terms = new ArrayList<>();
        for (ServiceConfig s : services) {
            HostPort p = s.primary();
            String term = isLiteralAddress(p.host()) && !isWildcard(p.host())
                ? "(host " + p.host() + " and port " + p.port() + ")" : "(port " + p.port() + ")";
            if (!terms.contains(term)) {
                terms.add(term);
            }
        }
        return "tcp and (" + String.join(" or ", terms) + ")";
    }

    /** {@code *}, {@code 0.0.0.0} and {@code ::} match any server address. */
    public static boolean isWildcard(String host) {
        return host.equals("*") || host.equals("0.0.0.0") || host.equals("::");
    }

    private static boolean isLiteralAddress(String host) {
        return host.toLowerCase(Locale.ROOT).matches("[0-9.]+|[0-9a-f:]*:[0-9a-f:.]*");
    }

    /** What the capture reads, for messages. */
    public String describeInput() {
        return iface != null ? "interface " + iface : "file " + pcap;
    }
}
