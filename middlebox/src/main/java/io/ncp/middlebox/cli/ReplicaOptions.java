package io.ncp.middlebox.cli;

import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.Units;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags-mode service options shared by {@code run} and {@code mirror}: name, replicas, comparison, backlog. */
final class ReplicaOptions {

    @Option(names = "--name", defaultValue = "default",
        description = "service name (flags mode), default ${DEFAULT-VALUE}")
    String name;

    @Option(names = {"-r", "--replica"}, paramLabel = "HOST:PORT[@BIND]",
        description = "a replica (repeatable); @BIND = local address for its connections")
    List<String> replicas = new ArrayList<>();

    @Option(names = "--compare", description = "answer comparison: bytes, none, postgres")
    String compare;

    @Option(names = "--backlog", paramLabel = "SIZE", description = "per replica per session backlog, default 64MiB")
    String backlog;

    /** Whether any service option was given (they conflict with a config file). */
    boolean given() {
        return !replicas.isEmpty() || compare != null || backlog != null;
    }

    List<ReplicaConfig> replicaConfigs() {
        List<ReplicaConfig> reps = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            reps.add(ReplicaConfig.parse("--replica[" + i + "]", replicas.get(i)));
        }
        return reps;
    }

    long backlogBytes() {
        return backlog == null ? ServiceConfig.DEFAULT_BACKLOG : Units.parseSize("--backlog", backlog);
    }
}
