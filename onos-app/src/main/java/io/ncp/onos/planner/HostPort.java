package io.ncp.onos.planner;

/** An IPv4 address and a TCP port, written {@code a.b.c.d:port}. Immutable. */
public final class HostPort {

    private final Ipv4 ip;
    private final int port;

    /**
     * @throws IllegalArgumentException when the port is outside 1..65535
     */
    public HostPort(Ipv4 ip, int port) {
        if (ip == null) {
            throw new IllegalArgumentException("missing IPv4 address");
        }
        this.ip = ip;
        this.port = Ports.require(port);
    }

    /**
     * Parses {@code a.b.c.d:port}.
     *
     * @throws IllegalArgumentException when malformed
     */
    public static HostPort parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing address (a.b.c.d:port)");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not an address a.b.c.d:port: '" + text + "'");
        }
        String port = text.substring(colon + 1).trim();
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        return new HostPort(Ipv4.parse(text.substring(0, colon)), Integer.parseInt(port));
    }

    /** The address. */
    public Ipv4 ip() {
        return ip;
    }

    /** The TCP port, 1..65535. */
    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostPort && ((HostPort) o).ip.equals(ip) && ((HostPort) o).port == port;
    }

    @Override
    public int hashCode() {
        return ip.hashCode() * 31 + port;
    }

    @Override
    public String toString() {
        return ip + ":" + port;
    }
}
