package io.ncp.middlebox.config;

import io.ncp.replay.journal.FsyncPolicy;
import java.nio.file.Path;

/**
 * The catch-up journal: where a replica copy that cannot keep up in memory spills its further bytes (one file per
 * replica and shard), and how much disk it may take.
 *
 * @param dir      directory of the spill files ({@code <dir>/<service>/<replica>/shard-N.journal})
 * @param maxBytes per replica and shard: past it the copy is dropped and the replica is STALE (journal full)
 * @param fsync    when appended records are forced to disk
 */
public record JournalConfig(Path dir, long maxBytes, FsyncPolicy fsync) {

    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    public JournalConfig {
        if (maxBytes < 1) {
            throw new ConfigException("journal.maxBytes", "'" + maxBytes + "' must be positive");
        }
    }

    /** The default: {@code ~/.ncp/journal}, 1 GiB, fsync at most every second. */
    public static JournalConfig defaults() {
        return new JournalConfig(Path.of(System.getProperty("user.home"), ".ncp", "journal"), DEFAULT_MAX_BYTES,
            FsyncPolicy.DEFAULT);
    }

    /** A copy in {@code directory}. */
    public JournalConfig at(Path directory) {
        return new JournalConfig(directory, maxBytes, fsync);
    }
}
