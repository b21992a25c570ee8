package io.ncp.rubis.stats;

import io.ncp.rubis.workload.Interaction;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Page latencies (nanoseconds) per interaction, with error counts. Written by one client thread; merged
 * into another recorder by the caller only after that thread has finished.
 */
public final class LatencyRecorder {

    private final Map<Interaction, long[]> samples = new EnumMap<>(Interaction.class);
    private final Map<Interaction, Integer> counts = new EnumMap<>(Interaction.class);
    private final Map<Interaction, Integer> errors = new EnumMap<>(Interaction.class);

    public void record(Interaction page, long nanos, boolean ok) {
        if (!ok) {
            errors.merge(page, 1, Integer::sum);
            return;
        }
        int n = counts.getOrDefault(page, 0);
        long[] a = samples.computeIfAbsent(page, p -> new long[64]);
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
            samples.put(page, a);
        }
        a[n] = nanos;
        counts.put(page, n + 1);
    }

    /** Adds every sample of {@code other} (a finished client's recorder) to this one. */
    public void merge(LatencyRecorder other) {
        for (Map.Entry<Interaction, Integer> e : other.counts.entrySet()) {
            long[] theirs = other.samples.get(e.getKey());
            for (int i = 0; i < e.getValue(); i++) {
                record(e.getKey(), theirs[i], true);
            }
        }
        other.errors.forEach((k, v) -> errors.merge(k, v, Integer::sum));
    }

    public int count(Interaction page) {
        return counts.getOrDefault(page, 0);
    }

    public int errors(Interaction page) {
        return errors.getOrDefault(page, 0);
    }

    /** Sorted latencies of {@code page}, or of every page when {@code page} is null; optionally only SQL pages. */
    public long[] sorted(Interaction page, boolean sqlOnly) {
        long[] all = new long[0];
        for (Map.Entry<Interaction, Integer> e : counts.entrySet()) {
            boolean wanted = page == null ? !sqlOnly || e.getKey().kind() != Interaction.Kind.STATIC
                : e.getKey() == page;
            if (wanted) {
                int from = all.length;
                all = Arrays.copyOf(all, from + e.getValue());
                System.arraycopy(samples.get(e.getKey()), 0, all, from, e.getValue());
            }
        }
        Arrays.sort(all);
        return all;
    }

    /** The q-quantile (0..1) of sorted samples, nearest rank; NaN when empty. */
    public static double quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static double mean(long[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).average().orElse(Double.NaN);
    }
}
