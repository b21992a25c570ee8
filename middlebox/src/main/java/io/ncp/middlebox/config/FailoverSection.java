package io.ncp.middlebox.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses a service's {@code failover} mapping and the escaped probe strings ({@code \r \n \t \\ \xNN}). */
final class FailoverSection {

    private static final Set<String> FIELDS = Set.of("interval", "timeout", "misses", "send", "expect", "promote",
        "voters", "voterTokenFile", "holdNewSessions");

    private FailoverSection() {
    }

    static FailoverConfig parse(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new ConfigException(field, "must be a mapping (e.g. {send: \"PING\\r\\n\", expect: \"+PONG\"})");
        }
        ConfigLoader.checkFields(field + ".", node, FIELDS);
        FailoverConfig d = FailoverConfig.defaults();
        Duration interval = duration(field + ".interval", node.get("interval"), d.interval());
        Duration timeout = duration(field + ".timeout", node.get("timeout"), d.timeout());
        int misses = ConfigLoader.intField(node, "misses", field + ".", d.misses());
        byte[] send = node.hasNonNull("send") ? unescape(field + ".send", ConfigLoader.scalar(field + ".send",
            node.get("send"))) : null;
        byte[] expect = node.hasNonNull("expect") ? unescape(field + ".expect", ConfigLoader.scalar(field
            + ".expect", node.get("expect"))) : null;
        boolean promote = !node.has("promote") || bool(field + ".promote", node.get("promote"));
        List<String> voters = new ArrayList<>();
        JsonNode list = node.get("voters");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new ConfigException(field + ".voters", "must be a list of admin API URLs");
            }
            for (int i = 0; i < list.size(); i++) {
                String url = ConfigLoader.scalar(field + ".voters[" + i + "]", list.get(i));
                if (!url.matches("https?://[^/\\s]+/?")) {
                    throw new ConfigException(field + ".voters[" + i + "]", "'" + url + "' is not an admin API URL "
                        + "(http(s)://HOST:PORT)");
                }
                voters.add(url);
            }
        }
        String voterToken = node.hasNonNull("voterTokenFile") ? AdminSection.path(field + ".voterTokenFile",
            ConfigLoader.scalar(field + ".voterTokenFile", node.get("voterTokenFile"))).toString() : null;
        Duration hold = duration(field + ".holdNewSessions", node.get("holdNewSessions"), d.holdNewSessions());
        if (misses < 1 || misses > 1000) {
            throw new ConfigException(field + ".misses", "'" + misses + "' must be 1..1000");
        }
        if (expect != null && send == null) {
            throw new ConfigException(field + ".expect", "an expected answer needs something to send (send)");
        }
        if (interval.isZero() || timeout.isZero()) {
            throw new ConfigException(field + (interval.isZero() ? ".interval" : ".timeout"), "must be positive");
        }
        return new FailoverConfig(interval, timeout, misses, send, expect, promote, voters, voterToken, hold);
    }

    private static Duration duration(String field, JsonNode v, Duration dflt) {
        return v == null || v.isNull() ? dflt : Units.parseDuration(field, ConfigLoader.scalar(field, v));
    }

    private static boolean bool(String field, JsonNode v) {
        String t = ConfigLoader.scalar(field, v);
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new ConfigException(field, "'" + t + "' is not true or false");
    }

    /** {@code text} with {@code \r \n \t \0 \\ \xNN} escapes resolved, as bytes (ISO-8859-1). */
    static byte[] unescape(String field, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0xff) {
                throw new ConfigException(field, "'" + text + "' has a character outside ISO-8859-1; write bytes as "
                    + "\\xNN");
            }
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (++i == text.length()) {
                throw new ConfigException(field, "'" + text + "' ends with a lone backslash");
            }
            char e = text.charAt(i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case '\\' -> out.write('\\');
                case 'x' -> {
                    if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                            || Character.digit(text.charAt(i + 2), 16) < 0) {
                        throw new ConfigException(field, "'" + text + "': \\x needs two hex digits");
                    }
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new ConfigException(field, "'" + text + "': unknown escape \\" + e
                    + " (known: \\r \\n \\t \\0 \\\\ \\xNN)");
            }
        }
        if (out.size() == 0) {
            throw new ConfigException(field, "empty");
        }
        return out.toByteArray();
    }
}
