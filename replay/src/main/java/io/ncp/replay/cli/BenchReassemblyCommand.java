package io.ncp.replay.cli;

import io.ncp.replay.capture.CaptureFiles;
import io.ncp.replay.capture.PacketSource;
import io.ncp.replay.capture.RawPacket;
import io.ncp.replay.decode.PacketDecoder;
import io.ncp.replay.decode.TcpPacket;
import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.ncp.replay.reassembly.Flow;
import io.ncp.replay.reassembly.ReassemblyConfig;
import io.ncp.replay.reassembly.StreamListener;
import io.ncp.replay.reassembly.TcpReassembler;
import io.netty.buffer.ByteBuf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Hidden benchmark: read + decode + reassemble a capture file with a listener that only touches the bytes,
 * {@code --repeat} times; prints one CSV line per run: seconds, packets, file bytes, MB/s, packets/s.
 */
@Command(name = "bench-reassembly", hidden = true, mixinStandardHelpOptions = true,
    description = "Measure reassembly throughput (read + decode + reassemble) of a capture file.")
final class BenchReassemblyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PCAP")
    Path pcap;

    @Option(names = "--repeat", defaultValue = "3")
    int repeat;

    @Option(names = "--pcap4j-decode", description = "instead: decode only, with pcap4j's offline handle and "
        + "packet factory (for comparison with NCP's raw-byte decoder)")
    boolean pcap4j;

    @Override
    public Integer call() throws Exception {
        long size = Files.size(pcap);
        if (pcap4j) {
            return Pcap4jDecodeBench.run(pcap, repeat, size);
        }
        System.out.println("run,seconds,packets,file_bytes,stream_bytes,gaps,mb_per_s,packets_per_s");
        for (int run = 1; run <= repeat; run++) {
            long[] sink = new long[2];
            StreamListener listener = new StreamListener() {
                @Override
                public void onOpen(Flow flow) {
                }

                @Override
                public void onData(Flow flow, Direction d, ByteBuf data, long offset, long ts) {
                    sink[0] += data.readableBytes();
                    sink[1] += data.getByte(data.readerIndex());
                }

                @Override
                public void onGap(Flow flow, Direction d, long offset, long length, long ts) {
                }

                @Override
                public void onClose(Flow flow, Direction d, CloseReason reason, long offset, long ts) {
                }
            };
            TcpReassembler r = new TcpReassembler(ReassemblyConfig.defaults(), listener);
            PacketDecoder decoder = new PacketDecoder();
            RawPacket raw = new RawPacket();
            TcpPacket tcp = new TcpPacket();
            long start = System.nanoTime();
            long packets = 0;
            try (PacketSource src = CaptureFiles.open(pcap)) {
                while (src.next(raw)) {
                    packets++;
                    if (decoder.decode(raw.linkType, raw.data, raw.offset, raw.length, raw.timestampNanos, tcp)) {
                        r.segment(tcp);
                    }
                }
            }
            r.finish();
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%d,%.3f,%d,%d,%d,%d,%.1f,%.0f%n", run, secs, packets, size, sink[0],
                r.stats().gaps, size / secs / 1e6, packets / secs);
        }
        return 0;
    }
}
