package io.ncp.rubis.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * JDBC URLs for MariaDB as the testbed runs it: auth-free (skip-grant-tables or an empty-password user),
 * TLS off, text protocol ({@code useServerPrepStmts=false}: replicas see plain statements, no server-side
 * statement ids).
 */
public final class Databases {

    public static final String DEFAULT_DB = "rubis";

    private Databases() {
    }

    /** URL of database {@code db} (empty = none) at {@code hostPort}. */
    public static String url(String hostPort, String db, String user) {
        return "jdbc:mariadb://" + hostPort + "/" + db + "?user=" + user + "&useServerPrepStmts=false"
            + "&sslMode=disable&connectTimeout=10000&socketTimeout=300000";
    }

    /** Connects to {@code hostPort}, creating database {@code db} first when asked. */
    public static Connection connect(String hostPort, String db, String user, boolean create) throws SQLException {
        if (create) {
            try (Connection c = DriverManager.getConnection(url(hostPort, "", user));
                 var s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS " + db);
            }
        }
        return DriverManager.getConnection(url(hostPort, db, user));
    }
}
