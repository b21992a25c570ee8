package io.ncp.rubis.workload;

import io.ncp.rubis.stats.LatencyRecorder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One emulated RUBiS client: its own JDBC connection, its own random stream, walking the transition table
 * until the deadline, with an optional exponentially distributed think time between pages. Latencies of
 * pages that end after the warm-up are recorded in its own {@link LatencyRecorder} (read by the caller
 * only after {@link #run()} returns).
 */
public final class EmulatedClient implements Runnable {

    private final String jdbcUrl;
    private final TransitionTable table;
    private final ClientState state;
    private final LatencyRecorder recorder;
    private final long measureFromNanos;
    private final long deadlineNanos;
    private final double thinkMillis;
    private final LongSupplier clock;
    private volatile Throwable failure;

    /**
     * @param measureFromNanos  {@link System#nanoTime()} after which pages are recorded (end of warm-up)
     * @param deadlineNanos     {@link System#nanoTime()} at which the client stops
     * @param thinkMillis       mean think time between pages (0 = none)
     */
    public EmulatedClient(String jdbcUrl, TransitionTable table, ClientState state, LatencyRecorder recorder,
                          long measureFromNanos, long deadlineNanos, double thinkMillis) {
        this.jdbcUrl = jdbcUrl;
        this.table = table;
        this.state = state;
        this.recorder = recorder;
        this.measureFromNanos = measureFromNanos;
        this.deadlineNanos = deadlineNanos;
        this.thinkMillis = thinkMillis;
        this.clock = System::nanoTime;
    }

    @Override
    public void run() {
        Interaction page = Interaction.HOME;
        Connection c = null;
        try {
            while (clock.getAsLong() < deadlineNanos) {
                if (c == null) {
                    c = DriverManager.getConnection(jdbcUrl);
                }
                long t0 = clock.getAsLong();
                boolean ok = true;
                try {
                    PageRunner.run(page, state, c);
                } catch (SQLException e) {
                    ok = false;
                    if (!c.isValid(5)) {
                        close(c);
                        c = null;
                    }
                }
                long t1 = clock.getAsLong();
                if (t1 >= measureFromNanos && t1 <= deadlineNanos) {
                    recorder.record(page, t1 - t0, ok);
                }
                page = table.next(page, state.random());
                think();
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
        } finally {
            close(c);
        }
    }

    /** The exception that stopped this client early (cannot connect, ...), or null. */
    public Throwable failure() {
        return failure;
    }

    private void think() {
        if (thinkMillis <= 0) {
            return;
        }
        double ms = -thinkMillis * Math.log(1 - state.random().nextDouble());
        try {
            TimeUnit.MICROSECONDS.sleep((long) (ms * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
        }
    }
}
