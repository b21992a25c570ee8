package io.ncp.rubis.workload;

import io.ncp.rubis.schema.DataGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The read-only pages' SQL (after RUBiS's PHP/servlet pages). Every result set is read to the end, as an
 * application server rendering the page would; methods return the number of rows read. Not thread-safe:
 * one instance per client connection.
 */
final class ReadInteractions {

    private static final int PAGE = 25;
    private static final String ITEM_LIST = "SELECT items.id, items.name, items.initial_price, items.max_bid,"
        + " items.nb_of_bids, items.end_date FROM items";

    private final Connection c;

    ReadInteractions(Connection c) {
        this.c = c;
    }

    int browseCategories() throws SQLException {
        return rows("SELECT id, name FROM categories");
    }

    int searchItemsInCategory(ClientState st) throws SQLException {
        return rows(ITEM_LIST + " WHERE category = ? AND end_date >= NOW() LIMIT ?, ?", st.category,
            st.page * PAGE, PAGE);
    }

    int browseRegions() throws SQLException {
        return rows("SELECT id, name FROM regions");
    }

    int browseCategoriesInRegion(ClientState st) throws SQLException {
        return rows("SELECT id FROM regions WHERE id = ?", st.region) + browseCategories();
    }

    int searchItemsInRegion(ClientState st) throws SQLException {
        return rows(ITEM_LIST + ", users WHERE items.category = ? AND items.seller = users.id AND users.region = ?"
            + " AND items.end_date >= NOW() LIMIT ?, ?", st.category, st.region, st.page * PAGE, PAGE);
    }

    int viewItem(ClientState st) throws SQLException {
        int n = item(st);
        n += rows("SELECT MAX(bid) FROM bids WHERE item_id = ?", st.itemId);
        return n + rows("SELECT nickname FROM users WHERE id = ?", st.sellerId);
    }

    int viewUserInfo(ClientState st) throws SQLException {
        return rows("SELECT * FROM users WHERE id = ?", st.sellerId)
            + rows("SELECT comments.id, comments.rating, comments.date, comments.comment, users.nickname"
                + " FROM comments, users WHERE comments.to_user_id = ? AND comments.from_user_id = users.id",
                st.sellerId);
    }

    int viewBidHistory(ClientState st) throws SQLException {
        return rows("SELECT name FROM items WHERE id = ?", st.itemId)
            + rows("SELECT bids.id, bids.bid, bids.date, users.nickname FROM bids, users WHERE bids.item_id = ?"
                + " AND bids.user_id = users.id ORDER BY bids.date DESC", st.itemId);
    }

    int putBid(ClientState st) throws SQLException {
        int n = authenticate(st) + item(st);
        try (PreparedStatement ps = prepare("SELECT MAX(bid), COUNT(*) FROM bids WHERE item_id = ?", st.itemId);
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                st.maxBid = Math.max(st.maxBid, rs.getFloat(1));
                n++;
            }
        }
        return n;
    }

    int buyNow(ClientState st) throws SQLException {
        return authenticate(st) + item(st) + rows("SELECT nickname FROM users WHERE id = ?", st.sellerId);
    }

    int putComment(ClientState st) throws SQLException {
        return authenticate(st) + item(st) + rows("SELECT nickname FROM users WHERE id = ?", st.sellerId);
    }

    int selectCategoryToSellItem() throws SQLException {
        return browseCategories();
    }

    int aboutMe(ClientState st) throws SQLException {
        int u = st.userId;
        return authenticate(st) + rows("SELECT * FROM users WHERE id = ?", u)
            + rows("SELECT bids.item_id, bids.bid, items.name FROM bids, items WHERE bids.user_id = ?"
                + " AND bids.item_id = items.id ORDER BY bids.date DESC LIMIT 20", u)
            + rows("SELECT id, name, max_bid FROM items WHERE seller = ? LIMIT 20", u)
            + rows("SELECT buy_now.item_id, buy_now.qty FROM buy_now WHERE buyer_id = ? LIMIT 20", u)
            + rows("SELECT id, rating, comment FROM comments WHERE to_user_id = ? LIMIT 20", u);
    }

    /** RUBiS's login check: nickname + password of the session's user. */
    private int authenticate(ClientState st) throws SQLException {
        return rows("SELECT id FROM users WHERE nickname = ? AND password = ?",
            DataGenerator.nickname(st.userId), DataGenerator.password(st.userId));
    }

    /** Reads the current item; remembers its seller, current maximum bid and quantity. */
    private int item(ClientState st) throws SQLException {
        try (PreparedStatement ps = prepare("SELECT * FROM items WHERE id = ?", st.itemId);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return 0;
            }
            st.sellerId = rs.getInt("seller");
            st.maxBid = Math.max(rs.getFloat("max_bid"), rs.getFloat("initial_price"));
            st.quantity = rs.getInt("quantity");
            return 1;
        }
    }

    private int rows(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
            int n = 0;
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= cols; i++) {
                    rs.getString(i);
                }
                n++;
            }
            return n;
        }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }
}
