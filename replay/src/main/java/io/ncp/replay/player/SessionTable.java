package io.ncp.replay.player;

import io.ncp.replay.journal.SessionInfo;
import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-session totals of an event stream: endpoints, bytes and gaps per direction, close reasons, time span.
 * Used by {@code inspect} and by replay's first pass (which sessions are damaged; is the input readable).
 */
public final class SessionTable {

    /** What one session amounted to. */
    public static final class Row {
        public final SessionInfo info;
        public final long[] bytes = new long[2];
        public final int[] gaps = new int[2];
        public final long[] gapBytes = new long[2];
        /** Offset of the first gap per direction, -1 if none. */
        public final long[] firstGap = {-1, -1};
        public final CloseReason[] closed = new CloseReason[2];
        public long lastNanos;

        Row(SessionInfo info) {
            this.info = info;
            this.lastNanos = info.startNanos();
        }

        public boolean damaged() {
            return gaps[0] + gaps[1] > 0;
        }
    }

    private final Map<Long, Row> rows = new LinkedHashMap<>();
    private long orphanEvents;

    /** Reads {@code source} to its end (releasing every buffer) and returns the table. */
    public static SessionTable of(SessionEventSource source) throws IOException {
        SessionTable t = new SessionTable();
        SessionEvent e;
        while ((e = source.next()) != null) {
            try {
                t.add(e);
            } finally {
                e.release();
            }
        }
        return t;
    }

    public void add(SessionEvent e) {
        if (e.kind() == SessionEvent.Kind.OPEN) {
            rows.put(e.sessionId(), new Row(e.info()));
            return;
        }
        Row r = rows.get(e.sessionId());
        if (r == null) {
            orphanEvents++;
            return;
        }
        int d = e.direction().ordinal();
        r.lastNanos = Math.max(r.lastNanos, e.timestampNanos());
        switch (e.kind()) {
            case DATA:
                r.bytes[d] += e.length();
                break;
            case GAP:
                if (r.gaps[d]++ == 0) {
                    r.firstGap[d] = e.offset();
                }
                r.gapBytes[d] += e.length();
                break;
            case CLOSE:
            default:
                r.closed[d] = e.reason();
                break;
        }
    }

    public Collection<Row> rows() {
        return rows.values();
    }

    /** Events for sessions never opened (e.g. a journal that starts mid-session). */
    public long orphanEvents() {
        return orphanEvents;
    }

    /** Sessions with a gap in {@code direction}. */
    public Set<Long> damaged(Direction direction) {
        Set<Long> out = new HashSet<>();
        for (Row r : rows.values()) {
            if (r.gaps[direction.ordinal()] > 0) {
                out.add(r.info.sessionId());
            }
        }
        return out;
    }

    public long total(Direction d) {
        long n = 0;
        for (Row r : rows.values()) {
            n += r.bytes[d.ordinal()];
        }
        return n;
    }

    public List<Row> damagedRows() {
        List<Row> out = new ArrayList<>();
        for (Row r : rows.values()) {
            if (r.damaged()) {
                out.add(r);
            }
        }
        return out;
    }
}
