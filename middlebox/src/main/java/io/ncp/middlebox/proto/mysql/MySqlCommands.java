package io.ncp.middlebox.proto.mysql;

import io.ncp.middlebox.proto.Exchange;

/**
 * MySQL / MariaDB command bytes: which get a reply, what shape of reply ({@link Exchange} bits), which start a
 * replication stream, and their names. Stateless.
 */
public final class MySqlCommands {

    static final int QUIT = 0x01;
    static final int INIT_DB = 0x02;
    static final int QUERY = 0x03;
    static final int FIELD_LIST = 0x04;
    static final int STATISTICS = 0x09;
    static final int CHANGE_USER = 0x11;
    static final int BINLOG_DUMP = 0x12;
    static final int REGISTER_SLAVE = 0x15;
    static final int STMT_PREPARE = 0x16;
    static final int STMT_EXECUTE = 0x17;
    static final int STMT_SEND_LONG_DATA = 0x18;
    static final int STMT_CLOSE = 0x19;
    static final int STMT_RESET = 0x1a;
    static final int STMT_FETCH = 0x1c;
    static final int BINLOG_DUMP_GTID = 0x1e;
    /** MariaDB. */
    static final int STMT_BULK_EXECUTE = 0xfa;

    private static final String[] NAMES = {"COM_SLEEP", "COM_QUIT", "COM_INIT_DB", "COM_QUERY", "COM_FIELD_LIST",
        "COM_CREATE_DB", "COM_DROP_DB", "COM_REFRESH", "COM_SHUTDOWN", "COM_STATISTICS", "COM_PROCESS_INFO",
        "COM_CONNECT", "COM_PROCESS_KILL", "COM_DEBUG", "COM_PING", "COM_TIME", "COM_DELAYED_INSERT",
        "COM_CHANGE_USER", "COM_BINLOG_DUMP", "COM_TABLE_DUMP", "COM_CONNECT_OUT", "COM_REGISTER_SLAVE",
        "COM_STMT_PREPARE", "COM_STMT_EXECUTE", "COM_STMT_SEND_LONG_DATA", "COM_STMT_CLOSE", "COM_STMT_RESET",
        "COM_SET_OPTION", "COM_STMT_FETCH", "COM_DAEMON", "COM_BINLOG_DUMP_GTID", "COM_RESET_CONNECTION"};

    private MySqlCommands() {
    }

    /** Whether the server answers {@code command} (COM_QUIT, COM_STMT_SEND_LONG_DATA and COM_STMT_CLOSE: no). */
    static boolean replied(int command) {
        return command != QUIT && command != STMT_SEND_LONG_DATA && command != STMT_CLOSE;
    }

    /** The {@link Exchange} bits of {@code command}'s reply shape; 0: OK, ERR, EOF or result sets. */
    static int shape(int command) {
        return switch (command) {
            case STMT_PREPARE -> Exchange.MYSQL_PREPARE;
            case FIELD_LIST -> Exchange.MYSQL_FIELDS;
            case STATISTICS -> Exchange.MYSQL_TEXT;
            case STMT_FETCH -> Exchange.MYSQL_ROWS;
            case CHANGE_USER -> Exchange.MYSQL_AUTH;
            default -> 0;
        };
    }

    /**
     * Whether {@code command} makes the session a replication client (a replica or a binlog reader attaching through
     * the middlebox): its stream cannot be reproduced by a replica, so the session is not replicated from there on.
     */
    static boolean replication(int command) {
        return command == BINLOG_DUMP || command == BINLOG_DUMP_GTID || command == REGISTER_SLAVE;
    }

    /** Whether {@code command}'s payload starts with a statement id (4 bytes). */
    static boolean statement(int command) {
        return command >= STMT_EXECUTE && command <= STMT_FETCH && command != 0x1b || command == STMT_BULK_EXECUTE;
    }

    /** The command's name, e.g. {@code COM_PING}; {@code COM_0x..} for one this list does not have. */
    static String name(int command) {
        if (command >= 0 && command < NAMES.length) {
            return NAMES[command];
        }
        return command == STMT_BULK_EXECUTE ? "COM_STMT_BULK_EXECUTE" : String.format("COM_0x%02x", command);
    }
}
