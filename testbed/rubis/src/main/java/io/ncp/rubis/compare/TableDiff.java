package io.ncp.rubis.compare;

import java.util.List;

/**
 * How one table of a replica differs from the primary's.
 *
 * @param table        table name
 * @param primaryRows  rows on the primary
 * @param replicaRows  rows on the replica
 * @param onlyPrimary  rows (on the compared columns) the replica lacks
 * @param onlyReplica  rows (on the compared columns) the primary lacks
 * @param idOnlyRows   rows that match on the stable columns but sit under another auto-increment id
 * @param strictOnlyPrimary rows (on every column, ids and timestamps included) the replica lacks
 * @param strictOnlyReplica rows (on every column) the primary lacks
 * @param examples     a few differing rows (stable columns), for the report
 */
public record TableDiff(String table, long primaryRows, long replicaRows, long onlyPrimary, long onlyReplica,
                        long idOnlyRows, long strictOnlyPrimary, long strictOnlyReplica, List<String> examples) {

    public TableDiff {
        examples = List.copyOf(examples);
    }

    /** True when the replica's state equals the primary's, volatile columns aside (the relaxed comparison). */
    public boolean stateEqual() {
        return onlyPrimary == 0 && onlyReplica == 0;
    }

    /** True when every row is equal on every column, ids and timestamps included (the strict comparison). */
    public boolean strictEqual() {
        return strictOnlyPrimary == 0 && strictOnlyReplica == 0;
    }
}
