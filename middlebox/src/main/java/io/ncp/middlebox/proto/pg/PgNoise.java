package io.ncp.middlebox.proto.pg;

import io.ncp.middlebox.proto.SqlText;
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

    private PgNoise() {
    }

    /** Whether {@code sql} calls a per-server function (case-insensitive; strings and comments are not told apart). */
    public static boolean noisy(String sql) {
        return SqlText.mentions(sql.toLowerCase(Locale.ROOT), FUNCTIONS, KEYWORDS);
    }

    /** The short name of {@code sql} for divergence reports ({@link SqlText#name}). */
    public static String name(String sql) {
        return SqlText.name(sql);
    }
}
