package io.ncp.rubis.stats;

import io.ncp.rubis.workload.Interaction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The outcome of a run: throughput over the measured window, the share of read-write pages, and
 * latency percentiles of the pages that issue SQL (static pages are counted in throughput, not latency).
 */
public final class RunSummary {

    private static final String HEADER = "label,clients,seconds,pages,pages_per_s,sql_pages_per_s,write_share,"
        + "errors,lat_mean_ms,lat_p50_ms,lat_p90_ms,lat_p99_ms";

    private final String label;
    private final int clients;
    private final double seconds;
    private final LatencyRecorder all;

    public RunSummary(String label, int clients, double seconds, LatencyRecorder merged) {
        this.label = label;
        this.clients = clients;
        this.seconds = seconds;
        this.all = merged;
    }

    public long pages() {
        long n = 0;
        for (Interaction i : Interaction.values()) {
            n += all.count(i);
        }
        return n;
    }

    public long writes() {
        long n = 0;
        for (Interaction i : Interaction.values()) {
            n += i.readWrite() ? all.count(i) : 0;
        }
        return n;
    }

    public long errors() {
        long n = 0;
        for (Interaction i : Interaction.values()) {
            n += all.errors(i);
        }
        return n;
    }

    public double writeShare() {
        return pages() == 0 ? 0 : (double) writes() / pages();
    }

    public String csvRow() {
        long[] sql = all.sorted(null, true);
        return String.format(Locale.ROOT, "%s,%d,%.1f,%d,%.1f,%.1f,%.4f,%d,%.3f,%.3f,%.3f,%.3f", label, clients,
            seconds, pages(), pages() / seconds, sql.length / seconds, writeShare(), errors(),
            LatencyRecorder.mean(sql) / 1e6, LatencyRecorder.quantile(sql, 0.5) / 1e6,
            LatencyRecorder.quantile(sql, 0.9) / 1e6, LatencyRecorder.quantile(sql, 0.99) / 1e6);
    }

    /** One line for the terminal. */
    public String line() {
        long[] sql = all.sorted(null, true);
        return String.format(Locale.ROOT, "%s: %d clients, %.0f pages/s (%.1f %% read-write), %d errors,"
                + " SQL page latency mean %.2f ms p50 %.2f p90 %.2f p99 %.2f", label, clients, pages() / seconds,
            100 * writeShare(), errors(), LatencyRecorder.mean(sql) / 1e6, LatencyRecorder.quantile(sql, 0.5) / 1e6,
            LatencyRecorder.quantile(sql, 0.9) / 1e6, LatencyRecorder.quantile(sql, 0.99) / 1e6);
    }

    /** Writes the summary row (with header) to {@code csv} and per-page rows to {@code pagesCsv} (if non-null). */
    public void write(Path csv, Path pagesCsv) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            w.println(HEADER);
            w.println(csvRow());
        }
        if (pagesCsv == null) {
            return;
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(pagesCsv, StandardCharsets.UTF_8))) {
            w.println("label,page,kind,count,errors,lat_mean_ms,lat_p50_ms,lat_p90_ms,lat_p99_ms");
            for (Interaction i : Interaction.values()) {
                long[] s = all.sorted(i, false);
                w.println(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%.3f,%.3f,%.3f,%.3f", label, i, i.kind(),
                    s.length, all.errors(i), LatencyRecorder.mean(s) / 1e6, LatencyRecorder.quantile(s, 0.5) / 1e6,
                    LatencyRecorder.quantile(s, 0.9) / 1e6, LatencyRecorder.quantile(s, 0.99) / 1e6));
            }
        }
    }
}
