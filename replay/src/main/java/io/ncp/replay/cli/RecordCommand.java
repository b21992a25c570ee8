package io.ncp.replay.cli;

import io.ncp.replay.capture.CaptureFiles;
import io.ncp.replay.capture.LiveCapture;
import io.ncp.replay.capture.PacketSource;
import io.ncp.replay.capture.RawPacket;
import io.ncp.replay.decode.PacketDecoder;
import io.ncp.replay.decode.TcpPacket;
import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.replay.journal.JournalStreamListener;
import io.ncp.replay.journal.JournalWriter;
import io.ncp.replay.player.Bytes;
import io.ncp.replay.reassembly.ReassemblyConfig;
import io.ncp.replay.reassembly.TcpReassembler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pcap4j.core.PcapStat;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ncp-replay record}: live interface or pcap file → reassembled sessions → journal. */
@Command(name = "record", mixinStandardHelpOptions = true,
    description = "Reassemble the TCP sessions of a live interface (pcap4j/libpcap, needs root) or of a pcap/pcapng "
        + "file and append them to a journal. A live capture stops after --duration or --count, or on Ctrl-C/SIGTERM "
        + "(the journal is flushed and synced first).")
final class RecordCommand implements Callable<Integer> {

    /** Exactly one input. */
    static final class Input {
        @Option(names = {"-i", "--interface"}, paramLabel = "IF", description = "capture live on this interface")
        String iface;

        @Option(names = "--pcap", paramLabel = "FILE", description = "read this pcap/pcapng file")
        Path pcap;
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF", description = "capture filter, e.g. 'tcp port 6379'")
    String filter;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "JOURNAL", description = "journal file to write")
    Path out;

    @Option(names = "--append", description = "append to an existing journal (its torn tail, if any, is truncated)")
    boolean append;

    @Option(names = "--fsync", paramLabel = "POLICY", defaultValue = "1s",
        description = "never, always, or an interval like 100ms (default ${DEFAULT-VALUE})")
    String fsync;

    @Option(names = "--duration", paramLabel = "DURATION", description = "live: stop after this long")
    String duration;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "stop after N packets (0: no limit)")
    long count;

    @Option(names = "--snaplen", paramLabel = "BYTES", defaultValue = "262144", description = "live: snap length")
    int snaplen;

    @Option(names = "--buffer-size", paramLabel = "SIZE", defaultValue = "64MiB",
        description = "live: kernel capture buffer (default ${DEFAULT-VALUE})")
    String bufferSize;

    @Option(names = "--server-port", paramLabel = "PORT", split = ",",
        description = "port(s) known to be server ports (orients flows captured mid-stream)")
    List<Integer> serverPorts;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "idle flow timeout (default 120s)")
    String idleTimeout;

    @Option(names = "--client-only", description = "store only client-to-server bytes (server bytes: length only)")
    boolean clientOnly;

    private volatile boolean stop;
    private final CountDownLatch finished = new CountDownLatch(1);
    private Thread hook;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!append && Files.exists(out) && Files.size(out) > 0) {
            throw new FileAlreadyExistsException(out.toString(), null, "journal exists (use --append)");
        }
        FsyncPolicy policy = FsyncPolicy.parse(fsync);
        PrintWriter w = spec.commandLine().getOut();
        try (JournalWriter journal = JournalWriter.open(out, policy)) {
            JournalWriter.Recovery rec = journal.recovery();
            if (rec.truncatedBytes() > 0) {
                w.printf(Locale.ROOT, "journal %s: truncated a torn tail of %d bytes (%s); %d whole records kept%n",
                    out, rec.truncatedBytes(), rec.problem(), rec.records());
            }
            ReassemblyConfig config = Options.reassembly(serverPorts, idleTimeout)
                .withFirstFlowId(rec.maxSessionId() + 1);
            TcpReassembler reassembler = new TcpReassembler(config, new JournalStreamListener(journal, clientOnly));
            PacketDecoder decoder = new PacketDecoder();
            String extra = input.pcap != null ? fromFile(reassembler, decoder)
                : live(reassembler, decoder, journal);
            reassembler.finish();
            journal.sync();
            w.printf(Locale.ROOT, "recorded %d sessions, %s delivered, %d gaps (%d bytes) into %s (%d records, %s)%n",
                reassembler.stats().flowsOpened, Bytes.format(reassembler.stats().bytesDelivered),
                reassembler.stats().gaps, reassembler.stats().gapBytes, out, journal.records(),
                Bytes.format(journal.position()));
            w.println("decode: " + decoder.stats() + "; reassembly: " + reassembler.stats() + extra);
            w.flush();
        } finally {
            finished.countDown(); // a shutdown hook waiting for the journal's last sync may let the JVM exit now
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running and has seen the latch
                }
            }
        }
        return 0;
    }

    private String fromFile(TcpReassembler reassembler, PacketDecoder decoder) throws IOException {
        RawPacket raw = new RawPacket();
        TcpPacket tcp = new TcpPacket();
        long n = 0;
        try (PacketSource src = CaptureFiles.open(input.pcap)) {
            while ((count == 0 || n < count) && src.next(raw)) {
                n++;
                if (decoder.decode(raw.linkType, raw.data, raw.offset, raw.length, raw.timestampNanos, tcp)) {
                    reassembler.segment(tcp);
                }
            }
        }
        return "";
    }

    private String live(TcpReassembler reassembler, PacketDecoder decoder, JournalWriter journal)
            throws IOException, InterruptedException {
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + Options.duration(duration).toNanos();
        hook = new Thread(() -> {
            stop = true;
            try {
                finished.await(10, TimeUnit.SECONDS); // let the main loop flush the journal
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ncp-record-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        RawPacket raw = new RawPacket();
        TcpPacket tcp = new TcpPacket();
        long n = 0;
        try (LiveCapture capture = new LiveCapture(input.iface, filter, snaplen, (int) Options.size(bufferSize),
                1 << 16)) {
            capture.start();
            spec.commandLine().getErr().printf("recording %s (%s) into %s%n", input.iface,
                filter == null ? "no filter" : filter, out);
            spec.commandLine().getErr().flush();
            try {
                while (!stop && System.nanoTime() < deadline && (count == 0 || n < count)) {
                    if (capture.poll(raw, 100)) {
                        n++;
                        if (decoder.decode(raw.linkType, raw.data, raw.offset, raw.length, raw.timestampNanos, tcp)) {
                            reassembler.segment(tcp);
                        }
                    } else {
                        reassembler.advanceTime(System.currentTimeMillis() * 1_000_000L);
                    }
                    journal.tick();
                }
            } finally {
                capture.close();
                while (capture.poll(raw, 0)) { // what was queued before the loop stopped
                    if (decoder.decode(raw.linkType, raw.data, raw.offset, raw.length, raw.timestampNanos, tcp)) {
                        reassembler.segment(tcp);
                    }
                }
                PcapStat ps = capture.pcapStats();
                String stats = ps == null ? "" : "; pcap: received=" + ps.getNumPacketsReceived() + " dropped="
                    + ps.getNumPacketsDropped() + " ifdropped=" + ps.getNumPacketsDroppedByIf();
                return stats + "; queue drops=" + capture.queueDrops();
            }
        }
    }
}
