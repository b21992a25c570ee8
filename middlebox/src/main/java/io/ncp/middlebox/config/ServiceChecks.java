package io.ncp.middlebox.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Checks of a service that need the network's view (DNS, local addresses), made before it is started: every host
 * resolves, and no backend is the middlebox itself. A primary or replica equal to the service's own listen address
 * (or to another listener of this middlebox) makes every session open another one through the middlebox until the
 * process runs out of descriptors; a replica equal to the primary doubles every write on it.
 */
public final class ServiceChecks {

    /**
     * How a service's fields are named in errors.
     *
     * @param listen  the listen address's field
     * @param primary the primary's field
     * @param replica replica {@code i}'s address field
     * @param bind    replica {@code i}'s bind address field
     */
    public record Fields(String listen, String primary, IntFunction<String> replica, IntFunction<String> bind) {

        /** Config file / admin JSON names under {@code prefix} (e.g. {@code services[0]}, {@code service}). */
        public static Fields under(String prefix) {
            return new Fields(prefix + ".listen", prefix + ".primary", i -> prefix + ".replicas[" + i + "].address",
                i -> prefix + ".replicas[" + i + "].bind");
        }

        /** Command-line flag names. */
        public static Fields cli() {
            return new Fields("--listen", "--primary", i -> "--replica[" + i + "]", i -> "--replica[" + i + "]");
        }
    }

    private ServiceChecks() {
    }

    /**
     * Checks {@code s}.
     *
     * @param otherListeners addresses this middlebox already listens on for other services (may be empty)
     * @throws ConfigException naming the field of the first problem
     */
    public static void check(ServiceConfig s, Fields f, Collection<InetSocketAddress> otherListeners) {
        List<InetAddress> listen = s.listen() == null ? List.of() : Addresses.resolve(f.listen(), s.listen().host());
        List<InetAddress> primary = Addresses.resolve(f.primary(), s.primary().host());
        notTheMiddlebox(f.primary(), s.primary(), primary, s, listen, otherListeners);
        for (int i = 0; i < s.replicas().size(); i++) {
            ReplicaConfig r = s.replicas().get(i);
            String field = f.replica().apply(i);
            List<InetAddress> addrs = Addresses.resolve(field, r.address().host());
            notTheMiddlebox(field, r.address(), addrs, s, listen, otherListeners);
            if (sameEndpoint(addrs, r.address().port(), primary, s.primary().port())) {
                throw new ConfigException(field, "'" + r.address() + "' is the primary (" + s.primary() + "): a "
                    + "replica must be another server");
            }
            for (int j = 0; j < i; j++) {
                HostPort other = s.replicas().get(j).address();
                if (sameEndpoint(addrs, r.address().port(), Addresses.resolve(field, other.host()), other.port())) {
                    throw new ConfigException(field, "'" + r.address() + "' is replica " + j + " (" + other
                        + ") again");
                }
            }
            if (r.bind() != null) {
                Addresses.resolve(f.bind().apply(i), r.bind());
            }
        }
    }

    private static void notTheMiddlebox(String field, HostPort target, List<InetAddress> addrs, ServiceConfig s,
            List<InetAddress> listen, Collection<InetSocketAddress> otherListeners) {
        if (s.listen() != null && s.listen().port() != 0 && target.port() == s.listen().port()
                && reaches(addrs, listen)) {
            throw new ConfigException(field, "'" + target + "' is the service's own listen address (" + s.listen()
                + "): every session would loop through the middlebox");
        }
        for (InetSocketAddress l : otherListeners) {
            if (target.port() == l.getPort() && reaches(addrs, List.of(l.getAddress()))) {
                throw new ConfigException(field, "'" + target + "' is a listen address of this middlebox ("
                    + l.getAddress().getHostAddress() + ":" + l.getPort() + "): sessions would loop through it");
            }
        }
    }

    /** Whether a connection to one of {@code targets} would arrive at a listener bound to one of {@code bound}. */
    private static boolean reaches(List<InetAddress> targets, List<InetAddress> bound) {
        for (InetAddress b : bound) {
            for (InetAddress t : targets) {
                if (b.isAnyLocalAddress() ? Addresses.isLocal(t) : b.equals(t) || t.isAnyLocalAddress() && Addresses
                    .isLocal(b)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameEndpoint(List<InetAddress> a, int aPort, List<InetAddress> b, int bPort) {
        if (aPort != bPort) {
            return false;
        }
        for (InetAddress x : a) {
            for (InetAddress y : b) {
                if (x.equals(y) || x.isLoopbackAddress() && y.isAnyLocalAddress()
                    || y.isLoopbackAddress() && x.isAnyLocalAddress()) {
                    return true;
                }
            }
        }
        return false;
    }
}
