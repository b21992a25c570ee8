package io.ncp.middlebox.proto.pg;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Numbers a PostgreSQL session's requests as the server answers them, from the messages {@link PgRequestFramer}
 * found: a Query ('Q') and a FunctionCall ('F') each get one ReadyForQuery, and so does a Sync ('S'), except a Sync
 * the server ignores because it reached it in copy-in mode (libpq sends Execute + Sync for a COPY FROM STDIN sent with
 * the extended protocol, then CopyData..., CopyDone and another Sync: the first one is ignored, so the second one takes
 * its number, which is told again). Each request is named by the first words of its SQL: a Query's, or for a Sync the
 * first statement its group parsed or bound (named statements are remembered from their Parse, at most
 * {@link #STATEMENTS}, the least recently used forgotten first), and marked noisy when any of that SQL calls a
 * per-server function ({@link PgNoise}). Not thread-safe (its framer's).
 */
final class PgRequestNumbers {

    /** Named prepared statements remembered. */
    static final int STATEMENTS = 1024;

    private final PgRequestFramer.Listener listener;
    private final Map<String, Statement> statements = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Statement> e) {
            return size() > STATEMENTS;
        }
    };
    private long number;
    /** An Execute came since the last Query or copy. */
    private boolean executed;
    /** Syncs numbered since that Execute (the server ignores them if it entered copy-in mode there). */
    private int pendingSyncs;
    private boolean firstSyncNoisy;
    private String firstSyncName;
    private boolean inCopy;
    private boolean groupNoisy;
    private String groupName;

    /** A statement's noise and name, from its Parse. */
    private record Statement(boolean noisy, String name) {
    }

    PgRequestNumbers(PgRequestFramer.Listener listener) {
        this.listener = listener;
    }

    /** A Query of {@code sql} ended at stream offset {@code end}. */
    void query(String sql, long end) {
        reset();
        number++;
        listener.request(number, PgNoise.noisy(sql), PgNoise.name(sql), end);
    }

    /** A FunctionCall ended. */
    void functionCall(long end) {
        reset();
        number++;
        listener.request(number, false, "function call", end);
    }

    /** A simple-protocol request: the extended protocol's state starts over. */
    private void reset() {
        executed = false;
        pendingSyncs = 0;
        inCopy = false;
        groupNoisy = false;
        groupName = null;
    }

    /** A Parse of {@code sql} as statement {@code name} ("" : the unnamed one). */
    void parse(String name, String sql) {
        Statement s = new Statement(PgNoise.noisy(sql), PgNoise.name(sql));
        statements.put(name, s);
        join(s);
    }

    /** A Bind of statement {@code name}. */
    void bind(String name) {
        Statement s = statements.get(name);
        if (s != null) {
            join(s);
        }
    }

    /** A Close of statement {@code name}. */
    void close(String name) {
        statements.remove(name);
    }

    private void join(Statement s) {
        groupNoisy |= s.noisy();
        if (groupName == null) {
            groupName = s.name();
        }
    }

    /** An Execute. */
    void execute() {
        executed = true;
        pendingSyncs = 0;
    }

    /** A Sync ended at {@code end}. */
    void sync(long end) {
        if (inCopy) {
            return; // ignored by the server in copy-in mode
        }
        if (executed && pendingSyncs == 0) {
            firstSyncNoisy = groupNoisy;
            firstSyncName = groupName;
        }
        if (executed) {
            pendingSyncs++;
        }
        number++;
        listener.request(number, groupNoisy, groupName != null ? groupName : "sync", end);
        groupNoisy = false;
        groupName = null;
    }

    /** A Flush ended at {@code end}: reported unless in copy-in mode (where the server ignores it). */
    void flush(long end) {
        if (!inCopy) {
            listener.flush(end);
        }
    }

    /**
     * CopyData ('d'), CopyDone ('c') or CopyFail ('f'): the first one after an Execute means the server entered
     * copy-in mode there, so the Syncs numbered since that Execute were ignored; the next Sync outside copy-in mode
     * ends that reply instead.
     */
    void copy(byte type) {
        if (!inCopy && executed && pendingSyncs > 0) {
            number -= pendingSyncs;
            groupNoisy = firstSyncNoisy;
            groupName = firstSyncName;
        }
        pendingSyncs = 0;
        executed = false;
        inCopy = type == 'd';
    }
}
