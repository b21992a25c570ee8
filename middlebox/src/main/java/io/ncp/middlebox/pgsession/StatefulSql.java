package io.ncp.middlebox.pgsession;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells whether SQL text sent by a client leaves server-side session state behind that a new connection to a restored
 * server would not have: {@code SET} / {@code RESET} of the session ({@code SET LOCAL}, {@code SET TRANSACTION} and
 * {@code SET CONSTRAINTS} only last the transaction), {@code PREPARE}, {@code LISTEN}, {@code LOAD}, temporary
 * tables, views and sequences ({@code CREATE TEMP ...}, {@code SELECT ... INTO TEMP}, {@code pg_temp.}), cursors
 * {@code WITH HOLD}, session-level advisory locks ({@code pg_advisory_lock}, {@code pg_try_advisory_lock}, shared or
 * not; the {@code _xact_} ones end with the transaction) and {@code set_config(name, value, false)}.
 *
 * <p>Conservative: function names are looked for in the whole text (string literals and function bodies included),
 * and a {@code set_config} call counts unless its third argument is plainly {@code true}. Stateless; any thread.
 */
public final class StatefulSql {

    private static final Pattern ADVISORY = Pattern.compile("pg_(try_)?advisory_lock");
    private static final Pattern SET_CONFIG = Pattern.compile("set_config\\s*\\(");
    private static final Pattern SET_CONFIG_LOCAL = Pattern.compile(
        "set_config\\s*\\(\\s*[^(),]+\\s*,\\s*[^(),]+\\s*,\\s*true\\s*\\)");
    /** Where the words of a CREATE statement that may say TEMP end. */
    private static final java.util.Set<String> OBJECT = java.util.Set.of("table", "view", "sequence", "(", "as");
    /** A token standing for a quoted identifier (never equal to a keyword). */
    private static final String QUOTED = "\"";

    private StatefulSql() {
    }

    /** The kind of session state {@code sql} creates (e.g. {@code session SET}), or null when it creates none. */
    public static String reason(String sql) {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (lower.contains("advisory_lock") && ADVISORY.matcher(lower).find()) {
            return "advisory lock";
        }
        if (lower.contains("set_config") && setConfigNotLocal(lower)) {
            return "set_config(..., false)";
        }
        for (List<String> st : statements(sql)) {
            String why = statementReason(st);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static boolean setConfigNotLocal(String lower) {
        Matcher any = SET_CONFIG.matcher(lower);
        Matcher local = SET_CONFIG_LOCAL.matcher(lower);
        while (any.find()) {
            if (!local.find(any.start()) || local.start() != any.start()) {
                return true;
            }
        }
        return false;
    }

    private static String statementReason(List<String> t) {
        for (int i = 0; i < t.size(); i++) {
            String w = t.get(i);
            if (w.equals("pg_temp") || w.equals("into") && i + 1 < t.size() && isTemp(t.get(i + 1))) {
                return "temporary table";
            }
        }
        if (t.isEmpty()) {
            return null;
        }
        String second = t.size() > 1 ? t.get(1) : "";
        switch (t.get(0)) {
            case "set":
                return second.equals("local") || second.equals("transaction") || second.equals("constraints") ? null
                    : "session SET";
            case "reset":
                return "session RESET";
            case "prepare":
                return second.equals("transaction") ? null : "PREPARE";
            case "listen":
                return "LISTEN";
            case "load":
                return "LOAD";
            case "declare":
                for (int i = 1; i + 1 < t.size(); i++) {
                    if (t.get(i).equals("with") && t.get(i + 1).equals("hold")) {
                        return "cursor WITH HOLD";
                    }
                }
                return null;
            case "create":
                for (int i = 1; i < t.size() && !OBJECT.contains(t.get(i)); i++) {
                    if (isTemp(t.get(i))) {
                        return "temporary table"; // CREATE [GLOBAL|LOCAL|OR REPLACE] TEMP[ORARY] ... TABLE|VIEW|...
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static boolean isTemp(String w) {
        return w.equals("temp") || w.equals("temporary");
    }

    /**
     * The statements of {@code sql} (split at {@code ;}) as lists of lower-case word tokens and punctuation, without
     * comments, string literals, dollar-quoted bodies or parameters; a quoted identifier is one {@code "} token.
     */
    static List<List<String>> statements(String sql) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ';') {
                if (!cur.isEmpty()) {
                    out.add(cur);
                    cur = new ArrayList<>();
                }
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = blockComment(sql, i);
            } else if (c == '\'') {
                i = literal(sql, i, false);
            } else if (c == '"') {
                int end = sql.indexOf('"', i + 1);
                while (end >= 0 && end + 1 < n && sql.charAt(end + 1) == '"') {
                    end = sql.indexOf('"', end + 2);
                }
                i = end < 0 ? n : end + 1;
                cur.add(QUOTED);
            } else if (c == '$') {
                i = dollar(sql, i);
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int s = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$')) {
                    i++;
                }
                String w = sql.substring(s, i).toLowerCase(Locale.ROOT);
                if (i < n && sql.charAt(i) == '\'' && (w.equals("e") || w.equals("x") || w.equals("b")
                        || w.equals("n"))) {
                    i = literal(sql, i, w.equals("e"));
                } else {
                    cur.add(w);
                }
            } else {
                cur.add(String.valueOf(c));
                i++;
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** The index after the nested {@code /* ... * /} comment starting at {@code i}. */
    private static int blockComment(String sql, int i) {
        int depth = 0;
        int n = sql.length();
        while (i < n) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** The index after the string literal opening at {@code i} ({@code ''} doubled; backslash escapes in E''). */
    private static int literal(String sql, int i, boolean escapes) {
        int n = sql.length();
        i++;
        while (i < n) {
            char c = sql.charAt(i);
            if (escapes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < n && sql.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** The index after a dollar-quoted body ({@code $tag$...$tag$}) or a parameter ({@code $1}) at {@code i}. */
    private static int dollar(String sql, int i) {
        int n = sql.length();
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < n && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            String tag = sql.substring(i, j + 1);
            int end = sql.indexOf(tag, j + 1);
            return end < 0 ? n : end + tag.length();
        }
        return j;
    }
}
