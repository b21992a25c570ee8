package io.ncp.replay.cli;

import io.ncp.replay.player.Bytes;
import io.ncp.replay.player.Inputs;
import io.ncp.replay.player.ReplayConfig;
import io.ncp.replay.player.ReplayEngine;
import io.ncp.replay.player.ReplayStats;
import io.ncp.replay.player.SessionEventSource;
import io.ncp.replay.player.SessionTable;
import io.ncp.replay.player.Timing;
import io.ncp.replay.reassembly.Direction;
import io.ncp.replay.reassembly.ReassemblyConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ncp-replay replay}: plays the client side of recorded sessions to a target server. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Replay the client-to-server bytes of every session in a journal or pcap/pcapng file to "
            + "TARGET, one connection per session. Sessions that overlapped in the capture overlap in the replay; a "
            + "session that started after another ended starts only after that one is finished here too. The "
            + "target's answers are read and counted.",
        "Damaged sessions (a client-to-server gap: bytes the capture lost) are replayed up to the gap, then "
            + "their connection is closed and they are reported; with --skip-damaged they are not replayed at "
            + "all. Nothing after a gap is ever sent."})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "INPUT", description = "journal, pcap or pcapng file")
    Path input;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "HOST:PORT",
        description = "server that receives every session")
    String target;

    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "original",
        description = "timing: original (default), a factor like 2x or 0.5x, or fast")
    String speed;

    @Option(names = "--fast", description = "as fast as possible (same as --speed fast)")
    boolean fast;

    @Option(names = "--skip-damaged", description = "do not replay sessions with a client-to-server gap "
        + "(default: replay them up to the gap, then close them)")
    boolean skipDamaged;

    @Option(names = "--server-port", paramLabel = "PORT", split = ",",
        description = "port(s) known to be server ports (orients flows captured mid-stream)")
    List<Integer> serverPorts;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
        description = "capture-time idle timeout that closes a flow of a pcap input (default 120s)")
    String idleTimeout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "5s",
        description = "per connection (default ${DEFAULT-VALUE})")
    String connectTimeout;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "5s",
        description = "after a session's last client byte, how long to wait for the target to close "
            + "(default ${DEFAULT-VALUE})")
    String drainTimeout;

    @Option(names = "--max-in-flight", paramLabel = "SIZE", defaultValue = "64MiB",
        description = "client bytes queued towards the target before reading more input (default ${DEFAULT-VALUE})")
    String maxInFlight;

    @Option(names = "--progress", paramLabel = "DURATION", defaultValue = "1s",
        description = "progress line period on stderr; 0 disables (default ${DEFAULT-VALUE})")
    String progress;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ReassemblyConfig reassembly = Options.reassembly(serverPorts, idleTimeout);
        ReplayConfig config = ReplayConfig.defaults(Options.hostPort(target))
            .withTiming(fast ? Timing.FAST : Timing.parse(speed))
            .withSkipDamaged(skipDamaged)
            .withTimeouts(Options.duration(connectTimeout), Options.duration(drainTimeout), java.time.Duration
                .ofSeconds(30))
            .withMaxInFlightBytes(Options.size(maxInFlight))
            .withProgressInterval(Options.duration(progress));
        SessionTable table;
        try (SessionEventSource first = Inputs.open(input, reassembly, false)) {
            table = SessionTable.of(first); // validates the whole input before anything is sent
        }
        Set<Long> damaged = table.damaged(Direction.CLIENT_TO_SERVER);
        out.printf(Locale.ROOT, "replaying %s to %s (%s): %d sessions, %s of client bytes, %d damaged (%s)%n", input,
            target, config.timing(), table.rows().size(), Bytes.format(table.total(Direction.CLIENT_TO_SERVER)),
            damaged.size(), skipDamaged ? "skipped" : "replayed up to their first gap");
        out.flush();
        ReplayEngine engine = new ReplayEngine(config, progress.equals("0") ? null : new PrintStream(System.err, true));
        long start = System.nanoTime();
        ReplayStats s;
        String diagnostics;
        try (SessionEventSource source = Inputs.open(input, reassembly, false)) {
            s = engine.run(source, damaged);
            diagnostics = source.diagnostics();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "done in %.2fs: sessions %d, replayed %d (max %d at once), skipped damaged %d, cut at "
            + "gap %d; sent %s, not sent %s; answers %s (capture had %s); closed early by target %d, drain "
            + "timeouts %d, errors %d%n", secs, s.sessions.get(), s.started.get(), s.maxConcurrent.get(),
            s.skippedDamaged.get(), s.cutAtGap.get(), Bytes.format(s.bytesSent.get()), Bytes.format(s.bytesNotSent
                .get()), Bytes.format(s.bytesAnswered.get()), Bytes.format(s.bytesCapturedAnswers.get()),
            s.closedEarly.get(), s.drainTimeouts.get(), s.errors.get());
        out.println(diagnostics);
        for (String e : engine.errorMessages()) {
            out.println("error: " + e);
        }
        out.flush();
        return s.errors.get() == 0 ? 0 : 1;
    }
}
