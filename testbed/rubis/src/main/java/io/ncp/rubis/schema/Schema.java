package io.ncp.rubis.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The public RUBiS MySQL schema (categories, regions, users, items, old_items, bids, comments, buy_now,
 * ids), InnoDB so multi-statement interactions are transactions. Types follow RUBiS (FLOAT prices,
 * DATETIME dates, unsigned auto-increment ids).
 */
public final class Schema {

    public static final List<TableSpec> TABLES = List.of(
        new TableSpec("categories", "CREATE TABLE categories (id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT,"
            + " name VARCHAR(50), PRIMARY KEY(id)) ENGINE=InnoDB", List.of("id", "name"), List.of()),
        new TableSpec("regions", "CREATE TABLE regions (id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT,"
            + " name VARCHAR(25), PRIMARY KEY(id)) ENGINE=InnoDB", List.of("id", "name"), List.of()),
        new TableSpec("users", "CREATE TABLE users (id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT,"
            + " firstname VARCHAR(20), lastname VARCHAR(20), nickname VARCHAR(20) NOT NULL UNIQUE,"
            + " password VARCHAR(20) NOT NULL, email VARCHAR(50) NOT NULL, rating INTEGER, balance FLOAT,"
            + " creation_date DATETIME, region INTEGER UNSIGNED NOT NULL, PRIMARY KEY(id),"
            + " INDEX auth (nickname, password), INDEX region_id (region)) ENGINE=InnoDB",
            List.of("id", "firstname", "lastname", "nickname", "password", "email", "rating", "balance",
                "creation_date", "region"), List.of("id", "creation_date")),
        new TableSpec("items", "CREATE TABLE items (id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT,"
            + " name VARCHAR(100), description TEXT, initial_price FLOAT UNSIGNED NOT NULL,"
            + " quantity INTEGER UNSIGNED NOT NULL, reserve_price FLOAT UNSIGNED DEFAULT 0,"
            + " buy_now FLOAT UNSIGNED DEFAULT 0, nb_of_bids INTEGER UNSIGNED DEFAULT 0,"
            + " max_bid FLOAT UNSIGNED DEFAULT 0, start_date DATETIME, end_date DATETIME,"
            + " seller INTEGER UNSIGNED NOT NULL, category INTEGER UNSIGNED NOT NULL, PRIMARY KEY(id),"
            + " INDEX seller_id (seller), INDEX category_id (category)) ENGINE=InnoDB",
            List.of("id", "name", "description", "initial_price", "quantity", "reserve_price", "buy_now",
                "nb_of_bids", "max_bid", "start_date", "end_date", "seller", "category"),
            List.of("id", "start_date", "end_date")),
        new TableSpec("old_items", "CREATE TABLE old_items (id INTEGER UNSIGNED NOT NULL,"
            + " name VARCHAR(100), description TEXT, initial_price FLOAT UNSIGNED NOT NULL,"
            + " quantity INTEGER UNSIGNED NOT NULL, reserve_price FLOAT UNSIGNED DEFAULT 0,"
            + " buy_now FLOAT UNSIGNED DEFAULT 0, nb_of_bids INTEGER UNSIGNED DEFAULT 0,"
            + " max_bid FLOAT UNSIGNED DEFAULT 0, start_date DATETIME, end_date DATETIME,"
            + " seller INTEGER UNSIGNED NOT NULL, category INTEGER UNSIGNED NOT NULL, PRIMARY KEY(id),"
            + " INDEX old_seller_id (seller), INDEX old_category_id (category)) ENGINE=InnoDB",
            List.of("id", "name", "description", "initial_price", "quantity", "reserve_price", "buy_now",
                "nb_of_bids", "max_bid", "start_date", "end_date", "seller", "category"),
            List.of("start_date", "end_date")),
        new TableSpec("bids", "CREATE TABLE bids (id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT,"
            + " user_id INTEGER UNSIGNED NOT NULL, item_id INTEGER UNSIGNED NOT NULL, qty INTEGER UNSIGNED NOT NULL,"
            + " bid FLOAT UNSIGNED NOT NULL, max_bid FLOAT UNSIGNED NOT NULL, date DATETIME, PRIMARY KEY(id),"
            + " INDEX bid_item (item_id), INDEX bid_user (user_id)) ENGINE=InnoDB",
            List.of("id", "user_id", "item_id", "qty", "bid", "max_bid", "date"), List.of("id", "date")),
        new TableSpec("comments", "CREATE TABLE comments (id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT,"
            + " from_user_id INTEGER UNSIGNED NOT NULL, to_user_id INTEGER UNSIGNED NOT NULL,"
            + " item_id INTEGER UNSIGNED NOT NULL, rating INTEGER, date DATETIME, comment TEXT, PRIMARY KEY(id),"
            + " INDEX from_user (from_user_id), INDEX to_user (to_user_id), INDEX comment_item (item_id))"
            + " ENGINE=InnoDB",
            List.of("id", "from_user_id", "to_user_id", "item_id", "rating", "date", "comment"),
            List.of("id", "date")),
        new TableSpec("buy_now", "CREATE TABLE buy_now (id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT,"
            + " buyer_id INTEGER UNSIGNED NOT NULL, item_id INTEGER UNSIGNED NOT NULL,"
            + " qty INTEGER UNSIGNED NOT NULL, date DATETIME, PRIMARY KEY(id), INDEX buyer (buyer_id),"
            + " INDEX buy_now_item (item_id)) ENGINE=InnoDB",
            List.of("id", "buyer_id", "item_id", "qty", "date"), List.of("id", "date")),
        new TableSpec("ids", "CREATE TABLE ids (id INTEGER UNSIGNED NOT NULL UNIQUE, category INTEGER UNSIGNED"
            + " NOT NULL, region INTEGER UNSIGNED NOT NULL, users INTEGER UNSIGNED NOT NULL, item INTEGER"
            + " UNSIGNED NOT NULL, comment INTEGER UNSIGNED NOT NULL, bid INTEGER UNSIGNED NOT NULL,"
            + " buyNow INTEGER UNSIGNED NOT NULL, PRIMARY KEY(id)) ENGINE=InnoDB",
            List.of("id", "category", "region", "users", "item", "comment", "bid", "buyNow"), List.of()));

    private Schema() {
    }

    /** Drops and re-creates every table. */
    public static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (TableSpec t : TABLES) {
                s.execute("DROP TABLE IF EXISTS " + t.name());
                s.execute(t.ddl());
            }
        }
    }

    public static TableSpec table(String name) {
        return TABLES.stream().filter(t -> t.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no RUBiS table " + name));
    }
}
