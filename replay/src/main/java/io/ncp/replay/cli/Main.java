package io.ncp.replay.cli;

import io.ncp.replay.capture.CaptureException;
import io.ncp.replay.capture.CaptureFormatException;
import io.ncp.replay.journal.JournalCorruptException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ncp-replay}: capture, journal and offline replay of TCP sessions. */
@Command(name = "ncp-replay", mixinStandardHelpOptions = true, version = "ncp-replay 0.1",
    description = "Capture TCP sessions (live or from pcap) into a journal, inspect them, replay them to a server.",
    subcommands = {RecordCommand.class, ReplayCommand.class, InspectCommand.class, GenerateCommand.class,
        BenchReassemblyCommand.class})
public final class Main implements Runnable {

    /** Exit code for bad arguments or unreadable input. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: record, replay or inspect");
    }

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // pcap4j logs every close at INFO
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (tests call this in-process). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (isBadInput(e)) {
                commandLine.getErr().println("ncp-replay: " + e.getMessage());
                return BAD_INPUT;
            }
            commandLine.getErr().println("ncp-replay: error: " + e);
            e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cl.execute(args);
    }

    static boolean isBadInput(Throwable e) {
        return e instanceof CaptureFormatException || e instanceof JournalCorruptException
            || e instanceof NoSuchFileException || e instanceof FileAlreadyExistsException
            || e instanceof CaptureException || e instanceof IllegalArgumentException;
    }
}
