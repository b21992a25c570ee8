package io.ncp.middlebox.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses a service's {@code resync} mapping: {@code snapshot}, {@code restore}, {@code quiet}, ... */
final class ResyncSection {

    private static final Set<String> FIELDS = Set.of("snapshot", "restore", "quiet", "maxPause", "timeout",
        "minInterval");

    private ResyncSection() {
    }

    static ResyncConfig parse(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new ConfigException(field, "must be a mapping with snapshot and restore commands");
        }
        ConfigLoader.checkFields(field + ".", node, FIELDS);
        Duration quiet = duration(field + ".quiet", node.get("quiet"), ResyncConfig.DEFAULT_QUIET);
        Duration maxPause = duration(field + ".maxPause", node.get("maxPause"), ResyncConfig.DEFAULT_MAX_PAUSE);
        Duration timeout = duration(field + ".timeout", node.get("timeout"), ResyncConfig.DEFAULT_TIMEOUT);
        Duration min = duration(field + ".minInterval", node.get("minInterval"), ResyncConfig.DEFAULT_MIN_INTERVAL);
        if (maxPause.isZero() || timeout.isZero()) {
            throw new ConfigException(field + (maxPause.isZero() ? ".maxPause" : ".timeout"), "must be positive");
        }
        if (quiet.compareTo(maxPause) >= 0) {
            throw new ConfigException(field + ".quiet", "'" + quiet.toMillis() + " ms' must be shorter than maxPause ("
                + maxPause.toMillis() + " ms)");
        }
        return new ResyncConfig(command(field + ".snapshot", node.get("snapshot")), command(field + ".restore",
            node.get("restore")), quiet, maxPause, timeout, min, false);
    }

    /**
     * A hook: a non-empty list of strings (argv), one string run by {@code sh -c}, or a mapping {@code {send, expect}}
     * (a request the middlebox sends itself; the escapes of the failover probes).
     */
    private static HookCommand command(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new ConfigException(field, "missing (a command: [program, args...] or a string for sh -c)");
        }
        if (node.isTextual()) {
            String t = node.asText();
            if (t.isBlank()) {
                throw new ConfigException(field, "empty command");
            }
            return HookCommand.command(List.of("sh", "-c", t));
        }
        if (node.isObject()) {
            ConfigLoader.checkFields(field + ".", node, Set.of("send", "expect"));
            if (!node.hasNonNull("send")) {
                throw new ConfigException(field + ".send", "missing (the request to send, e.g. \"BGSAVE\\r\\n\")");
            }
            byte[] send = FailoverSection.unescape(field + ".send", ConfigLoader.scalar(field + ".send",
                node.get("send")));
            if (send.length == 0) {
                throw new ConfigException(field + ".send", "empty request");
            }
            byte[] expect = node.hasNonNull("expect") ? FailoverSection.unescape(field + ".expect",
                ConfigLoader.scalar(field + ".expect", node.get("expect"))) : new byte[0];
            return HookCommand.request(send, expect);
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new ConfigException(field, "must be a non-empty list [program, args...], a string for sh -c or "
                + "{send, expect}");
        }
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            argv.add(ConfigLoader.scalar(field + "[" + i + "]", node.get(i)));
        }
        if (argv.get(0).isBlank()) {
            throw new ConfigException(field + "[0]", "empty program name");
        }
        return HookCommand.command(argv);
    }

    private static Duration duration(String field, JsonNode v, Duration dflt) {
        return v == null || v.isNull() ? dflt : Units.parseDuration(field, ConfigLoader.scalar(field, v));
    }
}
