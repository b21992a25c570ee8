package io.ncp.onos.planner;

import java.util.Objects;

/** One switch of a route: packets enter {@code switchName} on {@code inPort} and leave on {@code outPort}. */
public final class Hop {

    private final String switchName;
    private final int inPort;
    private final int outPort;

    /** A switch traversal. */
    public Hop(String switchName, int inPort, int outPort) {
        this.switchName = Objects.requireNonNull(switchName, "switchName");
        this.inPort = inPort;
        this.outPort = outPort;
    }

    /** The switch. */
    public String switchName() {
        return switchName;
    }

    /** Input port. */
    public int inPort() {
        return inPort;
    }

    /** Output port. */
    public int outPort() {
        return outPort;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hop && ((Hop) o).switchName.equals(switchName) && ((Hop) o).inPort == inPort
                && ((Hop) o).outPort == outPort;
    }

    @Override
    public int hashCode() {
        return Objects.hash(switchName, inPort, outPort);
    }

    @Override
    public String toString() {
        return inPort + ">" + switchName + ">" + outPort;
    }
}
