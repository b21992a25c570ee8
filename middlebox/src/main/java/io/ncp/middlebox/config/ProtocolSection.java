package io.ncp.middlebox.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses a service's {@code protocol} field ({@link Protocol}) and its {@code redis} section ({@link RedisPolicy}).
 */
final class ProtocolSection {

    static final String PROTOCOL = "protocol";
    static final String REDIS = "redis";
    static final String ORDER = "order";
    private static final Set<String> REDIS_FIELDS = Set.of("noReplay", "notReplicated", "noise");

    private ProtocolSection() {
    }

    /**
     * {@code s} with the protocol and Redis policy of {@code service}.
     *
     * @param at the service's field path with a trailing dot
     */
    static ServiceConfig parse(String at, JsonNode service, ServiceConfig s) {
        Protocol p = service.has(PROTOCOL)
            ? Protocol.parse(at + PROTOCOL, ConfigLoader.text(service, PROTOCOL, at)) : Protocol.BYTES;
        RedisPolicy policy = redis(at, service, p);
        if (service.has(ORDER)) {
            RequestOrder o = RequestOrder.parse(at + ORDER, ConfigLoader.text(service, ORDER, at));
            if (o == RequestOrder.SERVICE && p != Protocol.REDIS) {
                throw new ConfigException(at + ORDER, "'service' needs protocol: redis (only RESP requests can be "
                    + "sequenced for now)");
            }
            if (o == RequestOrder.SERVICE && s.listen() == null) {
                throw new ConfigException(at + ORDER, "'service' needs an in-path listener (a mirrored service's "
                    + "clients reach the primary directly)");
            }
            policy = policy.withOrder(o);
        }
        return s.withProtocol(p).withRedis(policy);
    }

    private static RedisPolicy redis(String at, JsonNode service, Protocol p) {
        JsonNode redis = service.get(REDIS);
        if (redis == null || redis.isNull()) {
            return RedisPolicy.DEFAULTS;
        }
        if (p != Protocol.REDIS) {
            throw new ConfigException(at + REDIS, "needs protocol: redis");
        }
        if (!redis.isObject()) {
            throw new ConfigException(at + REDIS, "must be a mapping");
        }
        String r = at + REDIS + ".";
        ConfigLoader.checkFields(r, redis, REDIS_FIELDS);
        return new RedisPolicy(
            patterns(r + "noReplay", redis.get("noReplay"), RedisPolicy.REDIS_NO_REPLAY),
            patterns(r + "notReplicated", redis.get("notReplicated"), RedisPolicy.REDIS_NOT_REPLICATED),
            patterns(r + "noise", redis.get("noise"), RedisPolicy.REDIS_NOISE));
    }

    private static List<String> patterns(String field, JsonNode node, List<String> dflt) {
        if (node == null) {
            return dflt;
        }
        if (!node.isArray()) {
            throw new ConfigException(field, "must be a list of commands (one to three words each)");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            String text = v.isTextual() ? v.asText().trim() : "";
            int words = text.isEmpty() ? 0 : text.split("\\s+").length;
            if (words < 1 || words > 3) {
                throw new ConfigException(field + "[" + i + "]", "'" + (v.isTextual() ? v.asText() : v.toString())
                    + "' must be a command of one to three words");
            }
            out.add(text);
        }
        return out;
    }
}
