package io.ncp.middlebox.replica.catchup;

import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.replay.journal.DurableProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each replica's consistency across runs of the middlebox, beside its spill files
 * ({@code <dir>/<service>/<replica>/consistency}), so that a restart never shows a replica IN_SYNC that may have
 * missed bytes:
 * <ul>
 * <li>when a replica joins a service (at start, or through the admin API) the file the last run left is read: a
 *     replica that was not IN_SYNC when that run stopped serving it, or whose last run never stopped cleanly (the
 *     file still names that run), starts STALE with that reason. No file (its first run): nothing changes;</li>
 * <li>while this run serves it, the file names this run: written and forced to disk before the replica's first
 *     session, then rewritten after every transition (on the journal's background thread);</li>
 * <li>when this run stops serving it (a clean stop, the service or the replica removed), the file keeps its last
 *     state without the run's name.</li>
 * </ul>
 * So a crash (kill -9, power loss) leaves every replica the crashed run served STALE at the next start: bytes that
 * run held in memory, in its rings or in socket buffers may never have reached them, and nothing on disk says which
 * did. A clean stop first ends every copy ({@code ReplicaCopy.abort}: a copy cut with bytes still queued makes its
 * replica STALE), then {@link #close()} records the states. Thread-safe.
 */
public final class ConsistencyFiles implements AutoCloseable {

    /** The file's name in the replica's journal directory. */
    public static final String FILE = "consistency";

    private static final Logger LOG = LoggerFactory.getLogger(ConsistencyFiles.class);

    private final JournalConfig config;
    private final Executor background;
    private final String run;
    /** Every replica this run keeps, by its consistency (carried over when a service is replaced). */
    private final Map<ReplicaConsistency, Kept> kept = new IdentityHashMap<>();

    /** Files under {@code config}'s directory, rewritten on the journal's background thread. */
    public ConsistencyFiles(JournalConfig config) {
        this(config, SpillFiles.background(), thisRun());
    }

    /**
     * @param background where the rewrites after transitions run
     * @param run        names this run in the files (a different name found at a join is a run that did not stop)
     */
    ConsistencyFiles(JournalConfig config, Executor background, String run) {
        this.config = config;
        this.background = background;
        this.run = run;
    }

    /** This process: pid and start time. */
    static String thisRun() {
        ProcessHandle me = ProcessHandle.current();
        return "pid " + me.pid() + me.info().startInstant().map(t -> ", started " + t).orElse("");
    }

    /**
     * Keeps the replicas of {@code svc} not kept yet: reads what their last run left (which may make them STALE),
     * then records that this run serves them. Call before the service takes sessions.
     */
    public synchronized void attach(ServiceRuntime svc) {
        for (ReplicaTarget r : svc.replicas()) {
            if (!kept.containsKey(r.consistency())) {
                Kept k = new Kept(SpillFiles.dir(config, svc.name(), r).resolve(FILE), r.consistency());
                k.join();
                kept.put(r.consistency(), k);
            }
        }
    }

    /** Stops keeping the replicas no service of {@code live} has any more: their files keep their last state. */
    public synchronized void retain(Collection<ServiceRuntime> live) {
        Set<ReplicaConsistency> still = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ServiceRuntime s : live) {
            for (ReplicaTarget r : s.replicas()) {
                still.add(r.consistency());
            }
        }
        for (Iterator<Map.Entry<ReplicaConsistency, Kept>> it = kept.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ReplicaConsistency, Kept> e = it.next();
            if (!still.contains(e.getKey())) {
                e.getValue().leave();
                it.remove();
            }
        }
    }

    /** The clean end of this run: every file keeps its replica's last state, without this run's name. */
    @Override
    public synchronized void close() {
        for (Kept k : kept.values()) {
            k.leave();
        }
        kept.clear();
    }

    /** One replica's file while this run serves it. */
    private final class Kept {
        private final Path file;
        private final ReplicaConsistency consistency;
        /** This run no longer serves it: later rewrites are dropped (under this object's monitor). */
        private boolean left;

        Kept(Path file, ReplicaConsistency consistency) {
            this.file = file;
            this.consistency = consistency;
        }

        void join() {
            try {
                String why = verdict(DurableProperties.read(file), file);
                if (why != null) {
                    consistency.stale(why);
                }
            } catch (IOException e) {
                consistency.stale("its consistency file " + file + " could not be read: " + e.getMessage());
            }
            try {
                write(true);
            } catch (IOException e) {
                consistency.stale("its consistency file " + file + " could not be written (" + e.getMessage()
                    + "): a crash of this run could not be told from a clean stop");
            }
            consistency.onChange(() -> background.execute(this::rewrite));
        }

        /** The news of a transition: the file shows the state now (this run's name kept). */
        private synchronized void rewrite() {
            if (left) {
                return;
            }
            try {
                write(true);
            } catch (IOException e) { // a crash still shows as one: the file names this run
                LOG.warn("replica consistency file {}: {}", file, e.toString());
            }
        }

        synchronized void leave() {
            if (left) {
                return;
            }
            left = true;
            consistency.onChange(null);
            try {
                write(false);
            } catch (IOException e) {
                LOG.error("replica consistency file {}: {} (the next run will take this one for a crash and start"
                    + " the replica STALE)", file, e.toString());
            }
        }

        private void write(boolean running) throws IOException {
            Properties p = new Properties();
            p.setProperty("state", consistency.state().name());
            p.setProperty("since", Instant.ofEpochMilli(consistency.sinceMillis()).toString());
            p.setProperty("reason", String.valueOf(consistency.reason()));
            if (running) {
                p.setProperty("run", run);
            }
            DurableProperties.replace(file, p, "NCP: this replica's consistency when the middlebox last served it;"
                + " \"run\" names a run that has not stopped cleanly");
        }
    }

    /** Why a replica whose file holds {@code p} must start STALE, or null when it may start as it joins. */
    String verdict(Properties p, Path file) {
        if (p == null) {
            return null;
        }
        String lastRun = p.getProperty("run");
        String state = p.getProperty("state");
        if (lastRun != null && !lastRun.equals(run)) {
            return "the middlebox run that served it before (" + lastRun + ") did not stop cleanly: bytes that run"
                + " held for it (queued in memory, in its rings, in socket buffers) may never have reached it";
        }
        if (state == null || !isState(state)) {
            return "its consistency file " + file + " holds no valid state (" + state + ")";
        }
        if (!ReplicaConsistency.State.IN_SYNC.name().equals(state)) {
            return "it was " + state + " when the middlebox last stopped serving it (since " + p.getProperty("since")
                + ": " + p.getProperty("reason") + ")";
        }
        return null;
    }

    private static boolean isState(String s) {
        for (ReplicaConsistency.State st : ReplicaConsistency.State.values()) {
            if (st.name().equals(s)) {
                return true;
            }
        }
        return false;
    }
}
