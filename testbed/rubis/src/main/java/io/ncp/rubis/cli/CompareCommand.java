package io.ncp.rubis.cli;

import io.ncp.rubis.compare.TableComparator;
import io.ncp.rubis.compare.TableDiff;
import io.ncp.rubis.schema.Schema;
import io.ncp.rubis.schema.TableSpec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ncp-rubis compare}: every RUBiS table of each replica against the primary. The verdict ignores
 * auto-increment ids and timestamps (see {@link TableSpec}); how many rows differ only by id is reported.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Compare replicas with the primary, table by table (ids/timestamps reported, not judged).")
public final class CompareCommand implements Callable<Integer> {

    @Option(names = "--primary", required = true, paramLabel = "HOST:PORT")
    String primary;

    @Option(names = "--replica", required = true, paramLabel = "HOST:PORT", description = "repeatable")
    List<String> replicas = new ArrayList<>();

    @Option(names = "--database", defaultValue = Databases.DEFAULT_DB, description = "default ${DEFAULT-VALUE}")
    String database;

    @Option(names = "--user", defaultValue = "rubis", description = "default ${DEFAULT-VALUE} (no password)")
    String user;

    @Option(names = "--csv", description = "one row per replica and table")
    Path csv;

    @Option(names = "--fail-on-diff", description = "exit 1 when a replica's state differs")
    boolean failOnDiff;

    @Override
    public Integer call() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("replica,table,primary_rows,replica_rows,only_primary,only_replica,id_only_rows,state_equal,example");
        boolean allEqual = true;
        try (Connection p = Databases.connect(primary, database, user, false)) {
            for (String r : replicas) {
                try (Connection c = Databases.connect(r, database, user, false)) {
                    for (TableSpec t : Schema.TABLES) {
                        TableDiff d = TableComparator.compare(t, p, c);
                        allEqual &= d.stateEqual();
                        String example = d.examples().isEmpty() ? "" : d.examples().get(0);
                        lines.add(String.join(",", r, t.name(), Long.toString(d.primaryRows()),
                            Long.toString(d.replicaRows()), Long.toString(d.onlyPrimary()),
                            Long.toString(d.onlyReplica()), Long.toString(d.idOnlyRows()),
                            Boolean.toString(d.stateEqual()), '"' + example.replace("\"", "'") + '"'));
                        System.out.printf("%-22s %-10s primary %7d replica %7d  %s%s%n", r, t.name(),
                            d.primaryRows(), d.replicaRows(), d.stateEqual() ? "equal" : "DIFFERENT ("
                                + d.onlyPrimary() + " rows only on primary, " + d.onlyReplica() + " only on replica)",
                            d.idOnlyRows() > 0 ? "; " + d.idOnlyRows() + " rows under another id" : "");
                        for (String e : d.examples()) {
                            System.out.println("    " + e);
                        }
                    }
                }
            }
        }
        if (csv != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
                lines.forEach(w::println);
            }
        }
        System.out.println(allEqual ? "ncp-rubis compare: every replica's state equals the primary's"
            : "ncp-rubis compare: replicas DIFFER from the primary");
        return allEqual || !failOnDiff ? 0 : 1;
    }
}
