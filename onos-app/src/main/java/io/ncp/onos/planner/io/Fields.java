package io.ncp.onos.planner.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.ncp.onos.planner.SpecException;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** Typed access to JSON fields that reports problems as {@link SpecException}s naming the field path. */
final class Fields {

    private Fields() {
    }

    /** Path of {@code key} inside the object at {@code path} ("" = root). */
    static String path(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static JsonNode object(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        String p = path(path, key);
        if (n == null || n.isNull()) {
            throw new SpecException(p, "missing");
        }
        if (!n.isObject()) {
            throw new SpecException(p, "must be an object, got " + n.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return n;
    }

    static void requireObject(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new SpecException(path.isEmpty() ? "(root)" : path, "must be an object");
        }
    }

    static JsonNode array(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        String p = path(path, key);
        if (n == null || n.isNull()) {
            throw new SpecException(p, "missing");
        }
        if (!n.isArray()) {
            throw new SpecException(p, "must be a list");
        }
        return n;
    }

    static String text(JsonNode parent, String key, String path) {
        String t = optionalText(parent, key, path);
        if (t == null) {
            throw new SpecException(path(path, key), "missing");
        }
        return t;
    }

    static String optionalText(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw new SpecException(path(path, key), "must be a string, got " + n);
        }
        String t = n.asText().trim();
        if (t.isEmpty()) {
            throw new SpecException(path(path, key), "is empty");
        }
        return t;
    }

    static long integer(JsonNode parent, String key, String path) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            throw new SpecException(path(path, key), "missing");
        }
        return integer(n, path(path, key));
    }

    static long optionalInteger(JsonNode parent, String key, String path, long absent) {
        JsonNode n = parent.get(key);
        return n == null || n.isNull() ? absent : integer(n, path(path, key));
    }

    private static long integer(JsonNode n, String path) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual() && n.asText().trim().matches("-?[0-9]{1,18}")) {
            return Long.parseLong(n.asText().trim());
        }
        throw new SpecException(path, "must be an integer, got " + n);
    }

    static boolean optionalBoolean(JsonNode parent, String key, String path, boolean absent) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual() && ("true".equals(n.asText()) || "false".equals(n.asText()))) {
            return Boolean.parseBoolean(n.asText());
        }
        throw new SpecException(path(path, key), "must be true or false, got " + n);
    }

    /** Parses a value with {@code parser}, turning its IllegalArgumentException into a SpecException at path. */
    static <T> T parse(String text, Function<String, T> parser, String path) {
        try {
            return parser.apply(text);
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage());
        }
    }

    /** Rejects fields of {@code node} not in {@code known} (catches typos in hand-written specs). */
    static void onlyKnown(JsonNode node, String path, Set<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new SpecException(path(path, name), "unknown field (known: " + String.join(", ",
                        new TreeSet<>(known)) + ")");
            }
        }
    }
}
