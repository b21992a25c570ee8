package io.ncp.middlebox.replica.catchup;

import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.replay.journal.JournalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spill files of one shard: one per replica ({@code <dir>/<service>/<replica>/shard-N.journal}), opened when a
 * copy first spills. Confined to the shard's replica loop, except {@link #leftovers}, which runs before the service
 * has sessions.
 */
public final class SpillFiles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpillFiles.class);

    private final JournalConfig config;
    private final int shard;
    private final Map<ReplicaTarget, SpillFile> files = new IdentityHashMap<>();

    public SpillFiles(JournalConfig config, int shard) {
        this.config = config;
        this.shard = shard;
    }

    /** The spill file of replica {@code r} of service {@code service} on this shard. */
    public SpillFile of(String service, ReplicaTarget r) {
        return files.computeIfAbsent(r, t -> new SpillFile(dir(config, service, t).resolve("shard-" + shard
            + ".journal"), config.maxBytes(), config.fsync()));
    }

    /** Applies the fsync interval of every open file. */
    public void tick() {
        for (SpillFile f : files.values()) {
            try {
                f.tick();
            } catch (IOException e) {
                LOG.warn("catch-up journal {}: fsync failed: {}", f.path(), e.toString());
            }
        }
    }

    /**
     * What a previous run of the middlebox left in the spill files of a service it starts: bytes that never reached
     * their replica. Those replicas are STALE (a spill is never resumed by another process: its sessions are gone);
     * the files are emptied. A torn tail is truncated, never replayed.
     */
    public static void leftovers(JournalConfig config, ServiceRuntime svc) {
        for (ReplicaTarget r : svc.replicas()) {
            Path dir = dir(config, svc.name(), r);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> list = Files.list(dir)) {
                for (Path p : (Iterable<Path>) list.filter(f -> f.toString().endsWith(".journal"))::iterator) {
                    try (JournalWriter w = JournalWriter.open(p, config.fsync())) {
                        JournalWriter.Recovery rec = w.recovery();
                        if (rec.records() > 0 || rec.truncatedBytes() > 0) {
                            r.consistency().stale("its catch-up journal " + p.getFileName() + " held " + rec.records()
                                + " undelivered record(s) of a previous run" + (rec.truncatedBytes() > 0
                                ? " (a torn tail of " + rec.truncatedBytes() + " bytes truncated, not replayed)" : ""));
                        }
                        w.reset();
                    }
                }
            } catch (IOException e) {
                r.consistency().stale("its catch-up journal in " + dir + " could not be read: " + e.getMessage());
            }
        }
    }

    static Path dir(JournalConfig config, String service, ReplicaTarget r) {
        return config.dir().resolve(safe(service)).resolve(safe(r.label()));
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    @Override
    public void close() {
        for (SpillFile f : files.values()) {
            try {
                f.close();
            } catch (IOException e) {
                LOG.warn("catch-up journal {}: {}", f.path(), e.toString());
            }
        }
        files.clear();
    }
}
