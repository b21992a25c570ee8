package io.ncp.onos.planner;

/**
 * A valid spec cannot be planned on the given topology: a host is missing, there is no path, or the R4 check
 * (primary and replica environments must not share a host) fails. The message says which host/switch.
 */
public class PlanningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A planning failure described by {@code message}. */
    public PlanningException(String message) {
        super(message);
    }
}
