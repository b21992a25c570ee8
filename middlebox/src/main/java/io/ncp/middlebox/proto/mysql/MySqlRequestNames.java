package io.ncp.middlebox.proto.mysql;

import io.ncp.middlebox.proto.RecentNames;
import io.ncp.middlebox.proto.RequestNamer;
import io.ncp.middlebox.proto.SqlText;
import io.netty.buffer.ByteBuf;

/**
 * The names of the last {@link RecentNames#SIZE} commands of a MySQL / MariaDB client stream, numbered as {@link
 * MySqlRequestFramer} numbers them (the front numbers them alike): a COM_QUERY's first SQL words, a
 * {@code PREPARE} and its SQL's first words, a statement command's name and id, else the command's name. Framing
 * stops at a framing error. Not thread-safe; never retains.
 */
public final class MySqlRequestNames implements RequestNamer, MySqlRequestFramer.Listener {

    private final RecentNames names = new RecentNames();
    private final MySqlRequestFramer framer = new MySqlRequestFramer(this);

    @Override
    public void feed(ByteBuf buf) {
        framer.feed(buf);
    }

    @Override
    public String name(long number) {
        return names.name(number);
    }

    @Override
    public void handshake(int capabilities) {
    }

    @Override
    public void command(int command, long start) {
    }

    @Override
    public void request(long number, int command, String sql, long statement, long end) {
        if (number == 0) {
            return;
        }
        String name;
        if (command == MySqlCommands.QUERY) {
            name = SqlText.name(sql);
        } else if (command == MySqlCommands.STMT_PREPARE) {
            name = "PREPARE " + SqlText.name(sql);
        } else if (statement >= 0) {
            name = MySqlCommands.name(command) + " " + (statement == MySqlClientFilter.LAST_PREPARED ? "(last prepared)"
                : "#" + statement);
        } else {
            name = MySqlCommands.name(command);
        }
        names.put(number, name);
    }
}
