package io.ncp.replay.journal;

import java.time.Duration;

/**
 * When a {@link JournalWriter} forces its file to disk. Appended records first go to a user-space buffer;
 * {@link JournalWriter#flush()} hands them to the OS (they then survive a crash of the process, not of the
 * machine); fsync makes them survive a power loss.
 *
 * @param interval {@code null}: never fsync (only on close); zero: after every record; otherwise at most
 *     this long after a record was appended (checked on append and {@link JournalWriter#tick(long)})
 */
public record FsyncPolicy(Duration interval) {

    public static final FsyncPolicy NEVER = new FsyncPolicy(null);
    public static final FsyncPolicy ALWAYS = new FsyncPolicy(Duration.ZERO);
    /** The default: like Redis' {@code appendfsync everysec}. */
    public static final FsyncPolicy DEFAULT = new FsyncPolicy(Duration.ofSeconds(1));

    /** Parses {@code never}, {@code always}, or an interval such as {@code 100ms}, {@code 1s}. */
    public static FsyncPolicy parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("never")) {
            return NEVER;
        }
        if (t.equals("always") || t.equals("0") || t.equals("0ms")) {
            return ALWAYS;
        }
        try {
            if (t.endsWith("ms")) {
                return new FsyncPolicy(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))));
            }
            if (t.endsWith("s")) {
                return new FsyncPolicy(Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1))
                    * 1000)));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("fsync policy must be never, always or an interval like 100ms or 1s: '"
            + text + "'");
    }

    @Override
    public String toString() {
        return interval == null ? "never" : interval.isZero() ? "always" : interval.toMillis() + "ms";
    }
}
