package io.ncp.middlebox.replica.catchup;

import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.LogLimit;
import io.ncp.replay.journal.JournalWriter;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
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

    /**
     * One thread per process for the file work that must not run on a replica loop (fsyncs, deleting drained files;
     * see {@link SpillFile}). Daemon: it never holds the process up.
     */
    private static final Executor BACKGROUND = Executors.newSingleThreadExecutor(
        new DefaultThreadFactory("ncp-journal-io", true));

    /** The process's thread for journal file work off the replica loops. */
    static Executor background() {
        return BACKGROUND;
    }

    private final JournalConfig config;
    private final int shard;
    private final Executor background;
    private final Map<ReplicaTarget, SpillFile> files = new IdentityHashMap<>();
    private long tickFailures;

    public SpillFiles(JournalConfig config, int shard) {
        this(config, shard, BACKGROUND);
    }

    /** @param background where fsyncs and deletes of drained files run (tests pass their own) */
    public SpillFiles(JournalConfig config, int shard, Executor background) {
        this.config = config;
        this.shard = shard;
        this.background = background;
    }

    /** The spill file of replica {@code r} of service {@code service} on this shard. */
    public SpillFile of(String service, ReplicaTarget r) {
        return files.computeIfAbsent(r, t -> new SpillFile(dir(config, service, t).resolve("shard-" + shard
            + ".journal"), config.maxBytes(), config.fsync(), background));
    }

    /**
     * The middlebox is stopping: undelivered spilled records are kept on disk for the next run, which makes their
     * replicas STALE ({@link SpillFile#keepUndelivered}). Call before the copies are aborted.
     */
    public void keepUndelivered() {
        for (SpillFile f : files.values()) {
            f.keepUndelivered();
        }
    }

    /** Applies the fsync interval of every open file. */
    public void tick() {
        for (SpillFile f : files.values()) {
            try {
                f.tick();
            } catch (IOException e) { // sticky: its next append fails too, and drops that copy (STALE)
                if (LogLimit.sparse(++tickFailures)) {
                    LOG.warn("catch-up journal {}: {} (failures so far: {})", f.path(), e.getMessage(), tickFailures);
                }
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
                for (Path p : (Iterable<Path>) list::iterator) {
                    if (p.getFileName().toString().contains(".journal" + SpillFile.RETIRED)) {
                        Files.deleteIfExists(p); // drained (every record delivered), its delete cut short
                        continue;
                    }
                    if (!p.toString().endsWith(".journal")) {
                        continue;
                    }
                    try (JournalWriter w = JournalWriter.open(p, config.fsync())) {
                        JournalWriter.Recovery rec = w.recovery();
                        if (rec.records() > 0 || rec.truncatedBytes() > 0) {
                            String why = "its catch-up journal " + p.getFileName() + " held " + rec.records()
                                + " undelivered record(s) of a previous run" + (rec.truncatedBytes() > 0
                                ? " (a torn tail of " + rec.truncatedBytes() + " bytes truncated, not replayed)" : "");
                            if (!r.consistency().stale(why)) { // already STALE (its consistency file): still say it
                                LOG.warn("{}: replica {}: {}; emptied, never replayed", svc.name(), r.label(), why);
                            }
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
        return config.replicaDir(service, r.label());
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
