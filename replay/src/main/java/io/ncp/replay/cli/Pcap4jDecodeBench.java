package io.ncp.replay.cli;

import java.io.EOFException;
import java.nio.file.Path;
import java.util.Locale;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;

/** The comparison point for {@link BenchReassemblyCommand}: pcap4j's offline reader and object decoder. */
final class Pcap4jDecodeBench {

    private Pcap4jDecodeBench() {
    }

    static int run(Path pcap, int repeat, long size) throws Exception {
        System.out.println("run,seconds,packets,file_bytes,tcp_payload_bytes,mb_per_s,packets_per_s");
        for (int run = 1; run <= repeat; run++) {
            long packets = 0;
            long payload = 0;
            long start = System.nanoTime();
            try (PcapHandle h = Pcaps.openOffline(pcap.toString(), PcapHandle.TimestampPrecision.NANO)) {
                while (true) {
                    Packet p;
                    try {
                        p = h.getNextPacketEx();
                    } catch (EOFException end) {
                        break;
                    }
                    packets++;
                    TcpPacket tcp = p.get(TcpPacket.class);
                    if (tcp != null && tcp.getPayload() != null) {
                        payload += tcp.getPayload().length();
                    }
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%d,%.3f,%d,%d,%d,%.1f,%.0f%n", run, secs, packets, size, payload,
                size / secs / 1e6, packets / secs);
        }
        return 0;
    }
}
