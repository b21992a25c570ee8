package io.ncp.onos.planner;

/** TCP and OpenFlow port range checks shared by the value classes. */
final class Ports {

    private Ports() {
    }

    /** Returns {@code port} when it is a TCP port 1..65535, else throws IllegalArgumentException. */
    static int require(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("must be 1..65535, got " + port);
        }
        return port;
    }

    /** Returns {@code port} when it is a physical OpenFlow port number (1..0xffffff00), else throws. */
    static int requireSwitchPort(long port) {
        if (port < 1 || port > 0xffffff00L) {
            throw new IllegalArgumentException("switch port must be >= 1, got " + port);
        }
        return (int) port;
    }
}
