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

    /** Where the default directory comes from, when set: {@code $NCP_JOURNAL_DIR} (tests, containers). */
    public static final String DIR_ENV = "NCP_JOURNAL_DIR";

    /** The default: {@code $NCP_JOURNAL_DIR} or else {@code ~/.ncp/journal}, 1 GiB, fsync at most every second. */
    public static JournalConfig defaults() {
        String env = System.getenv(DIR_ENV);
        return new JournalConfig(env != null && !env.isBlank() ? Path.of(env) : homeDir(), DEFAULT_MAX_BYTES,
            FsyncPolicy.DEFAULT);
    }

    /** {@code ~/.ncp/journal}. */
    public static Path homeDir() {
        return Path.of(System.getProperty("user.home"), ".ncp", "journal");
    }

    /** Where what concerns service {@code service} is kept: {@code <dir>/<service>}, unsafe characters as '_'. */
    public Path serviceDir(String service) {
        return dir.resolve(fileName(service));
    }

    /** Where what concerns replica {@code replica} ({@code host:port}) of {@code service} is kept. */
    public Path replicaDir(String service, String replica) {
        return serviceDir(service).resolve(fileName(replica));
    }

    private static String fileName(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** A copy in {@code directory}. */
    public JournalConfig at(Path directory) {
        return new JournalConfig(directory, maxBytes, fsync);
    }
}
