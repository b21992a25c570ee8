package io.ncp.middlebox.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Parses and checks the per-replica {@code auth} settings and the service {@code protocol} they need. */
final class AuthSection {

    private static final Set<String> AUTH = Set.of("user", "passwordFile", "passwordEnv");

    private AuthSection() {
    }

    /**
     * Replica credentials need a protocol that knows how to use them (every such protocol gates lockstep per exchange,
     * which the authentication phase does not disturb); credentials exclude failover.
     */
    static void check(String field, ServiceConfig s) {
        for (int i = 0; i < s.replicas().size(); i++) {
            if (s.replicas().get(i).auth() != null && !s.protocol().replicaAuth()) {
                throw new ConfigException(field + ".replicas[" + i + "].auth", "needs the service's protocol "
                    + "(redis, postgres or mysql): bytes and http replay the client's requests as they are");
            }
            if (s.replicas().get(i).auth() != null && s.failover() != null) {
                throw new ConfigException(field + ".replicas[" + i + "].auth", "cannot be combined with failover "
                    + "yet (a promoted replica would get the clients' credentials for the primary, and a carried "
                    + "session's answers include the primary's authentication)");
            }
        }
    }

    static ReplicaAuth parse(String field, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(field, "must be a mapping with user and passwordFile or passwordEnv");
        }
        String at = field + ".";
        ConfigLoader.checkFields(at, node, AUTH);
        return ReplicaAuth.resolve(field, node.has("user") ? ConfigLoader.text(node, "user", at) : null,
            node.has("passwordFile") ? ConfigLoader.text(node, "passwordFile", at) : null,
            node.has("passwordEnv") ? ConfigLoader.text(node, "passwordEnv", at) : null);
    }
}
