package io.ncp.middlebox.view;

import io.ncp.middlebox.config.Units;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.middlebox.stats.ServiceStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The final table printed when the middlebox stops: per service its primary and each replica, with sessions, bytes,
 * divergent/compared, damaged, dropped, missed, time not IN_SYNC ("lagging time"), order waits and the replica's
 * final state. Reads counters only; any thread (after the middlebox closed: the counters are final).
 */
public final class ExitSummary {

    private static final String[] HEADER = {"service", "backend", "role", "sessions", "bytes", "divergent",
        "damaged", "dropped", "missed", "not in sync", "order waits", "state"};

    private ExitSummary() {
    }

    /** The table of {@code m}'s services now (ends with a newline); {@code uptime}: how long the middlebox ran. */
    public static String render(Middlebox m, Duration uptime) {
        return render(m.services(), uptime);
    }

    /** The table of {@code services} (those a middlebox had when it closed: closing removes them). */
    public static String render(List<ServiceRuntime> services, Duration uptime) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ServiceRuntime svc : services) {
            ServiceStats st = svc.stats();
            String bytes = Units.formatSize(st.bytesIn.sum()) + " in, " + Units.formatSize(st.bytesOut.sum()) + " out";
            String state = svc.primaryHealth().state().name() + (st.resets.sum() > 0 ? ", " + st.resets.sum()
                + " resets" : "") + (svc.failovers().isEmpty() ? "" : ", " + svc.failovers().size() + " failovers");
            rows.add(row(svc.name(), svc.primary().address().toString(), "primary", String.valueOf(st.sessions.sum()),
                bytes, "", "", "", "", "", "", state));
            for (ReplicaTarget r : svc.replicas()) {
                ReplicaStats rs = r.stats();
                String sent = Units.formatSize(rs.bytesSent.sum()) + " sent, "
                    + Units.formatSize(rs.bytesAnswered.sum()) + " answered";
                String waits = rs.orderWaits.sum() + " (" + duration(rs.orderWaitNanos.sum() / 1_000_000) + ")";
                String now = r.health().state() + " " + r.consistency().state()
                    + (r.consistency().inSync() ? "" : ": " + r.consistency().reason());
                rows.add(row(svc.name(), r.label(), "replica", String.valueOf(rs.sessions.sum()), sent,
                    rs.divergent.sum() + "/" + rs.compared.sum(), String.valueOf(rs.damaged.sum()),
                    String.valueOf(rs.lagging.sum() + rs.stalled.sum()), String.valueOf(rs.missed.sum()),
                    duration(r.consistency().notInSyncMillis()), waits, now));
            }
        }
        StringBuilder sb = new StringBuilder("ncp-middlebox: stopped after ").append(duration(uptime.toMillis()))
            .append("; final counters (divergent = session copies whose answers differed / compared; dropped = "
                + "copies dropped because the replica fell behind or stopped reading; missed = sessions skipped "
                + "while it was down; not in sync = time STALE, CATCHING_UP or RESYNCING):\n");
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < row.length; i++) {
                line.append(' ').append(i == row.length - 1 ? row[i] : pad(row[i], width[i])).append(' ');
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String[] row(String... cells) {
        return cells;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    /** e.g. {@code 0s}, {@code 1.2s}, {@code 5m12s}, {@code 2h03m}. */
    static String duration(long millis) {
        if (millis < 60_000) {
            return millis == 0 ? "0s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long s = millis / 1000;
        return s < 3600 ? s / 60 + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s"
            : s / 3600 + "h" + String.format(Locale.ROOT, "%02d", s / 60 % 60) + "m";
    }
}
