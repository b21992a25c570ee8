package io.ncp.middlebox.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One allow-list entry: an address prefix and a port range, written {@code 10.0.0.0/24}, {@code 10.0.0.2:6379},
 * {@code 10.0.0.0/24:7000-7999} or {@code [fd00::]/64:80} (no port: every port; no prefix: the address alone).
 * Addresses are literal IPs, never host names (an allow-list must not depend on DNS).
 *
 * @param network  the prefix's address bytes (4 or 16)
 * @param bits     prefix length
 * @param portLow  lowest allowed port
 * @param portHigh highest allowed port
 */
public record AddressRange(byte[] network, int bits, int portLow, int portHigh) {

    /** The range that holds exactly {@code address} and {@code port} (0: every port). */
    public static AddressRange exact(InetAddress address, int port) {
        byte[] a = address.getAddress();
        return new AddressRange(a, a.length * 8, port == 0 ? 0 : port, port == 0 ? 65535 : port);
    }

    /** Parses {@code text}; errors name {@code field}. */
    public static AddressRange parse(String field, String text) {
        String s = text == null ? "" : text.trim();
        String addressPart = s;
        String portPart = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw bad(field, text);
            }
            String rest = s.substring(close + 1);
            addressPart = s.substring(1, close);
            int colon = rest.indexOf(':');
            String prefix = colon < 0 ? rest : rest.substring(0, colon);
            addressPart += prefix;
            portPart = colon < 0 ? null : rest.substring(colon + 1);
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0) {
                addressPart = s.substring(0, colon);
                portPart = s.substring(colon + 1);
            }
        }
        int slash = addressPart.indexOf('/');
        String ip = slash < 0 ? addressPart : addressPart.substring(0, slash);
        byte[] bytes = literal(field, text, ip);
        int bits = bytes.length * 8;
        if (slash >= 0) {
            bits = number(field, text, addressPart.substring(slash + 1), 0, bytes.length * 8);
        }
        int low = 0;
        int high = 65535;
        if (portPart != null) {
            int dash = portPart.indexOf('-');
            low = number(field, text, dash < 0 ? portPart : portPart.substring(0, dash), 1, 65535);
            high = dash < 0 ? low : number(field, text, portPart.substring(dash + 1), low, 65535);
        }
        return new AddressRange(mask(bytes, bits), bits, low, high);
    }

    /** Whether {@code address:port} lies inside this range. */
    public boolean contains(InetAddress address, int port) {
        byte[] a = address.getAddress();
        if (a.length != network.length || port < portLow || port > portHigh) {
            return false;
        }
        return java.util.Arrays.equals(mask(a, bits), network);
    }

    @Override
    public String toString() {
        String ip;
        try {
            ip = InetAddress.getByAddress(network).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        String addr = network.length == 16 ? "[" + ip + "]" : ip;
        String prefix = bits == network.length * 8 ? "" : "/" + bits;
        String ports = portLow == 0 && portHigh == 65535 ? "" : ":" + portLow + (portHigh == portLow ? ""
            : "-" + portHigh);
        return addr + prefix + ports;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && java.util.Arrays.equals(network, r.network) && bits == r.bits
            && portLow == r.portLow && portHigh == r.portHigh;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + bits * 7 + portLow * 3 + portHigh;
    }

    private static byte[] mask(byte[] a, int bits) {
        byte[] m = a.clone();
        for (int i = 0; i < m.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            m[i] &= (byte) (0xff00 >> keep);
        }
        return m;
    }

    private static byte[] literal(String field, String text, String ip) {
        boolean v4 = ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            && java.util.Arrays.stream(ip.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
        boolean v6 = ip.contains(":") && ip.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            throw new ConfigException(field, "'" + text + "': '" + ip + "' is not an IP address (host names are not "
                + "allowed in an allow-list)");
        }
        try {
            return InetAddress.getByName(ip).getAddress(); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            throw bad(field, text);
        }
    }

    private static int number(String field, String text, String s, int min, int max) {
        try {
            int n = Integer.parseInt(s);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(field, "'" + text + "': '" + s + "' must be a number " + min + ".." + max);
    }

    private static ConfigException bad(String field, String text) {
        return new ConfigException(field, "'" + text + "' is not ADDRESS[/PREFIX][:PORT[-PORT]] (e.g. 10.0.0.0/24, "
            + "10.0.0.2:6379, [fd00::]/64:80)");
    }
}
