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
        long n = number(field, text, m.group(1));
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
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw tooLarge(field, text);
        }
    }

    /** The duration in {@code text}: ms, s, m, h; a bare number means seconds. */
    public static Duration parseDuration(String field, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new ConfigException(field, "'" + text + "' is not a duration (e.g. 1s, 250ms, 2m)");
        }
        long n = number(field, text, m.group(1));
        try {
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
        } catch (ArithmeticException e) {
            throw tooLarge(field, text);
        }
    }

    /** The digits of {@code text}; more than a 64-bit number holds is a {@link ConfigException}. */
    private static long number(String field, String text, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw tooLarge(field, text);
        }
    }

    private static ConfigException tooLarge(String field, String text) {
        return new ConfigException(field, "'" + text + "' is too large");
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
