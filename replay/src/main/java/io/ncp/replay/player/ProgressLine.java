package io.ncp.replay.player;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** Prints a replay progress line periodically (carriage-return updates on a terminal, lines otherwise). */
final class ProgressLine {

    private final PrintStream out;
    private final long intervalNanos;
    private final ReplayStats stats;
    private final SessionEventSource source;
    private final long start = System.nanoTime();
    private final boolean terminal = System.console() != null;
    private long next;
    private boolean printed;

    ProgressLine(PrintStream out, Duration interval, ReplayStats stats, SessionEventSource source) {
        this.out = out;
        this.intervalNanos = interval.toNanos();
        this.stats = stats;
        this.source = source;
        this.next = start + intervalNanos;
    }

    void maybePrint() {
        if (out == null || intervalNanos <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (now >= next) {
            next = now + intervalNanos;
            print(now);
        }
    }

    void finish() {
        if (out != null && printed && terminal) {
            out.println();
        }
    }

    private void print(long now) {
        double pct = Math.min(100, source.progress() * 100);
        int bars = (int) (pct / 5);
        String line = String.format(Locale.ROOT, "replay %6.1fs [%s%s] %5.1f%%  sessions %d (active %d)  sent %s"
            + "  answers %s  errors %d", (now - start) / 1e9, "#".repeat(bars), ".".repeat(20 - bars), pct,
            stats.started.get(), stats.active.get(), Bytes.format(stats.bytesSent.get()),
            Bytes.format(stats.bytesAnswered.get()), stats.errors.get());
        out.print(terminal ? "\r" + line : line + "\n");
        out.flush();
        printed = true;
    }
}
