package io.ncp.middlebox.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which listen addresses and backends (primaries, replicas) a service created or replaced through the admin API may
 * use: without it, anyone who can reach the admin API could make the middlebox an open relay to any host, or add a
 * replica that receives a copy of every client byte. Services in the config file itself are trusted.
 *
 * @param listen   ranges a service's listen address must lie in (every address its host resolves to)
 * @param backends ranges every primary and replica address must lie in
 * @param derived  true when the list was derived from the config file's own services (no {@code allow} section)
 */
public record AllowList(List<AddressRange> listen, List<AddressRange> backends, boolean derived) {

    public AllowList {
        listen = List.copyOf(listen);
        backends = List.copyOf(backends);
    }

    /**
     * The default: exactly the addresses and ports the config's own services use (their listen hosts with any port,
     * since a replacement may move a service to another port of the same address).
     */
    public static AllowList derivedFrom(List<ServiceConfig> services) {
        Set<AddressRange> listen = new LinkedHashSet<>();
        Set<AddressRange> backends = new LinkedHashSet<>();
        for (ServiceConfig s : services) {
            if (s.listen() != null) {
                for (InetAddress a : Addresses.resolve("listen", s.listen().host())) {
                    listen.add(AddressRange.exact(a, 0));
                }
            }
            for (HostPort b : s.backends()) {
                for (InetAddress a : Addresses.resolve("backend", b.host())) {
                    backends.add(AddressRange.exact(a, b.port()));
                }
            }
        }
        return new AllowList(new ArrayList<>(listen), new ArrayList<>(backends), true);
    }

    /**
     * Checks a service arriving through the admin API; {@code field} prefixes error fields (e.g. {@code service}).
     *
     * @throws ConfigException naming the first address outside the list
     */
    public void check(String field, ServiceConfig s) {
        if (s.listen() != null) {
            require(field + ".listen", s.listen(), listen, "allow.listen");
        }
        require(field + ".primary", s.primary(), backends, "allow.backends");
        for (int i = 0; i < s.replicas().size(); i++) {
            require(field + ".replicas[" + i + "].address", s.replicas().get(i).address(), backends,
                "allow.backends");
        }
        if (s.failover() != null && s.failover().voterTokenFile() != null) {
            throw new ConfigException(field + ".failover.voterTokenFile", "a service created through the admin API may "
                + "not name a token file (its first line would be sent to the voters); name it in the config file, or "
                + "leave it out: the voters then get this middlebox's own admin token");
        }
    }

    /**
     * Checks an address this middlebox is asked to probe for a peer's vote ({@code POST /vote}).
     *
     * @throws ConfigException naming {@code field} when {@code hp} (any address it resolves to) is outside
     *                         {@code backends}
     */
    public void checkBackend(String field, HostPort hp) {
        require(field, hp, backends, "allow.backends");
    }

    private void require(String field, HostPort hp, List<AddressRange> ranges, String setting) {
        for (InetAddress a : Addresses.resolve(field, hp.host())) {
            if (ranges.stream().noneMatch(r -> r.contains(a, hp.port()))) {
                throw new ConfigException(field, "'" + hp + "' (" + a.getHostAddress() + ") is not in the middlebox's "
                    + setting + " (" + describe(ranges) + (derived ? "; derived from the config file's services, "
                    + "widen it with an allow section" : "") + ")");
            }
        }
    }

    private static String describe(List<AddressRange> ranges) {
        if (ranges.isEmpty()) {
            return "empty";
        }
        List<String> parts = new ArrayList<>();
        for (AddressRange r : ranges) {
            parts.add(r.toString());
        }
        return String.join(", ", parts);
    }
}
