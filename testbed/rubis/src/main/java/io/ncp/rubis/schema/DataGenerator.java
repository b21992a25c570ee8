package io.ncp.rubis.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;

/**
 * Fills a freshly created RUBiS schema with a deterministic data set: the same {@link Scale} and seed give
 * the same rows with the same ids on every database, so a primary and its replicas start identical.
 * Dates are fixed (items end in 2030), so the load itself never depends on the clock.
 */
public final class DataGenerator {

    private static final int BATCH = 500;
    private static final String START = "2026-01-01 00:00:00";
    private static final String END = "2030-01-01 00:00:00";

    /**
     * Size of the initial data set.
     *
     * @param users        registered users
     * @param items        items on sale
     * @param bidsPerItem  average bids per item
     * @param categories   item categories (RUBiS: 20)
     * @param regions      user regions (RUBiS: 62)
     * @param seed         random seed
     */
    public record Scale(int users, int items, int bidsPerItem, int categories, int regions, long seed) {
    }

    private final Scale scale;
    private final SplittableRandom random;

    public DataGenerator(Scale scale) {
        this.scale = scale;
        this.random = new SplittableRandom(scale.seed());
    }

    /** Creates the schema and loads every table; returns the number of rows written. */
    public long load(Connection c) throws SQLException {
        Schema.create(c);
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long rows = names(c, "categories", "Category ", scale.categories())
                + names(c, "regions", "Region ", scale.regions()) + users(c) + itemsAndBids(c) + comments(c);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO ids VALUES (0, " + scale.categories() + ", " + scale.regions() + ", "
                    + scale.users() + ", " + scale.items() + ", 0, 0, 0)");
            }
            c.commit();
            return rows + 1;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private long names(Connection c, String table, String prefix, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, name) VALUES (?, ?)")) {
            for (int i = 1; i <= n; i++) {
                ps.setInt(1, i);
                ps.setString(2, prefix + i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return n;
    }

    private long users(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, 0, 0, '"
            + START + "', ?)")) {
            for (int i = 1; i <= scale.users(); i++) {
                ps.setInt(1, i);
                ps.setString(2, "Great" + i);
                ps.setString(3, "User" + i);
                ps.setString(4, nickname(i));
                ps.setString(5, password(i));
                ps.setString(6, "Great" + i + ".User" + i + "@rubis.com");
                ps.setInt(7, 1 + random.nextInt(scale.regions()));
                batch(ps, i);
            }
            ps.executeBatch();
        }
        return scale.users();
    }

    private long itemsAndBids(Connection c) throws SQLException {
        long rows = 0;
        long bidId = 0;
        try (PreparedStatement item = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '"
            + START + "', '" + END + "', ?, ?)");
             PreparedStatement bid = c.prepareStatement("INSERT INTO bids VALUES (?, ?, ?, 1, ?, ?, '" + START
                 + "')")) {
            for (int i = 1; i <= scale.items(); i++) {
                float initial = 1 + random.nextInt(5000);
                int nbBids = random.nextInt(2 * scale.bidsPerItem() + 1);
                float max = 0;
                for (int b = 0; b < nbBids; b++) {
                    float amount = initial + (b + 1) * (1 + random.nextInt(10));
                    max = Math.max(max, amount);
                    bid.setLong(1, ++bidId);
                    bid.setInt(2, 1 + random.nextInt(scale.users()));
                    bid.setInt(3, i);
                    bid.setFloat(4, amount);
                    bid.setFloat(5, amount + random.nextInt(5));
                    batch(bid, bidId);
                }
                item.setInt(1, i);
                item.setString(2, "RUBiS automatically generated item #" + i);
                item.setString(3, "This incredible item is exactly what you need! (" + i + ")");
                item.setFloat(4, initial);
                item.setInt(5, 1 + random.nextInt(10));
                item.setFloat(6, random.nextInt(2) == 0 ? 0 : initial + random.nextInt(100));
                item.setFloat(7, random.nextInt(3) == 0 ? initial * 2 : 0);
                item.setInt(8, nbBids);
                item.setFloat(9, max);
                item.setInt(10, 1 + random.nextInt(scale.users()));
                item.setInt(11, 1 + random.nextInt(scale.categories()));
                batch(item, i);
                rows += 1 + nbBids;
            }
            item.executeBatch();
            bid.executeBatch();
        }
        return rows;
    }

    private long comments(Connection c) throws SQLException {
        int n = scale.users() / 2;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO comments VALUES (?, ?, ?, ?, ?, '" + START
            + "', ?)")) {
            for (int i = 1; i <= n; i++) {
                ps.setInt(1, i);
                ps.setInt(2, 1 + random.nextInt(scale.users()));
                ps.setInt(3, 1 + random.nextInt(scale.users()));
                ps.setInt(4, 1 + random.nextInt(scale.items()));
                ps.setInt(5, random.nextInt(11) - 5);
                ps.setString(6, "Generated comment " + i);
                batch(ps, i);
            }
            ps.executeBatch();
        }
        return n;
    }

    private static void batch(PreparedStatement ps, long count) throws SQLException {
        ps.addBatch();
        if (count % BATCH == 0) {
            ps.executeBatch();
        }
    }

    /** Login of preloaded user {@code id} (RUBiS's generator naming). */
    public static String nickname(long id) {
        return "user" + id;
    }

    public static String password(long id) {
        return "password" + id;
    }
}
