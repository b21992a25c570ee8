package io.ncp.rubis.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The read-write pages' SQL. Each page is one transaction ({@code START TRANSACTION} ... {@code COMMIT}
 * as plain statements, so a replica sees the same bytes). Deliberate choices so that replicas receiving
 * concurrent sessions in another order still converge: items' maximum bid is {@code GREATEST(max_bid, ?)}
 * (RUBiS writes the value its application read), counters and ratings are increments, and stock is a
 * conditional decrement. Only ids and {@code NOW()} timestamps then legitimately differ.
 */
final class WriteInteractions {

    private final Connection c;

    WriteInteractions(Connection c) {
        this.c = c;
    }

    int storeBid(ClientState st) throws SQLException {
        float bid = st.maxBid + 1 + st.random().nextInt(10);
        float max = bid + st.random().nextInt(5);
        return transaction(
            update("INSERT INTO bids VALUES (NULL, ?, ?, 1, ?, ?, NOW())", st.userId, st.itemId, bid, max),
            update("UPDATE items SET max_bid = GREATEST(max_bid, ?), nb_of_bids = nb_of_bids + 1 WHERE id = ?",
                bid, st.itemId));
    }

    int storeBuyNow(ClientState st) throws SQLException {
        if (st.quantity <= 0) {
            return 0;  // RUBiS shows "not available": no SQL
        }
        return transaction(
            update("UPDATE items SET quantity = quantity - 1 WHERE id = ? AND quantity >= 1", st.itemId),
            update("INSERT INTO buy_now VALUES (NULL, ?, ?, 1, NOW())", st.userId, st.itemId));
    }

    int storeComment(ClientState st) throws SQLException {
        int rating = st.random().nextInt(11) - 5;
        return transaction(
            update("INSERT INTO comments VALUES (NULL, ?, ?, ?, ?, NOW(), ?)", st.userId, st.sellerId, st.itemId,
                rating, "Comment from user " + st.userId + " on item " + st.itemId),
            update("UPDATE users SET rating = rating + ? WHERE id = ?", rating, st.sellerId));
    }

    int registerItem(ClientState st) throws SQLException {
        float price = 1 + st.random().nextInt(1000);
        return transaction(update("INSERT INTO items VALUES (NULL, ?, ?, ?, ?, ?, ?, 0, 0, NOW(),"
                + " NOW() + INTERVAL 7 DAY, ?, ?)", "item " + st.uniqueName(), "Sold by user " + st.userId,
            price, 1 + st.random().nextInt(5), price + st.random().nextInt(50), price * 2, st.userId, st.category));
    }

    int registerUser(ClientState st) throws SQLException {
        String nick = st.uniqueName();
        int n = rows("SELECT id FROM regions WHERE id = ?", st.region)
            + rows("SELECT nickname FROM users WHERE nickname = ?", nick);
        return n + transaction(update("INSERT INTO users VALUES (NULL, ?, ?, ?, ?, ?, 0, 0, NOW(), ?)",
            "First" + nick, "Last" + nick, nick, "pw" + nick, nick + "@rubis.com", st.region));
    }

    /** A statement to run inside {@link #transaction}. */
    private interface Update {
        int run() throws SQLException;
    }

    private int transaction(Update... updates) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("START TRANSACTION");
            int n = 0;
            try {
                for (Update u : updates) {
                    n += u.run();
                }
                s.execute("COMMIT");
                return n;
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    private Update update(String sql, Object... args) {
        return () -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        };
    }

    private int rows(String sql, Object arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (var rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                return n;
            }
        }
    }
}
