package io.ncp.middlebox.it;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HookCommand;
import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ResyncConfig;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The PostgreSQL resync recipe of docs/resync.md as test fixtures: the snapshot hook (an exported REPEATABLE READ
 * snapshot) and the restore hook ({@code pg_dump --snapshot}, drop, create, {@code pg_restore}) as script files in a
 * test directory, and a middlebox replicating a primary to one replica with them ({@code compare: postgres}).
 */
final class PgResyncFixture {

    private final Path dir;
    private io.ncp.middlebox.config.Protocol protocol = io.ncp.middlebox.config.Protocol.BYTES;

    /** @param dir the test's directory (scripts, their state, the journal) */
    PgResyncFixture(Path dir) {
        this.dir = dir;
    }

    /** The service's protocol from now on (default: byte replay). */
    PgResyncFixture protocol(io.ncp.middlebox.config.Protocol p) {
        this.protocol = p;
        return this;
    }

    /** The snapshot hook of the recipe, as a script file ({@code state}: where it leaves the snapshot id). */
    HookCommand snapshotHook(Path state) throws Exception {
        Path script = dir.resolve("pg-snapshot.sh");
        Files.writeString(script, String.join("\n",
            "set -e",
            "D=" + state,
            "mkdir -p \"$D\"; rm -f \"$D/snap\" \"$D/snap.tmp\" \"$D/release\"",
            "# the holder: a REPEATABLE READ transaction whose snapshot (taken by its first query, now, while the",
            "# clients are held) is exported; it stays open until the restore hook dumped with it (at most 10 min)",
            "psql -h \"$NCP_PRIMARY_HOST\" -p \"$NCP_PRIMARY_PORT\" -U postgres -d postgres -X -Atq "
                + "-v ON_ERROR_STOP=1 >\"$D/holder.out\" 2>\"$D/holder.err\" <<SQL &",
            "BEGIN ISOLATION LEVEL REPEATABLE READ;",
            "SELECT pg_export_snapshot() AS snap \\gset",
            "\\setenv NCP_SNAP :snap",
            "\\! echo \"\\$NCP_SNAP\" > \"$D/snap.tmp\" && mv \"$D/snap.tmp\" \"$D/snap\"",
            "\\! i=0; while [ ! -e \"$D/release\" ] && [ \\$i -lt 6000 ]; do sleep 0.1; i=\\$((i+1)); done",
            "COMMIT;",
            "SQL",
            "i=0",
            "until [ -s \"$D/snap\" ]; do",
            "  i=$((i+1)); [ $i -lt 1000 ] || { echo \"no exported snapshot after 10 s: $(cat \"$D/holder.err\")\" >&2;"
                + " exit 1; }",
            "  sleep 0.01",
            "done", ""));
        return HookCommand.command(List.of("sh", script.toString()));
    }

    /** The restore hook of the recipe, as a script file. */
    HookCommand restoreHook(Path state) throws Exception {
        return restoreHook(state, "");
    }

    /** The restore hook of the recipe, then {@code after} (a shell line run once the dump is restored). */
    HookCommand restoreHook(Path state, String after) throws Exception {
        Path script = dir.resolve("pg-restore.sh");
        Files.writeString(script, String.join("\n",
            "set -e",
            "D=" + state,
            "trap 'touch \"$D/release\"' EXIT   # the holder ends whatever happens",
            "pg_dump -h \"$NCP_PRIMARY_HOST\" -p \"$NCP_PRIMARY_PORT\" -U postgres -Fc "
                + "--snapshot=\"$(cat \"$D/snap\")\" -f \"$D/dump\" postgres",
            "touch \"$D/release\"",
            "R=\"-h $NCP_REPLICA_HOST -p $NCP_REPLICA_PORT -U postgres\"",
            "psql $R -X -q -v ON_ERROR_STOP=1 -d template1 -c 'DROP DATABASE IF EXISTS postgres WITH (FORCE)' "
                + "-c 'CREATE DATABASE postgres TEMPLATE template0'",
            "pg_restore $R -d postgres --exit-on-error \"$D/dump\"", after, ""));
        return HookCommand.command(List.of("sh", script.toString()));
    }

    /**
     * A middlebox with service {@code pg} ({@code compare: postgres}, byte replay) from {@code primary} to
     * {@code replica}, the recipe's hooks, quiet 20 ms, the given {@code maxPause}, and a catch-up journal.
     */
    Middlebox start(PostgresServer primary, PostgresServer replica, Duration maxPause) throws Exception {
        return start(primary, replica, maxPause, "");
    }

    /** {@link #start(PostgresServer, PostgresServer, Duration)} whose restore hook ends with {@code afterRestore}. */
    Middlebox start(PostgresServer primary, PostgresServer replica, Duration maxPause, String afterRestore)
            throws Exception {
        return start(primary, replica, maxPause, afterRestore, null);
    }

    /** ... and a replica timeout (null: the default), which also bounds a copy's login. */
    Middlebox start(PostgresServer primary, PostgresServer replica, Duration maxPause, String afterRestore,
            Duration replicaTimeout) throws Exception {
        Path state = dir.resolve("pg-resync");
        ResyncConfig resync = new ResyncConfig(snapshotHook(state), restoreHook(state, afterRestore),
            Duration.ofMillis(20), maxPause,
            Duration.ofSeconds(120), Duration.ofSeconds(60), false);
        ServiceConfig svc = Harness.service("pg", primary.hostPort(), CompareMode.POSTGRES, 64L << 20,
            replica.hostPort()).withResync(resync).withProtocol(protocol);
        MiddleboxConfig cfg = Harness.config(ReplicaLoop.SHARED, svc).withJournal(new JournalConfig(
            dir.resolve("journal"), 1L << 30, FsyncPolicy.NEVER));
        return Middlebox.start(replicaTimeout == null ? cfg : cfg.withReplicaTimeout(replicaTimeout));
    }
}
