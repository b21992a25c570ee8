package io.ncp.middlebox.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The config documents' field tree, to check that a {@link ConfigException} names a real field path: every segment
 * but the last names a field (with an index in range, for lists) present in the document; the last names a field
 * the schema has at that place, or is a key the document has there, verbatim (an unknown-field error: such keys may
 * contain dots and brackets, or be empty).
 */
final class ConfigSchema {

    /** A level of the tree: its fields, and the level below each field that has one. */
    private record Level(Set<String> fields, Map<String, Level> children) {
    }

    private static final Level AUTH = new Level(Set.of("user", "passwordFile", "passwordEnv"), Map.of());
    private static final Level REPLICA = new Level(Set.of("address", "bind", "auth"), Map.of("auth", AUTH));
    private static final Level REDIS = new Level(Set.of("noReplay", "notReplicated", "noise"), Map.of());
    static final Level SERVICE = new Level(Set.of("name", "listen", "primary", "mode", "compare", "replicaBacklog",
        "replicas", "sessionOrder", "protocol", "redis", "order"), Map.of("replicas", REPLICA, "redis", REDIS));
    private static final Level MIRROR = new Level(Set.of("interface", "pcap", "filter", "snaplen", "bufferSize",
        "queuePackets", "idleTimeout", "drainTimeout"), Map.of());
    static final Level TOP = new Level(Set.of("threads", "ringSize", "ringBytes", "admin", "statsInterval",
        "replicaLoop", "connectTimeout", "tcpCongestion", "services", "mirror"),
        Map.of("services", SERVICE, "mirror", MIRROR));
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)(?:\\[(\\d+)])?");

    private ConfigSchema() {
    }

    /**
     * Asserts that {@code e} names a field of {@code doc} as {@code root} sees it: {@code rootName} alone (the
     * document as a whole), or a path below it.
     *
     * @param rootName "config" for whole documents, "service" for the admin API's service bodies
     * @param doc the parsed document, or null when it does not parse
     */
    static void assertNamesAField(ConfigException e, String rootName, Level root, JsonNode doc) {
        String field = e.field();
        assertThat(e.getMessage()).startsWith(field + ": ");
        if (field.equals(rootName)) {
            return;
        }
        assertThat(doc).as("'" + field + "' names a field, but the document does not parse: " + e.getMessage())
            .isNotNull();
        String path = field.startsWith(rootName + ".") && root == SERVICE ? field.substring(rootName.length() + 1)
            : field;
        String[] segments = path.split("\\.", -1);
        Level level = root;
        JsonNode node = doc;
        for (int i = 0; i < segments.length; i++) {
            String rest = String.join(".", Arrays.copyOfRange(segments, i, segments.length));
            if (node != null && node.isObject() && node.has(rest)) {
                return; // a key of the document, named as it is
            }
            Matcher m = SEGMENT.matcher(segments[i]);
            assertThat(m.matches()).as("'" + field + "' is not a field path (" + e.getMessage() + ")").isTrue();
            String name = m.group(1);
            boolean last = i == segments.length - 1;
            boolean known = level != null && level.fields().contains(name);
            boolean present = node != null && node.isObject() && node.has(name);
            assertThat(last ? known || present : known && present)
                .as("'" + field + "' names no field of the document (" + e.getMessage() + ")").isTrue();
            JsonNode child = present ? node.get(name) : null;
            if (m.group(2) != null) {
                int index = Integer.parseInt(m.group(2));
                assertThat(child != null && child.isArray() && index < child.size())
                    .as("'" + field + "': no element " + index + " (" + e.getMessage() + ")").isTrue();
                child = child.get(index);
            }
            node = child;
            level = level == null ? null : level.children().get(name);
        }
    }
}
