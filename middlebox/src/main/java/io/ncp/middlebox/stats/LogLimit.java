package io.ncp.middlebox.stats;

/**
 * Keeps warnings that can repeat per session (overload, refusals, unreachable backends) from flooding the log: the
 * counter that counts the event decides which occurrences are logged. Stateless; any thread.
 */
public final class LogLimit {

    private LogLimit() {
    }

    /** True for the 1st, 2nd, 4th, 8th ... occurrence of something counted by {@code n} (n = the count so far). */
    public static boolean sparse(long n) {
        return n > 0 && Long.bitCount(n) == 1;
    }
}
