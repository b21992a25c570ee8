package io.ncp.jmh;

import io.ncp.replay.capture.CaptureFiles;
import io.ncp.replay.capture.PacketSource;
import io.ncp.replay.capture.RawPacket;
import io.ncp.replay.capture.SyntheticTraffic;
import io.ncp.replay.decode.PacketDecoder;
import io.ncp.replay.decode.TcpPacket;
import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.ncp.replay.reassembly.Flow;
import io.ncp.replay.reassembly.ReassemblyConfig;
import io.ncp.replay.reassembly.StreamListener;
import io.ncp.replay.reassembly.TcpReassembler;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * replay's {@link TcpReassembler} on decoded segments held in memory (no file reading or decoding in the measured
 * part): {@value #FLOWS} flows of {@value #BYTES_PER_FLOW} bytes, 16 interleaved, {@value #MSS}-byte segments each
 * acknowledged by a small answer, with {@code reorder} of the segments swapped with their successor and half as many
 * sent twice ({@link SyntheticTraffic}). One operation = the whole capture through a fresh reassembler; payload
 * bytes per operation: {@value #FLOWS} x {@value #BYTES_PER_FLOW} client bytes plus the answers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReassemblyBenchmark {

    static final int FLOWS = 64;
    static final int BYTES_PER_FLOW = 256 * 1024;
    static final int MSS = 1448;

    @Param({"0.0", "0.02"})
    double reorder;

    private TcpPacket[] packets;
    private final long[] sink = new long[2];
    private final StreamListener listener = new StreamListener() {
        @Override
        public void onOpen(Flow flow) {
            sink[1]++;
        }

        @Override
        public void onData(Flow flow, Direction d, ByteBuf data, long offset, long ts) {
            sink[0] += data.readableBytes();
        }

        @Override
        public void onGap(Flow flow, Direction d, long offset, long length, long ts) {
            throw new IllegalStateException("gap in a capture without loss");
        }

        @Override
        public void onClose(Flow flow, Direction d, CloseReason reason, long offset, long ts) {
            sink[1]++;
        }
    };

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path file = Files.createTempFile("ncp-jmh-", ".pcap");
        try {
            new SyntheticTraffic(42, MSS, reorder, reorder / 2).write(file, FLOWS, BYTES_PER_FLOW, 16);
            List<TcpPacket> list = new ArrayList<>();
            PacketDecoder decoder = new PacketDecoder();
            RawPacket raw = new RawPacket();
            try (PacketSource src = CaptureFiles.open(file)) {
                while (src.next(raw)) {
                    byte[] frame = Arrays.copyOfRange(raw.data, raw.offset, raw.offset + raw.length);
                    TcpPacket p = new TcpPacket();
                    if (decoder.decode(raw.linkType, frame, 0, frame.length, raw.timestampNanos, p)) {
                        list.add(p);
                    }
                }
            }
            packets = list.toArray(new TcpPacket[0]);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Benchmark
    public long reassemble() {
        TcpReassembler r = new TcpReassembler(ReassemblyConfig.defaults(), listener);
        for (TcpPacket p : packets) {
            r.segment(p);
        }
        r.finish();
        return sink[0] + sink[1];
    }
}
