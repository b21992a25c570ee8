package io.ncp.middlebox.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.middlebox.stats.ServiceStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last minutes of a middlebox's throughput and replica lag, sampled at a fixed interval (the admin server samples
 * every {@link #INTERVAL_MILLIS} ms and keeps {@link #KEEP} samples: 5 minutes): what the status page's sparklines
 * draw ({@code GET /stats/history}) and where a replica's lag in seconds comes from: its backlog divided by the
 * bytes it was sent per second over the last {@link #LAG_WINDOW} samples (how long it would take to catch up at
 * that pace; unknown while bytes wait and none were sent). Thread-safe (synchronized; sampled and read on the admin
 * thread).
 */
public final class StatsHistory {

    /** Sampling interval. */
    public static final long INTERVAL_MILLIS = 2000;
    /** Samples kept. */
    public static final int KEEP = 150;
    /** Samples over which a replica's send rate is measured for its lag in seconds. */
    public static final int LAG_WINDOW = 5;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Counters at one instant: per service {in, out, active}, per replica {sent, backlog, divergent}. */
    private record Sample(long atMillis, long nanos, Map<String, long[]> services, Map<String, long[]> replicas) {
    }

    private final Middlebox middlebox;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    public StatsHistory(Middlebox middlebox) {
        this.middlebox = middlebox;
    }

    /** Takes a sample now (dropping the oldest beyond {@link #KEEP}). */
    public synchronized void sample() {
        Map<String, long[]> svcs = new LinkedHashMap<>();
        Map<String, long[]> reps = new LinkedHashMap<>();
        for (ServiceRuntime svc : middlebox.services()) {
            ServiceStats st = svc.stats();
            svcs.put(svc.name(), new long[] {st.bytesIn.sum(), st.bytesOut.sum(), st.active.sum()});
            for (ReplicaTarget r : svc.replicas()) {
                ReplicaStats rs = r.stats();
                reps.put(key(svc.name(), r.label()), new long[] {rs.bytesSent.sum(), rs.backlogBytes.sum(),
                    rs.divergent.sum()});
            }
        }
        samples.add(new Sample(System.currentTimeMillis(), System.nanoTime(), svcs, reps));
        while (samples.size() > KEEP) {
            samples.poll();
        }
    }

    /**
     * The replica's lag in seconds at the last sample: 0 without backlog, {@code +Infinity} when bytes wait and none
     * were sent over the window, NaN when unknown (no sample of it yet, or a backlog in the first sample).
     */
    public synchronized double lagSeconds(String service, String replica) {
        List<Sample> list = new ArrayList<>(samples);
        return lagAt(list, list.size() - 1, key(service, replica));
    }

    private static double lagAt(List<Sample> list, int i, String key) {
        long[] now = i < 0 ? null : list.get(i).replicas().get(key);
        if (now == null) {
            return Double.NaN;
        }
        if (now[1] == 0) {
            return 0;
        }
        if (i < 1) {
            return Double.NaN;
        }
        int j = Math.max(0, i - LAG_WINDOW);
        long[] then = list.get(j).replicas().get(key);
        while (then == null && j < i - 1) {
            then = list.get(++j).replicas().get(key);
        }
        if (then == null) {
            return Double.NaN;
        }
        double secs = (list.get(i).nanos() - list.get(j).nanos()) / 1e9;
        double rate = (now[0] - then[0]) / Math.max(1e-3, secs);
        return rate <= 0 ? Double.POSITIVE_INFINITY : now[1] / rate;
    }

    /**
     * The {@code /stats/history} document: {@code at} (epoch millis of each sample) and, per service, arrays aligned
     * with it: {@code inBps}/{@code outBps} (bytes per second since the previous sample), {@code active}; per replica
     * {@code backlogBytes}, {@code lagSeconds} (null: unknown or not draining) and {@code divergent} (cumulative).
     */
    public synchronized ObjectNode json() {
        List<Sample> list = new ArrayList<>(samples);
        ObjectNode root = JSON.createObjectNode().put("intervalMillis", INTERVAL_MILLIS);
        ArrayNode at = root.putArray("at");
        Map<String, ObjectNode> svcs = new HashMap<>();
        Map<String, ObjectNode> reps = new HashMap<>();
        ObjectNode services = root.putObject("services");
        for (ServiceRuntime svc : middlebox.services()) {
            ObjectNode s = services.putObject(svc.name());
            svcs.put(svc.name(), s);
            ObjectNode rs = s.putObject("replicas");
            for (ReplicaTarget r : svc.replicas()) {
                reps.put(key(svc.name(), r.label()), rs.putObject(r.label()));
            }
        }
        for (int i = 0; i < list.size(); i++) {
            Sample cur = list.get(i);
            Sample prev = i > 0 ? list.get(i - 1) : null;
            at.add(cur.atMillis());
            double secs = prev == null ? 0 : Math.max(1e-3, (cur.nanos() - prev.nanos()) / 1e9);
            for (Map.Entry<String, ObjectNode> e : svcs.entrySet()) {
                long[] v = cur.services().get(e.getKey());
                long[] p = prev == null ? null : prev.services().get(e.getKey());
                rate(series(e.getValue(), "inBps"), v, p, 0, secs);
                rate(series(e.getValue(), "outBps"), v, p, 1, secs);
                ArrayNode active = series(e.getValue(), "active");
                if (v == null) {
                    active.addNull();
                } else {
                    active.add(v[2]);
                }
            }
            for (Map.Entry<String, ObjectNode> e : reps.entrySet()) {
                long[] v = cur.replicas().get(e.getKey());
                ArrayNode backlog = series(e.getValue(), "backlogBytes");
                ArrayNode div = series(e.getValue(), "divergent");
                ArrayNode lag = series(e.getValue(), "lagSeconds");
                if (v == null) {
                    backlog.addNull();
                    div.addNull();
                    lag.addNull();
                    continue;
                }
                backlog.add(v[1]);
                div.add(v[2]);
                double l = lagAt(list, i, e.getKey());
                if (Double.isFinite(l)) {
                    lag.add(Math.round(l * 1000) / 1000.0);
                } else {
                    lag.addNull();
                }
            }
        }
        return root;
    }

    private static ArrayNode series(ObjectNode o, String name) {
        return o.has(name) ? (ArrayNode) o.get(name) : o.putArray(name);
    }

    private static void rate(ArrayNode out, long[] now, long[] prev, int field, double secs) {
        if (now == null || prev == null) {
            out.addNull();
        } else {
            out.add(Math.round(Math.max(0, now[field] - prev[field]) / secs));
        }
    }

    private static String key(String service, String replica) {
        return service + '\u0000' + replica;
    }
}
