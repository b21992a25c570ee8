package io.ncp.middlebox.view;

import io.ncp.middlebox.config.Units;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.CaptureStats;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.middlebox.stats.ServiceStats;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one-line terminal report: per service sessions, throughput since the last line, and per replica its state,
 * lag (queued bytes, and the seconds they take at the rate the replica took bytes since the last line),
 * damaged/missed copies, divergences and (once any) session-order waits: copies/total time. {@link #LEGEND} names
 * every field. Called from one reporting thread.
 */
public final class StatsLine {

    /** What every field of the line means (also in {@code run --help}). */
    public static final String LEGEND_TEXT = "sess OPEN/TOTAL sessions; in/out: client->primary and primary->client "
        + "rate since the last line; [REPLICA HEALTH(UP/DOWN) CONSISTENCY(IN_SYNC/CATCHING_UP/RESYNCING/STALE) lag "
        + "QUEUED/TIME (bytes queued for it, and how long they take at the rate it took bytes since the last line; "
        + "inf: none taken) div DIVERGENT/COMPARED (session copies whose answers differed from the primary's / "
        + "compared to the end) dmg DAMAGED (copies that lost bytes) miss MISSED (sessions skipped while it was down) "
        + "stalled N (copies dropped: it stopped reading) wait N/TIME (copies that waited for earlier-ended sessions "
        + "to finish there, total wait)]; only when non-zero: pfail (primary connect failures), refused (clients "
        + "refused: maxSessions or descriptors), ringfull (sessions whose copies a full ring damaged or skipped), "
        + "gaps/midstream (mirror: capture gaps, flows seen mid-stream)";
    /** The legend as printed once before the first line. */
    public static final String LEGEND = "ncp legend: " + LEGEND_TEXT;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Middlebox middlebox;
    private final Map<String, long[]> last = new HashMap<>();
    private final Map<String, Long> lastSent = new HashMap<>();
    private long lastNanos = System.nanoTime();

    public StatsLine(Middlebox middlebox) {
        this.middlebox = middlebox;
    }

    /** The next line (rates relative to the previous call). */
    public String next() {
        long now = System.nanoTime();
        double secs = Math.max(1e-3, (now - lastNanos) / 1e9);
        lastNanos = now;
        StringBuilder sb = new StringBuilder("ncp ").append(LocalTime.now().format(TIME));
        for (ServiceRuntime svc : middlebox.services()) {
            ServiceStats st = svc.stats();
            long in = st.bytesIn.sum();
            long out = st.bytesOut.sum();
            long[] prev = last.getOrDefault(svc.name(), new long[2]);
            last.put(svc.name(), new long[] {in, out});
            sb.append(" | ").append(svc.name()).append(": sess ").append(st.active.sum()).append('/')
                .append(st.sessions.sum())
                .append(" in ").append(rate((in - prev[0]) / secs))
                .append(" out ").append(rate((out - prev[1]) / secs));
            if (st.primaryFailures.sum() > 0) {
                sb.append(" pfail ").append(st.primaryFailures.sum());
            }
            if (st.refused.sum() > 0) {
                sb.append(" refused ").append(st.refused.sum());
            }
            if (st.ringFull.sum() + st.ringMissed.sum() > 0) {
                sb.append(" ringfull ").append(st.ringFull.sum() + st.ringMissed.sum());
            }
            if (st.ringThrottled.sum() > 0) {
                sb.append(" throttled ").append(st.ringThrottled.sum());
            }
            if (st.captureGaps.sum() + st.midstream.sum() > 0) {
                sb.append(" gaps ").append(st.captureGaps.sum()).append(" midstream ").append(st.midstream.sum());
            }
            for (ReplicaTarget r : svc.replicas()) {
                ReplicaStats rs = r.stats();
                sb.append(" [").append(r.label()).append(' ').append(r.health().state()).append(' ')
                    .append(r.consistency().state())
                    .append(" lag ").append(Units.formatSize(rs.backlogBytes.sum())).append('/')
                    .append(lagTime(svc.name() + ' ' + r.label(), rs, secs))
                    .append(" div ").append(rs.divergent.sum()).append('/').append(rs.compared.sum())
                    .append(" dmg ").append(rs.damaged.sum())
                    .append(" miss ").append(rs.missed.sum());
                if (rs.stalled.sum() > 0) {
                    sb.append(" stalled ").append(rs.stalled.sum());
                }
                if (rs.orderWaits.sum() > 0) {
                    sb.append(" wait ").append(rs.orderWaits.sum()).append('/')
                        .append(rs.orderWaitNanos.sum() / 1_000_000).append("ms");
                }
                sb.append(']');
            }
        }
        CaptureStats capture = middlebox.capture();
        if (capture != null) {
            sb.append(" | ").append(capture.line());
        }
        return sb.toString();
    }

    /** The backlog's time to drain at the rate the replica took bytes since the last line. */
    private String lagTime(String key, ReplicaStats rs, double secs) {
        long sent = rs.bytesSent.sum();
        Long before = lastSent.put(key, sent);
        long backlog = rs.backlogBytes.sum();
        if (backlog == 0) {
            return "0s";
        }
        if (before == null) {
            return "?";
        }
        double rate = (sent - before) / secs;
        if (rate <= 0) {
            return "inf";
        }
        double s = backlog / rate;
        return s < 1 ? String.format(Locale.ROOT, "%.0fms", s * 1000) : String.format(Locale.ROOT, "%.1fs", s);
    }

    /** {@code bytesPerSecond} as a bit rate ({@code 1.2Mb/s}). */
    public static String rate(double bytesPerSecond) {
        double bits = bytesPerSecond * 8;
        if (bits >= 1e9) {
            return String.format(Locale.ROOT, "%.2fGb/s", bits / 1e9);
        }
        if (bits >= 1e6) {
            return String.format(Locale.ROOT, "%.1fMb/s", bits / 1e6);
        }
        return String.format(Locale.ROOT, "%.0fkb/s", bits / 1e3);
    }
}
