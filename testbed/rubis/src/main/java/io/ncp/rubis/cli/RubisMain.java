package io.ncp.rubis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ncp-rubis}: entry point of the shaded jar. Exit codes: 0 ok, 1 failure/difference, 2 bad arguments. */
@Command(name = "ncp-rubis", mixinStandardHelpOptions = true, version = "ncp-rubis 0.1",
    description = "RUBiS-style auction workload over JDBC for the NCP testbed.",
    subcommands = {LoadCommand.class, RunCommand.class, CompareCommand.class, CommandLine.HelpCommand.class})
public final class RubisMain implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        return new CommandLine(new RubisMain()).execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: load, run or compare");
    }
}
