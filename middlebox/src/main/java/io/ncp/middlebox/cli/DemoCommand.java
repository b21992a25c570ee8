package io.ncp.middlebox.cli;

import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ncp-middlebox demo}: replicate a loopback primary to two replicas and show them identical. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Start a primary and 2 replicas on loopback (built-in key-value servers, or redis-server with --redis),",
        "drive concurrent write sessions through the middlebox, compare the three datasets.",
        "Exit code 0 = replicas in sync, 1 = divergence."
    })
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--sessions", defaultValue = "8", description = "concurrent client sessions (${DEFAULT-VALUE})")
    int sessions;

    @Option(names = "--ops", defaultValue = "50000", description = "writes per session (${DEFAULT-VALUE})")
    int ops;

    @Option(names = "--redis", description = "use real redis-server processes (must be on PATH)")
    boolean redis;

    @Option(names = {"-t", "--threads"}, description = "middlebox shards, default = cores")
    Integer threads;

    @Option(names = "--lockstep", description = "replicate in lockstep mode (answers wait for the replicas)")
    boolean lockstep;

    @Override
    public Integer call() throws Exception {
        if (sessions < 1 || sessions > 1000) {
            throw new ConfigException("--sessions", "'" + sessions + "' must be 1..1000");
        }
        if (ops < 1) {
            throw new ConfigException("--ops", "'" + ops + "' must be positive");
        }
        if (threads != null && threads < 1) {
            throw new ConfigException("--threads", "'" + threads + "' must be positive");
        }
        return new Demo(sessions, ops, redis, threads, System.out).lockstep(lockstep).run();
    }
}
