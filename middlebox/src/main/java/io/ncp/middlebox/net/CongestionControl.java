package io.ncp.middlebox.net;

import io.ncp.middlebox.config.ConfigException;
import io.netty.channel.Channel;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The TCP congestion control of the middlebox's own sockets ({@code tcpCongestion}: {@code setsockopt(IPPROTO_TCP,
 * TCP_CONGESTION)} on every accepted, primary and replica connection), checked once at startup.
 *
 * <p>Why it exists: the middlebox is a relay, so every byte crosses two TCP connections in series, and a pause of
 * either one is lost for good. With BBR (the kernel default on some hosts) each of them enters ProbeRTT (4 packets in
 * flight for 200 ms) about every 10 s. Measured in the namespace testbed at 1 Gbit/s with one replica
 * (docs/middlebox-benchmark.md, change 4): on BBR the middlebox delivered 0.979-0.997 of direct, with its own
 * connections on cubic 0.992-1.002 (the client kept BBR).
 */
public final class CongestionControl {

    private static final int IPPROTO_TCP = 6;
    private static final int TCP_CONGESTION = 13;
    /** TCP_CA_NAME_MAX in the kernel, NUL included. */
    private static final int NAME_MAX = 16;
    private static final Path AVAILABLE = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");
    private static final Path HOST_DEFAULT = Path.of("/proc/sys/net/ipv4/tcp_congestion_control");

    private final String name;
    private final RawUnixChannelOption option;
    private final ByteBuffer value;

    private CongestionControl(String name) {
        this.name = name;
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        this.option = new RawUnixChannelOption("TCP_CONGESTION", IPPROTO_TCP, TCP_CONGESTION, bytes.length);
        this.value = ByteBuffer.wrap(bytes); // never handed out: each use gets its own duplicate (Netty consumes it)
    }

    /**
     * The algorithm {@code name} after checking that this process can set it (null: keep the host's default, nothing
     * is checked).
     *
     * @throws ConfigException naming {@code tcpCongestion}: not the epoll transport, unknown to the kernel, or refused
     *                         (an algorithm outside {@code net.ipv4.tcp_allowed_congestion_control} needs
     *                         CAP_NET_ADMIN)
     */
    static CongestionControl check(String name, Transport transport) {
        if (name == null) {
            return null;
        }
        if (!name.matches("[a-z0-9_]{1," + (NAME_MAX - 1) + "}")) {
            throw new ConfigException("tcpCongestion", "'" + name + "' is not an algorithm name (a-z, 0-9, _; at most "
                + (NAME_MAX - 1) + " characters), e.g. cubic or reno");
        }
        if (transport != Transport.EPOLL) {
            throw new ConfigException("tcpCongestion", "'" + name + "' needs the native epoll transport, which is not "
                + "in use (" + (Transport.whyNotEpoll() != null ? Transport.whyNotEpoll() : "-Dncp.transport=nio")
                + ")");
        }
        List<String> available = available();
        if (!available.isEmpty() && !available.contains(name)) {
            throw new ConfigException("tcpCongestion", "'" + name + "' is not available in this kernel (available: "
                + String.join(" ", available) + "; a module such as tcp_" + name + " may need loading)");
        }
        CongestionControl cc = new CongestionControl(name);
        Socket probe = Socket.newSocketStream();
        try {
            probe.setRawOpt(IPPROTO_TCP, TCP_CONGESTION, cc.value.duplicate());
            ByteBuffer got = ByteBuffer.allocate(NAME_MAX);
            probe.getRawOpt(IPPROTO_TCP, TCP_CONGESTION, got);
            String set = cString(got);
            if (!name.equals(set)) {
                throw new ConfigException("tcpCongestion", "'" + name + "' was set but the socket reports '" + set
                    + "'");
            }
        } catch (IOException | io.netty.channel.ChannelException e) { // refusals arrive as either
            throw new ConfigException("tcpCongestion", "'" + name + "' cannot be set: " + e.getMessage()
                + " (outside net.ipv4.tcp_allowed_congestion_control it needs CAP_NET_ADMIN)");
        } finally {
            closeQuietly(probe);
        }
        return cc;
    }

    /** The algorithm's name. */
    public String name() {
        return name;
    }

    /**
     * Sets the algorithm on {@code channel} (an epoll channel, on its event loop). A failure after the startup probe
     * succeeded (unexpected) is thrown: the channel's registration fails and its connection is closed, never left on
     * another algorithm silently.
     */
    void apply(Channel channel) {
        if (!channel.config().setOption(option, value.duplicate())) {
            throw new IllegalStateException("tcpCongestion: " + channel + " does not support TCP_CONGESTION");
        }
    }

    /** For the startup log: the configured algorithm, or the host's default (with a hint when that is BBR). */
    public static String describe(CongestionControl cc) {
        if (cc != null) {
            return cc.name;
        }
        String host;
        try {
            host = Files.readString(HOST_DEFAULT).trim();
        } catch (IOException e) {
            return "host default";
        }
        return "host default " + host + ("bbr".equals(host) ? " (a relay pays BBR's ProbeRTT on both of its legs: "
            + "--tcp-congestion cubic keeps line rate, see docs/middlebox-benchmark.md)" : "");
    }

    /** The kernel's available algorithms, empty when /proc does not say. */
    static List<String> available() {
        try {
            return Arrays.asList(Files.readString(AVAILABLE).trim().split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String cString(ByteBuffer buf) {
        byte[] all = buf.array();
        int n = 0;
        while (n < all.length && all[n] != 0) {
            n++;
        }
        return new String(all, 0, n, StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // a probe socket that never connected
        }
    }
}
