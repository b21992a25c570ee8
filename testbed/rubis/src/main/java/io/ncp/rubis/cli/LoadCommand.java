package io.ncp.rubis.cli;

import io.ncp.rubis.schema.DataGenerator;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ncp-rubis load}: the same deterministic data set into every given database, in parallel. */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Create the RUBiS schema and load the deterministic initial data into each database.")
public final class LoadCommand implements Callable<Integer> {

    @Option(names = "--db", required = true, paramLabel = "HOST:PORT", description = "a database (repeatable)")
    List<String> dbs = new ArrayList<>();

    @Option(names = "--database", defaultValue = Databases.DEFAULT_DB, description = "default ${DEFAULT-VALUE}")
    String database;

    @Option(names = "--user", defaultValue = "rubis", description = "default ${DEFAULT-VALUE} (no password)")
    String user;

    @Option(names = "--users", defaultValue = "5000", description = "default ${DEFAULT-VALUE}")
    int users;

    @Option(names = "--items", defaultValue = "10000", description = "default ${DEFAULT-VALUE}")
    int items;

    @Option(names = "--bids-per-item", defaultValue = "5", description = "default ${DEFAULT-VALUE}")
    int bidsPerItem;

    @Option(names = "--categories", defaultValue = "20", description = "default ${DEFAULT-VALUE} (RUBiS)")
    int categories;

    @Option(names = "--regions", defaultValue = "62", description = "default ${DEFAULT-VALUE} (RUBiS)")
    int regions;

    @Option(names = "--seed", defaultValue = "1", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Override
    public Integer call() throws Exception {
        DataGenerator.Scale scale = new DataGenerator.Scale(users, items, bidsPerItem, categories, regions, seed);
        ExecutorService pool = Executors.newFixedThreadPool(dbs.size());
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (String db : dbs) {
                done.add(pool.submit(() -> {
                    try (Connection c = Databases.connect(db, database, user, true)) {
                        return new DataGenerator(scale).load(c);
                    }
                }));
            }
            for (int i = 0; i < dbs.size(); i++) {
                System.out.println("ncp-rubis load: " + dbs.get(i) + ": " + done.get(i).get() + " rows");
            }
            return 0;
        } finally {
            pool.shutdownNow();
        }
    }
}
