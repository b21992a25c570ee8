package io.ncp.middlebox.service;

/**
 * Whether a backend (the primary) can be reached, from the outcomes of the connections made to it: UP after a
 * success, DOWN after a failure, with the time and reason of the last change. Updated from any front loop (rare
 * transitions under the monitor; reads are volatile).
 */
public final class BackendHealth {

    /** Reachability. */
    public enum State {
        UP, DOWN
    }

    private volatile State state = State.UP;
    private volatile long sinceMillis = System.currentTimeMillis();
    private volatile String reason = "no connection tried yet";

    public State state() {
        return state;
    }

    /** Wall-clock time of the last change. */
    public long sinceMillis() {
        return sinceMillis;
    }

    /** Why it is in its state. */
    public String reason() {
        return reason;
    }

    /** A connection to it succeeded. */
    public synchronized void connected() {
        if (state != State.UP) {
            state = State.UP;
            sinceMillis = System.currentTimeMillis();
        }
        reason = "connected";
    }

    /** A connection to it failed ({@code why}). */
    public synchronized void failed(String why) {
        if (state != State.DOWN) {
            state = State.DOWN;
            sinceMillis = System.currentTimeMillis();
        }
        reason = why;
    }
}
