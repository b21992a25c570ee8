package io.ncp.middlebox.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses a service's {@code protocol} field and its {@code redis} section into a {@link ProtocolConfig}. */
final class ProtocolSection {

    static final String PROTOCOL = "protocol";
    static final String REDIS = "redis";
    private static final Set<String> REDIS_FIELDS = Set.of("noReplay", "notReplicated", "noise");

    private ProtocolSection() {
    }

    /** @param at the service's field path with a trailing dot */
    static ProtocolConfig parse(String at, JsonNode service) {
        Protocol p = service.has(PROTOCOL)
            ? Protocol.parse(at + PROTOCOL, ConfigLoader.text(service, PROTOCOL, at)) : Protocol.BYTES;
        JsonNode redis = service.get(REDIS);
        if (redis == null || redis.isNull()) {
            return p == Protocol.REDIS ? ProtocolConfig.REDIS : ProtocolConfig.BYTES;
        }
        if (p != Protocol.REDIS) {
            throw new ConfigException(at + REDIS, "needs protocol: redis");
        }
        if (!redis.isObject()) {
            throw new ConfigException(at + REDIS, "must be a mapping");
        }
        String r = at + REDIS + ".";
        ConfigLoader.checkFields(r, redis, REDIS_FIELDS);
        return new ProtocolConfig(p,
            patterns(r + "noReplay", redis.get("noReplay"), ProtocolConfig.REDIS_NO_REPLAY),
            patterns(r + "notReplicated", redis.get("notReplicated"), ProtocolConfig.REDIS_NOT_REPLICATED),
            patterns(r + "noise", redis.get("noise"), ProtocolConfig.REDIS_NOISE));
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
