package io.ncp.middlebox.failover;

/**
 * The outcome of one probe of a backend.
 *
 * @param ok      it connected (and answered as expected)
 * @param refused the connection was refused: nothing listens (the process is gone or restarting)
 * @param detail  what happened, for logs ("connected", "connection refused", "no answer within 400 ms", ...)
 * @param startedNanos when the probe (its connect) started ({@link System#nanoTime()}; 0 when unknown): an answer
 *                proves the backend alive after that instant, not after the answer arrived
 */
public record ProbeResult(boolean ok, boolean refused, String detail, long startedNanos) {

    ProbeResult(boolean ok, boolean refused, String detail) {
        this(ok, refused, detail, 0);
    }

    /** This result of a probe started at {@code nanos}. */
    ProbeResult startedAt(long nanos) {
        return new ProbeResult(ok, refused, detail, nanos);
    }

    static final ProbeResult OK = new ProbeResult(true, false, "answered");

    static ProbeResult failed(String detail) {
        return new ProbeResult(false, false, detail);
    }

    static ProbeResult refused(String detail) {
        return new ProbeResult(false, true, detail);
    }
}
