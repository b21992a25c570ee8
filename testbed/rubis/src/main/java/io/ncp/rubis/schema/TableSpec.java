package io.ncp.rubis.schema;

import java.util.List;

/**
 * One RUBiS table: its DDL, its columns in order, and the columns a replica comparison ignores because
 * concurrent sessions legitimately assign them differently on each replica (auto-increment ids given in
 * arrival order, {@code NOW()} timestamps).
 *
 * @param name    table name
 * @param ddl     CREATE TABLE statement
 * @param columns every column, in table order
 * @param volatileColumns columns excluded from the "state" comparison (subset of {@code columns})
 */
public record TableSpec(String name, String ddl, List<String> columns, List<String> volatileColumns) {

    public TableSpec {
        columns = List.copyOf(columns);
        volatileColumns = List.copyOf(volatileColumns);
        if (!columns.containsAll(volatileColumns)) {
            throw new IllegalArgumentException(name + ": volatile columns must be columns");
        }
    }

    /** Columns compared between replicas: all but the volatile ones. */
    public List<String> stableColumns() {
        return columns.stream().filter(c -> !volatileColumns.contains(c)).toList();
    }
}
