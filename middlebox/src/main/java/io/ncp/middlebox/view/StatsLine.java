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
 * lag (queued bytes), damaged/missed copies, divergences and (once any) session-order waits: copies/total time.
 * Called from one reporting thread.
 */
public final class StatsLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Middlebox middlebox;
    private final Map<String, long[]> last = new HashMap<>();
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
            if (st.captureGaps.sum() + st.midstream.sum() > 0) {
                sb.append(" gaps ").append(st.captureGaps.sum()).append(" midstream ").append(st.midstream.sum());
            }
            for (ReplicaTarget r : svc.replicas()) {
                ReplicaStats rs = r.stats();
                sb.append(" [").append(r.label()).append(' ').append(r.health().state()).append(' ')
                    .append(r.consistency().state())
                    .append(" lag ").append(Units.formatSize(rs.backlogBytes.sum()))
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

    private static String rate(double bytesPerSecond) {
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
