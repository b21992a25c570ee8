package io.ncp.middlebox.config;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Host name resolution and local-address questions for configuration checks, with errors naming the field. */
public final class Addresses {

    private Addresses() {
    }

    /**
     * Every address {@code host} resolves to.
     *
     * @throws ConfigException naming {@code field} when the host does not resolve
     */
    public static List<InetAddress> resolve(String field, String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new ConfigException(field, "'" + host + "' does not resolve to an address (unknown host)");
        } catch (SecurityException | IllegalArgumentException e) {
            throw new ConfigException(field, "'" + host + "' is not a valid host: " + e.getMessage());
        }
    }

    /** Whether a connection to {@code a} ends on this machine (loopback, wildcard or an interface's address). */
    public static boolean isLocal(InetAddress a) {
        return a.isLoopbackAddress() || a.isAnyLocalAddress() || interfaceAddresses().contains(a);
    }

    /** The addresses of this machine's interfaces (empty when they cannot be listed). */
    static Set<InetAddress> interfaceAddresses() {
        Set<InetAddress> all = new HashSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                all.addAll(Collections.list(nif.getInetAddresses()));
            }
        } catch (SocketException e) {
            return Set.of();
        }
        return all;
    }
}
