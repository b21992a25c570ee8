package io.ncp.middlebox.failover;

/**
 * The outcome of one probe of a backend.
 *
 * @param ok      it connected (and answered as expected)
 * @param refused the connection was refused: nothing listens (the process is gone or restarting)
 * @param detail  what happened, for logs ("connected", "connection refused", "no answer within 400 ms", ...)
 */
public record ProbeResult(boolean ok, boolean refused, String detail) {

    static final ProbeResult OK = new ProbeResult(true, false, "answered");

    static ProbeResult failed(String detail) {
        return new ProbeResult(false, false, detail);
    }

    static ProbeResult refused(String detail) {
        return new ProbeResult(false, true, detail);
    }
}
