package io.ncp.middlebox.proto.mysql;

import io.ncp.middlebox.proto.SqlText;
import java.util.List;
import java.util.Locale;

/**
 * MySQL / MariaDB noise model: a statement whose answer legitimately differs between two servers with the same data
 * (the clock, random numbers and UUIDs, the connection id, the server's host name, port, id, paths, status counters,
 * processes, optimizer estimates) gets a reply compared by its first byte only (OK, ERR or a result set's column
 * count). Case-insensitive; strings and comments are not told apart (a false positive only loosens one comparison).
 * Stateless.
 */
public final class MySqlNoise {

    /** Functions called with parentheses whose result is the server's own. */
    public static final List<String> FUNCTIONS = List.of("now", "sysdate", "curdate", "curtime", "current_date",
        "current_time", "current_timestamp", "localtime", "localtimestamp", "unix_timestamp", "utc_timestamp",
        "utc_date", "utc_time", "rand", "uuid", "uuid_short", "sys_guid", "connection_id");
    /** Keywords (no parentheses) whose value is the server's clock. */
    public static final List<String> KEYWORDS = List.of("current_timestamp", "current_time", "current_date",
        "localtimestamp", "localtime", "utc_timestamp", "utc_date", "utc_time", "information_schema",
        "performance_schema");
    /** System variables ({@code @@name}, {@code @@global.name}) that are the server's own. */
    public static final List<String> VARIABLES = List.of("hostname", "port", "server_id", "server_uuid", "pid_file",
        "socket", "datadir", "tmpdir", "log_error", "general_log_file", "slow_query_log_file", "timestamp",
        "pseudo_thread_id", "report_host", "report_port", "uptime");
    /** Statements (their first words) that show the server's state rather than the data. */
    public static final List<String> STATEMENTS = List.of("show processlist", "show full processlist", "show status",
        "show global status", "show session status", "show engine", "show master status", "show binlog status",
        "show binary logs", "show master logs", "show slave", "show replica", "show all slaves", "show variables",
        "show global variables", "show session variables", "show table status", "show index", "show indexes",
        "show keys", "show open tables", "show profile", "show explain", "show analyze", "explain", "analyze");
    private static final String[] SCOPES = {"@@", "@@global.", "@@session.", "@@local."};

    private MySqlNoise() {
    }

    /** Whether {@code sql}'s answer is the server's own. */
    public static boolean noisy(String sql) {
        String s = sql.toLowerCase(Locale.ROOT);
        if (SqlText.mentions(s, FUNCTIONS, KEYWORDS)) {
            return true;
        }
        for (String v : VARIABLES) {
            for (String scope : SCOPES) {
                int i = s.indexOf(scope + v);
                int end = i + scope.length() + v.length();
                if (i >= 0 && (end >= s.length() || !SqlText.identifier(s.charAt(end)))) {
                    return true;
                }
            }
        }
        String start = SqlText.start(s);
        for (String st : STATEMENTS) {
            if (start.startsWith(st)) {
                return true;
            }
        }
        return false;
    }
}
