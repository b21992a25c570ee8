package io.ncp.middlebox.mirror;

import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MirrorConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.replay.reassembly.Endpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the mirrored service (no listen address) whose primary is a flow's server: same port, and the same address
 * unless the primary's host is a wildcard. Looks the services up on every call, so admin changes apply to new flows.
 * Not thread-safe: one per shard loop (it caches host name resolutions).
 */
final class ServiceMatcher {

    private final Middlebox middlebox;
    private final Map<String, InetAddress[]> resolved = new HashMap<>();

    ServiceMatcher(Middlebox middlebox) {
        this.middlebox = middlebox;
    }

    /** The service of a flow with this server, or null. */
    ServiceRuntime match(Endpoint server) {
        List<ServiceRuntime> services = middlebox.services();
        for (ServiceRuntime s : services) {
            HostPort p = s.config().primary();
            if (s.config().listen() == null && p.port() == server.port() && hostMatches(p.host(), server.address())) {
                return s;
            }
        }
        return null;
    }

    private boolean hostMatches(String host, InetAddress address) {
        if (MirrorConfig.isWildcard(host)) {
            return true;
        }
        for (InetAddress a : resolved.computeIfAbsent(host, ServiceMatcher::resolve)) {
            if (a.equals(address)) {
                return true;
            }
        }
        return false;
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return new InetAddress[0];
        }
    }
}
