package io.ncp.rubis.compare;

import io.ncp.rubis.schema.TableSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a table between a primary and a replica as multisets of rows, three ways: strictly on every column
 * (the strict verdict), on the table's stable columns (ids and timestamps that concurrency legitimately makes
 * differ left out: the relaxed verdict), and on every non-timestamp column to count rows that differ only by
 * their id.
 */
public final class TableComparator {

    private static final int MAX_EXAMPLES = 3;

    private TableComparator() {
    }

    public static TableDiff compare(TableSpec table, Connection primary, Connection replica) throws SQLException {
        Map<String, Long> p = rows(primary, table.name(), table.stableColumns());
        Map<String, Long> r = rows(replica, table.name(), table.stableColumns());
        List<String> examples = new ArrayList<>();
        long onlyP = missing(p, r, "only on primary: ", examples);
        long onlyR = missing(r, p, "only on replica: ", examples);
        List<String> withIds = new ArrayList<>(table.columns());
        withIds.removeIf(c -> table.volatileColumns().contains(c) && !c.equals("id"));
        long idOnly = 0;
        if (withIds.contains("id") && table.volatileColumns().contains("id")) {
            Map<String, Long> pi = rows(primary, table.name(), withIds);
            Map<String, Long> ri = rows(replica, table.name(), withIds);
            idOnly = missing(pi, ri, "", new ArrayList<>()) - onlyP;
        }
        Map<String, Long> ps = rows(primary, table.name(), table.columns());
        Map<String, Long> rs = rows(replica, table.name(), table.columns());
        long strictP = missing(ps, rs, "", new ArrayList<>());
        long strictR = missing(rs, ps, "", new ArrayList<>());
        return new TableDiff(table.name(), total(p), total(r), onlyP, onlyR, Math.max(0, idOnly), strictP, strictR,
            examples);
    }

    /** Rows of {@code columns} as text, counted (a multiset). */
    static Map<String, Long> rows(Connection c, String table, List<String> columns) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        String sql = "SELECT " + String.join(", ", columns) + " FROM " + table;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                sb.setLength(0);
                for (int i = 1; i <= columns.size(); i++) {
                    if (i > 1) {
                        sb.append(" | ");
                    }
                    sb.append(columns.get(i - 1)).append('=').append(rs.getString(i));
                }
                out.merge(sb.toString(), 1L, Long::sum);
            }
        }
        return out;
    }

    /** Number of rows of {@code a} not matched in {@code b} (multiset difference). */
    static long missing(Map<String, Long> a, Map<String, Long> b, String prefix, List<String> examples) {
        long n = 0;
        for (Map.Entry<String, Long> e : a.entrySet()) {
            long extra = e.getValue() - b.getOrDefault(e.getKey(), 0L);
            if (extra > 0) {
                n += extra;
                if (examples.size() < MAX_EXAMPLES) {
                    examples.add(prefix + e.getKey());
                }
            }
        }
        return n;
    }

    private static long total(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }
}
