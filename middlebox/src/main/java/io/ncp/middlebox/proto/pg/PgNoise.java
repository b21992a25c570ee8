package io.ncp.middlebox.proto.pg;

import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's noise model and request names. A request whose SQL calls a per-server function (the backend's pid,
 * the clock, a random number, the server's port, start time, version, transaction id) gets a reply that legitimately
 * differs between two servers with the same data: such replies are compared by their messages' type bytes only. And
 * the short name of a request for divergence reports: its SQL's first words. Stateless.
 */
public final class PgNoise {

    /** Functions called with parentheses whose result is the server's own. */
    public static final List<String> FUNCTIONS = List.of("pg_backend_pid", "now", "clock_timestamp",
        "statement_timestamp", "transaction_timestamp", "timeofday", "random", "gen_random_uuid", "inet_server_port",
        "inet_server_addr", "pg_postmaster_start_time", "pg_conf_load_time", "version", "txid_current",
        "pg_current_xact_id");
    /** SQL keywords (no parentheses) whose value is the server's clock. */
    public static final List<String> KEYWORDS = List.of("current_timestamp", "current_time", "localtimestamp",
        "localtime");
    /** Words of a request name. */
    static final int NAME_WORDS = 3;
    /** Characters of a request name at most. */
    static final int NAME_CHARS = 48;

    private PgNoise() {
    }

    /** Whether {@code sql} calls a per-server function (case-insensitive; strings and comments are not told apart). */
    public static boolean noisy(String sql) {
        String s = sql.toLowerCase(Locale.ROOT);
        for (String f : FUNCTIONS) {
            if (occurs(s, f, true)) {
                return true;
            }
        }
        for (String k : KEYWORDS) {
            if (occurs(s, k, false)) {
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

    private static boolean identifier(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c > 127;
    }

    /**
     * The first {@value #NAME_WORDS} words of {@code sql}, printable ASCII, at most {@value #NAME_CHARS} characters,
     * {@code " ..."} when cut: e.g. {@code INSERT INTO t ...}.
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
