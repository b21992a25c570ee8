package io.ncp.rubis.cli;

import io.ncp.rubis.stats.LatencyRecorder;
import io.ncp.rubis.stats.RunSummary;
import io.ncp.rubis.workload.ClientState;
import io.ncp.rubis.workload.EmulatedClient;
import io.ncp.rubis.workload.TransitionTable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ncp-rubis run}: emulated clients on the bidding mix for a fixed time; prints and writes the summary. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run emulated RUBiS clients (bidding mix, ~15 %% read-write) against one database address.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--db", required = true, paramLabel = "HOST:PORT",
        description = "where clients connect (the primary's address: NCP's flows redirect it)")
    String db;

    @Option(names = "--database", defaultValue = Databases.DEFAULT_DB, description = "default ${DEFAULT-VALUE}")
    String database;

    @Option(names = "--user", defaultValue = "rubis", description = "default ${DEFAULT-VALUE} (no password)")
    String user;

    @Option(names = "--clients", defaultValue = "16", description = "emulated clients, default ${DEFAULT-VALUE}")
    int clients;

    @Option(names = "--duration", defaultValue = "30", description = "measured seconds, default ${DEFAULT-VALUE}")
    int duration;

    @Option(names = "--warmup", defaultValue = "5", description = "unmeasured seconds first, default ${DEFAULT-VALUE}")
    int warmup;

    @Option(names = "--think-ms", defaultValue = "0",
        description = "mean exponential think time between pages (RUBiS: 7000), default ${DEFAULT-VALUE}")
    double thinkMs;

    @Option(names = "--seed", defaultValue = "42", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--run-tag", description = "prefix of new nicknames (unique per run), default: from the clock")
    String runTag;

    @Option(names = "--label", defaultValue = "rubis", description = "first CSV column, default ${DEFAULT-VALUE}")
    String label;

    @Option(names = "--csv", description = "summary CSV (one row + header)")
    Path csv;

    @Option(names = "--pages-csv", description = "per-page CSV")
    Path pagesCsv;

    @Override
    public Integer call() throws Exception {
        int[] scale = scale();
        String tag = runTag != null ? runTag : Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);
        String url = Databases.url(db, database, user);
        TransitionTable table = TransitionTable.biddingMix();
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long deadline = measureFrom + TimeUnit.SECONDS.toNanos(duration);
        List<EmulatedClient> emulated = new ArrayList<>();
        List<LatencyRecorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            LatencyRecorder rec = new LatencyRecorder();
            ClientState st = new ClientState(i, seed, tag, scale[0], scale[1], scale[2], scale[3]);
            EmulatedClient client = new EmulatedClient(url, table, st, rec, measureFrom, deadline, thinkMs);
            emulated.add(client);
            recorders.add(rec);
            Thread t = new Thread(client, "rubis-client-" + i);
            threads.add(t);
            t.start();
        }
        LatencyRecorder merged = new LatencyRecorder();
        int failed = 0;
        for (int i = 0; i < clients; i++) {
            threads.get(i).join(TimeUnit.SECONDS.toMillis(warmup + duration + 600L));
            if (threads.get(i).isAlive() || emulated.get(i).failure() != null) {
                failed++;
                System.err.println("ncp-rubis run: client " + i + " failed: " + emulated.get(i).failure());
            } else {
                merged.merge(recorders.get(i));
            }
        }
        RunSummary summary = new RunSummary(label, clients, duration, merged);
        System.out.println(summary.line());
        if (csv != null) {
            summary.write(csv, pagesCsv);
        }
        return failed == 0 && summary.pages() > 0 ? 0 : 1;
    }

    /** users, items, categories, regions of the loaded data set (RUBiS's {@code ids} table). */
    private int[] scale() throws Exception {
        try (Connection c = Databases.connect(db, database, user, false); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT users, item, category, region FROM ids WHERE id = 0")) {
            if (!rs.next()) {
                throw new IllegalStateException("no RUBiS data at " + db + " (run ncp-rubis load first)");
            }
            return new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)};
        }
    }
}
