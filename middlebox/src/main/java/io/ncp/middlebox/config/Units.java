package io.ncp.middlebox.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human sizes ({@code 64MiB}, {@code 512k}, {@code 1048576}) and durations ({@code 1s}, {@code 250ms}). */
public final class Units {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|)");

    private Units() {
    }

    /** Bytes in {@code text}; binary (KiB, k) and decimal (KB) units; no unit means bytes. */
    public static long parseSize(String field, String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new ConfigException(field, "'" + text + "' is not a size (e.g. 64MiB, 512KiB, 1048576)");
        }
        long n = Long.parseLong(m.group(1));
        long unit;
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b":
                unit = 1;
                break;
            case "k", "kib":
                unit = 1L << 10;
                break;
            case "m", "mib":
                unit = 1L << 20;
                break;
            case "g", "gib":
                unit = 1L << 30;
                break;
            case "kb":
                unit = 1_000L;
                break;
            case "mb":
                unit = 1_000_000L;
                break;
            case "gb":
                unit = 1_000_000_000L;
                break;
            default:
                throw new ConfigException(field, "'" + text
                    + "' has an unknown size unit (B, KiB, MiB, GiB, KB, MB, GB)");
        }
        return Math.multiplyExact(n, unit);
    }

    /** The duration in {@code text}: ms, s, m, h; a bare number means seconds. */
    public static Duration parseDuration(String field, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new ConfigException(field, "'" + text + "' is not a duration (e.g. 1s, 250ms, 2m)");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                return Duration.ofSeconds(n);
        }
    }

    /** {@code bytes} as a short human string (e.g. {@code 64MiB}). */
    public static String formatSize(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        double v = bytes;
        while (Math.abs(v) >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + units[i];
    }
}
