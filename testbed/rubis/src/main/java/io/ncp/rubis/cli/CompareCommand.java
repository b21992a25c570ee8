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
 * {@code ncp-rubis compare}: every RUBiS table of each replica against the primary, two verdicts side by side:
 * strict (every column equal, ids and timestamps included) and relaxed (auto-increment ids and timestamps ignored,
 * see {@link TableSpec}); how many rows differ only by id is reported. {@code --fail-on-diff} judges the relaxed
 * verdict, {@code --fail-on-strict-diff} the strict one.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Compare replicas with the primary, table by table: strict (every column) and relaxed "
        + "(ids/timestamps ignored) verdicts.")
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

    @Option(names = "--fail-on-diff", description = "exit 1 when a replica's state differs (relaxed comparison)")
    boolean failOnDiff;

    @Option(names = "--fail-on-strict-diff", description = "exit 1 when any column of any row differs")
    boolean failOnStrictDiff;

    @Override
    public Integer call() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("replica,table,primary_rows,replica_rows,only_primary,only_replica,id_only_rows,state_equal,"
            + "strict_only_primary,strict_only_replica,strict_equal,example");
        boolean allEqual = true;
        boolean allStrict = true;
        try (Connection p = Databases.connect(primary, database, user, false)) {
            for (String r : replicas) {
                try (Connection c = Databases.connect(r, database, user, false)) {
                    for (TableSpec t : Schema.TABLES) {
                        TableDiff d = TableComparator.compare(t, p, c);
                        allEqual &= d.stateEqual();
                        allStrict &= d.strictEqual();
                        String example = d.examples().isEmpty() ? "" : d.examples().get(0);
                        lines.add(String.join(",", r, t.name(), Long.toString(d.primaryRows()),
                            Long.toString(d.replicaRows()), Long.toString(d.onlyPrimary()),
                            Long.toString(d.onlyReplica()), Long.toString(d.idOnlyRows()),
                            Boolean.toString(d.stateEqual()), Long.toString(d.strictOnlyPrimary()),
                            Long.toString(d.strictOnlyReplica()), Boolean.toString(d.strictEqual()),
                            '"' + example.replace("\"", "'") + '"'));
                        System.out.printf("%-22s %-10s primary %7d replica %7d  strict: %s; relaxed: %s%s%n", r,
                            t.name(), d.primaryRows(), d.replicaRows(), d.strictEqual() ? "equal" : "DIFFERENT ("
                                + d.strictOnlyPrimary() + " rows only on primary, " + d.strictOnlyReplica()
                                + " only on replica)", d.stateEqual() ? "equal" : "DIFFERENT ("
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
        System.out.println("ncp-rubis compare: strict (every column): " + (allStrict
            ? "every replica equals the primary" : "replicas DIFFER from the primary") + "; relaxed (ids and "
            + "timestamps ignored): " + (allEqual ? "every replica equals the primary" : "replicas DIFFER"));
        return (failOnDiff && !allEqual) || (failOnStrictDiff && !allStrict) ? 1 : 0;
    }
}
