package io.ncp.middlebox.cli;

import io.ncp.middlebox.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ncp-middlebox}: entry point of the shaded jar. */
@Command(name = "ncp-middlebox", mixinStandardHelpOptions = true, version = "ncp-middlebox 0.1",
    description = "Replicates TCP services: forwards each client session to a primary and replays it to replicas.",
    subcommands = {RunCommand.class, MirrorCommand.class, DemoCommand.class, StatusCommand.class,
        ReadmitCommand.class, ResyncCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for bad arguments or configuration. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException) {
                cmd.getErr().println("ncp-middlebox: bad configuration: " + ex.getMessage());
                return EXIT_USAGE;
            }
            if (ex instanceof IllegalStateException) {
                cmd.getErr().println("ncp-middlebox: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "missing command: run, mirror, demo, status, readmit or resync");
    }
}
