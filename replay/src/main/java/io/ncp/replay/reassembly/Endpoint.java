package io.ncp.replay.reassembly;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IP address and TCP port. */
public record Endpoint(InetAddress address, int port) {

    /** From raw address bytes (4 or 16); never resolves names. */
    public static Endpoint of(byte[] addr, int length, int port) {
        try {
            byte[] a = new byte[length];
            System.arraycopy(addr, 0, a, 0, length);
            return new Endpoint(InetAddress.getByAddress(a), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + length, e);
        }
    }

    @Override
    public String toString() {
        String host = address.getHostAddress();
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
