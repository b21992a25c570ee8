package io.ncp.replay.cli;

import io.ncp.replay.reassembly.ReassemblyConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Parsing helpers shared by the commands (durations, sizes, host:port) and the reassembly options. */
final class Options {

    private Options() {
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            double v = Double.parseDouble(t.replaceAll("[smh]$", ""));
            long unit = t.endsWith("h") ? 3_600_000 : t.endsWith("m") ? 60_000 : 1000;
            return Duration.ofMillis((long) (v * unit));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad duration '" + text + "' (use e.g. 500ms, 10s, 2m)");
        }
    }

    /** {@code 64MiB}, {@code 512k}, {@code 1g} or plain bytes. */
    static long size(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1L << 10;
        } else if (t.endsWith("m")) {
            unit = 1L << 20;
        } else if (t.endsWith("g")) {
            unit = 1L << 30;
        }
        try {
            return (long) (Double.parseDouble(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad size '" + text + "' (use e.g. 64MiB, 512k)");
        }
    }

    static InetSocketAddress hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("target must be host:port, got '" + text + "'");
        }
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
    }

    static ReassemblyConfig reassembly(List<Integer> serverPorts, String idleTimeout) {
        ReassemblyConfig c = ReassemblyConfig.defaults();
        if (serverPorts != null) {
            c = c.withServerPorts(Set.copyOf(serverPorts));
        }
        if (idleTimeout != null) {
            c = c.withIdleTimeout(duration(idleTimeout));
        }
        return c;
    }
}
