package io.ncp.middlebox.pgsession;

import java.util.Locale;
import java.util.Set;

/**
 * A plain session {@code SET} or {@code RESET} of one parameter, which a session continued over a new connection can
 * replay: {@code SET [SESSION] name {= | TO} value [, value ...]} or {@code RESET name}, alone in the SQL text (a
 * trailing {@code ;} and comments allowed), {@code name} an identifier or a dotted one (a custom parameter), each value
 * a number, an unquoted word, a quoted identifier or a plain string literal without a backslash (its meaning would
 * depend on {@code standard_conforming_strings}). Anything else is not one ({@link #parse} returns null): {@code RESET
 * ALL}, {@code SET ROLE}, {@code SET SESSION AUTHORIZATION}, {@code SET TIME ZONE}, {@code role} or
 * {@code session_authorization} by name, {@code E''} literals, expressions, several statements. Immutable.
 *
 * @param name  the parameter's name, lower case
 * @param reset true: {@code RESET name} (the parameter goes back to the session's default)
 */
public record SessionSet(String name, boolean reset) {

    /** Parameters that change who the session is: never replayed (the replica's login may be another user). */
    private static final Set<String> NOT_REPLAYED = Set.of("role", "session_authorization", "all");

    /** The plain SET or RESET that {@code sql} is, or null when it is not one (see the class comment). */
    public static SessionSet parse(String sql) {
        Scanner s = new Scanner(sql);
        String first = s.next();
        boolean reset = "reset".equals(first);
        if (!reset && !"set".equals(first)) {
            return null;
        }
        String name = s.next();
        if (!reset && "session".equals(name)) {
            name = s.next();
        }
        name = dotted(s, name);
        if (name == null || NOT_REPLAYED.contains(name)) {
            return null;
        }
        if (!reset) {
            String op = s.next();
            if (!"=".equals(op) && !"to".equals(op) || !values(s)) {
                return null;
            }
        }
        String end = s.next();
        if (";".equals(end)) {
            end = s.next();
        }
        return end == null && !s.bad ? new SessionSet(name, reset) : null;
    }

    /** {@code first} and any {@code .word} after it, or null when {@code first} is not a word. */
    private static String dotted(Scanner s, String first) {
        if (!Scanner.isWord(first)) {
            return null;
        }
        StringBuilder b = new StringBuilder(first);
        while (s.peek() == '.') {
            s.next();
            String w = s.next();
            if (!Scanner.isWord(w)) {
                return null;
            }
            b.append('.').append(w);
        }
        return b.toString();
    }

    /** One or more comma-separated values. */
    private static boolean values(Scanner s) {
        do {
            String v = s.next();
            if ("-".equals(v) || "+".equals(v)) {
                v = s.next();
                if (v == null || !Character.isDigit(v.charAt(0))) {
                    return false;
                }
            }
            if (v == null || !(Scanner.isWord(v) || v.startsWith("'") || v.startsWith("\""))) {
                return false;
            }
        } while (s.peek() == ',' && s.next() != null);
        return true;
    }

    /**
     * Splits SQL into tokens: words and numbers (lower case), {@code '...'} literals and {@code "..."} identifiers
     * (kept with their quotes), single punctuation characters; skips white space and comments. {@code bad}: something
     * it does not accept (an unterminated quote or comment, a backslash in a literal, a prefixed literal).
     */
    private static final class Scanner {
        private final String sql;
        private int i;
        private boolean bad;

        Scanner(String sql) {
            this.sql = sql;
        }

        static boolean isWord(String t) {
            return t != null && !t.isEmpty() && (Character.isLetterOrDigit(t.charAt(0)) || t.charAt(0) == '_');
        }

        /** The next token's first character, or 0 at the end. */
        char peek() {
            skip();
            return i < sql.length() ? sql.charAt(i) : 0;
        }

        /** The next token, or null at the end (or once {@code bad}). */
        String next() {
            skip();
            int n = sql.length();
            if (bad || i >= n) {
                return null;
            }
            char c = sql.charAt(i);
            int s = i;
            if (c == '\'' || c == '"') {
                i = quoted(c);
                return bad ? null : sql.substring(s, i);
            }
            if (Character.isLetterOrDigit(c) || c == '_') {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$' || sql.charAt(i) == '.' && Character.isDigit(c))) {
                    i++;
                }
                if (i < n && (sql.charAt(i) == '\'' || sql.charAt(i) == '"')) {
                    bad = true; // E'...', U&"...", B'...': not a plain value
                    return null;
                }
                return sql.substring(s, i).toLowerCase(Locale.ROOT);
            }
            i++;
            return String.valueOf(c);
        }

        private int quoted(char q) {
            int n = sql.length();
            int j = i + 1;
            while (j < n) {
                char c = sql.charAt(j);
                if (c == '\\' && q == '\'') {
                    break;
                }
                if (c == q) {
                    if (j + 1 < n && sql.charAt(j + 1) == q) {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            bad = true;
            return n;
        }

        private void skip() {
            int n = sql.length();
            while (i < n && !bad) {
                if (Character.isWhitespace(sql.charAt(i))) {
                    i++;
                } else if (sql.startsWith("--", i)) {
                    int eol = sql.indexOf('\n', i);
                    i = eol < 0 ? n : eol + 1;
                } else if (sql.startsWith("/*", i)) {
                    int end = sql.indexOf("*/", i + 2);
                    if (end < 0 || sql.substring(i + 2, end).contains("/*")) {
                        bad = true; // unterminated, or nested: not a plain SET
                        return;
                    }
                    i = end + 2;
                } else {
                    return;
                }
            }
        }
    }
}
