package io.ncp.middlebox.proto;

import java.util.List;
import java.util.Locale;

/**
 * SQL text as the SQL protocols' noise models and request names see it: whether a statement calls a function or
 * names a keyword (case-insensitive, whole words; strings and comments are not told apart), and the short name of a
 * statement for divergence reports (its first words). Stateless.
 */
public final class SqlText {

    /** Words of a request name. */
    public static final int NAME_WORDS = 3;
    /** Characters of a request name at most. */
    public static final int NAME_CHARS = 48;

    private SqlText() {
    }

    /**
     * Whether {@code lower} (SQL already in lower case) calls one of {@code functions} (a whole word followed by
     * {@code (}, maybe after spaces) or names one of {@code keywords} (a whole word).
     */
    public static boolean mentions(String lower, List<String> functions, List<String> keywords) {
        for (String f : functions) {
            if (occurs(lower, f, true)) {
                return true;
            }
        }
        for (String k : keywords) {
            if (occurs(lower, k, false)) {
                return true;
            }
        }
        return false;
    }

    private static boolean occurs(String s, String word, boolean call) {
        for (int i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + 1)) {
            int end = i + word.length();
            if (i > 0 && identifier(s.charAt(i - 1)) || end < s.length() && identifier(s.charAt(end))) {
                continue;
            }
            if (!call) {
                return true;
            }
            int j = end;
            while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
                j++;
            }
            if (j < s.length() && s.charAt(j) == '(') {
                return true;
            }
        }
        return false;
    }

    /** First words of statements that change data or schema. */
    private static final List<String> WRITES = List.of("insert", "update", "replace", "delete", "merge", "upsert",
        "call", "create", "alter", "drop", "truncate", "load", "copy");

    /**
     * The first characters of {@code lower} (SQL in lower case) from its first word on, spaces collapsed; block
     * comments, {@code -- } and {@code #} comments, spaces and opening parentheses skipped.
     */
    public static String start(String lower) {
        int i = 0;
        int n = lower.length();
        while (i < n) {
            char c = lower.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (lower.startsWith("/*", i)) {
                int z = lower.indexOf("*/", i + 2);
                i = z < 0 ? n : z + 2;
            } else if (lower.startsWith("-- ", i) || c == '#') {
                int z = lower.indexOf('\n', i);
                i = z < 0 ? n : z + 1;
            } else {
                break;
            }
        }
        return lower.substring(i, Math.min(n, i + 64)).replaceAll("\\s+", " ");
    }

    /**
     * Whether {@code sql}'s first word makes it a write (INSERT, UPDATE, REPLACE, DELETE, CALL, CREATE, LOAD,
     * COPY, ...), case-insensitive; a write inside {@code WITH} is not seen.
     */
    public static boolean write(String sql) {
        String s = start(sql.toLowerCase(Locale.ROOT));
        int end = 0;
        while (end < s.length() && identifier(s.charAt(end))) {
            end++;
        }
        return WRITES.contains(s.substring(0, end));
    }

    /** Whether {@code c} can be part of an unquoted identifier (lower case). */
    public static boolean identifier(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c > 127;
    }

    /**
     * The first {@value #NAME_WORDS} words of {@code sql}, printable ASCII, at most {@value #NAME_CHARS} characters,
     * {@code " ..."} when cut: e.g. {@code INSERT INTO t ...}; {@code (empty query)} for none.
     */
    public static String name(String sql) {
        StringBuilder sb = new StringBuilder();
        int words = 0;
        boolean cut = false;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            while (i < n && (Character.isWhitespace(sql.charAt(i)) || sql.charAt(i) == ';')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (words == NAME_WORDS) {
                cut = true;
                break;
            }
            if (words > 0) {
                sb.append(' ');
            }
            while (i < n && !Character.isWhitespace(sql.charAt(i))) {
                char c = sql.charAt(i++);
                sb.append(c >= 0x20 && c < 0x7f ? c : '?');
            }
            words++;
        }
        if (sb.length() > NAME_CHARS) {
            sb.setLength(NAME_CHARS);
            cut = true;
        }
        if (sb.length() == 0) {
            return "(empty query)";
        }
        return cut ? sb + " ..." : sb.toString();
    }
}
