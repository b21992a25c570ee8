package io.ncp.replay.cli;

import io.ncp.replay.player.Bytes;
import io.ncp.replay.player.Inputs;
import io.ncp.replay.player.SessionEvent;
import io.ncp.replay.player.SessionEventSource;
import io.ncp.replay.player.SessionTable;
import io.ncp.replay.reassembly.Direction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ncp-replay inspect}: sessions, bytes and gaps of a journal or capture file. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "List the TCP sessions of a journal or pcap/pcapng file: endpoints, bytes per direction, "
        + "gaps (lost bytes, with their stream offsets) and how each direction ended.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "INPUT", description = "journal, pcap or pcapng file")
    Path input;

    @Option(names = "--sessions", paramLabel = "N", defaultValue = "50",
        description = "list at most N sessions (damaged ones first); 0 lists none (default ${DEFAULT-VALUE})")
    int maxRows;

    @Option(names = "--csv", description = "print one CSV line per session instead of the table")
    boolean csv;

    @Option(names = "--server-port", paramLabel = "PORT", split = ",",
        description = "port(s) known to be server ports (orients flows captured mid-stream)")
    List<Integer> serverPorts;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
        description = "capture-time idle timeout that closes a flow (default 120s)")
    String idleTimeout;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SessionTable table = new SessionTable();
        String diagnostics;
        try (SessionEventSource source = Inputs.open(input, Options.reassembly(serverPorts, idleTimeout), false)) {
            try {
                SessionEvent e;
                while ((e = source.next()) != null) {
                    table.add(e);
                    e.release();
                }
            } finally {
                diagnostics = source.diagnostics();
                if (csv) {
                    printCsv(out, table);
                } else {
                    print(out, table, diagnostics);
                }
            }
        }
        return 0;
    }

    private void print(PrintWriter out, SessionTable t, String diagnostics) {
        long sessions = t.rows().size();
        long midstream = t.rows().stream().filter(r -> r.info.midstream()).count();
        List<SessionTable.Row> damaged = t.damagedRows();
        long gaps = t.rows().stream().mapToLong(r -> r.gaps[0] + r.gaps[1]).sum();
        long gapBytes = t.rows().stream().mapToLong(r -> r.gapBytes[0] + r.gapBytes[1]).sum();
        out.printf(Locale.ROOT, "input: %s%n", input);
        out.printf(Locale.ROOT, "sessions: %d (damaged %d, midstream %d)  client bytes: %d  server bytes: %d"
            + "  gaps: %d (%d bytes)%n", sessions, damaged.size(), midstream, t.total(Direction.CLIENT_TO_SERVER),
            t.total(Direction.SERVER_TO_CLIENT), gaps, gapBytes);
        long first = t.rows().stream().mapToLong(r -> r.info.startNanos()).min().orElse(0);
        int shown = 0;
        if (maxRows > 0 && sessions > 0) {
            out.printf(Locale.ROOT, "%6s  %-45s %10s %9s %10s %10s  %-11s %s%n", "id", "client -> server", "start",
                "duration", "c>s", "s>c", "close", "notes");
        }
        for (SessionTable.Row r : damaged) {
            if (shown++ >= maxRows) {
                break;
            }
            row(out, r, first);
        }
        for (SessionTable.Row r : t.rows()) {
            if (r.damaged()) {
                continue;
            }
            if (shown++ >= maxRows) {
                break;
            }
            row(out, r, first);
        }
        if (sessions > maxRows && maxRows > 0) {
            out.printf(Locale.ROOT, "... %d more sessions (--sessions N)%n", sessions - maxRows);
        }
        if (t.orphanEvents() > 0) {
            out.printf(Locale.ROOT, "events of sessions never opened: %d%n", t.orphanEvents());
        }
        out.println(diagnostics);
        out.flush();
    }

    private static void printCsv(PrintWriter out, SessionTable t) {
        out.println("id,client,server,start_ns,last_ns,midstream,c2s_bytes,s2c_bytes,c2s_gaps,c2s_gap_bytes,"
            + "c2s_first_gap,s2c_gaps,s2c_gap_bytes,s2c_first_gap,c2s_close,s2c_close");
        for (SessionTable.Row r : t.rows()) {
            out.printf(Locale.ROOT, "%d,%s,%s,%d,%d,%b,%d,%d,%d,%d,%d,%d,%d,%d,%s,%s%n", r.info.sessionId(),
                r.info.client(), r.info.server(), r.info.startNanos(), r.lastNanos, r.info.midstream(), r.bytes[0],
                r.bytes[1], r.gaps[0], r.gapBytes[0], r.firstGap[0], r.gaps[1], r.gapBytes[1], r.firstGap[1],
                name(r.closed[0]), name(r.closed[1]));
        }
        out.flush();
    }

    private static void row(PrintWriter out, SessionTable.Row r, long first) {
        StringBuilder notes = new StringBuilder();
        for (Direction d : Direction.values()) {
            int i = d.ordinal();
            if (r.gaps[i] > 0) {
                notes.append(String.format(Locale.ROOT, "%s: %d gap(s), %d bytes, first at offset %d; ", d.arrow(),
                    r.gaps[i], r.gapBytes[i], r.firstGap[i]));
            }
        }
        if (r.info.midstream()) {
            notes.append("midstream");
        }
        String close = name(r.closed[0]) + "/" + name(r.closed[1]);
        out.printf(Locale.ROOT, "%6d  %-45s %9.3fs %8.3fs %10s %10s  %-11s %s%n", r.info.sessionId(),
            r.info.client() + " -> " + r.info.server(), (r.info.startNanos() - first) / 1e9,
            (r.lastNanos - r.info.startNanos()) / 1e9, Bytes.format(r.bytes[0]), Bytes.format(r.bytes[1]), close,
            notes.toString().trim());
    }

    private static String name(Object reason) {
        return reason == null ? "open" : reason.toString();
    }
}
