package io.ncp.middlebox.config;

import java.net.InetSocketAddress;

/**
 * A {@code host:port} pair as written in configs ({@code 10.0.0.2:6379}, {@code [::1]:80}, {@code localhost:0}).
 * Port 0 means "any free port" where a listener is bound.
 */
public record HostPort(String host, int port) {

    /** Parses {@code text}; {@code field} names the setting in the error. */
    public static HostPort parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(field, "missing host:port");
        }
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new ConfigException(field, "'" + text + "' is not host:port");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(field, "'" + text + "' has a non-numeric port");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(field, "'" + text + "' has port out of range 0..65535");
        }
        return new HostPort(host, port);
    }

    /** An unresolved socket address (resolved at connect/bind time). */
    public InetSocketAddress toAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
