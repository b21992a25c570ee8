package io.ncp.replay.capture;

import io.ncp.replay.decode.LinkType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a synthetic Ethernet/IPv4/TCP capture for benchmarks: {@code flows} connections, {@code active} of
 * them interleaved at a time, each with a handshake, client data in {@code mss}-sized segments (each
 * acknowledged by the server with a small answer), and FIN/FIN. A fraction of segments is swapped with its
 * successor ({@code reorder}) or sent twice ({@code duplicate}), so the reassembler does real work.
 */
public final class SyntheticTraffic {

    private final Random rnd;
    private final int mss;
    private final double reorder;
    private final double duplicate;
    private final byte[] frame = new byte[14 + 20 + 20 + 65535];
    private long ts = 1_700_000_000_000_000_000L;

    public SyntheticTraffic(long seed, int mss, double reorder, double duplicate) {
        this.rnd = new Random(seed);
        this.mss = mss;
        this.reorder = reorder;
        this.duplicate = duplicate;
    }

    /** Writes the capture; returns the number of frames. */
    public long write(Path out, int flows, long bytesPerFlow, int active) throws IOException {
        long frames = 0;
        try (PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, 65535)) {
            for (int first = 0; first < flows; first += active) {
                int n = Math.min(active, flows - first);
                long[] sent = new long[n];
                int[] isn = new int[n];
                int[] srv = new int[n];
                for (int i = 0; i < n; i++) {
                    isn[i] = rnd.nextInt();
                    srv[i] = 1001;
                    frames += emit(w, first + i, true, isn[i], 0, 0x02, 0);
                    frames += emit(w, first + i, false, 1000, isn[i] + 1, 0x12, 0);
                }
                boolean more = true;
                while (more) {
                    more = false;
                    for (int i = 0; i < n; i++) {
                        if (sent[i] >= bytesPerFlow) {
                            continue;
                        }
                        more = true;
                        int len = (int) Math.min(mss, bytesPerFlow - sent[i]);
                        int seq = isn[i] + 1 + (int) sent[i];
                        if (rnd.nextDouble() < reorder && sent[i] + len < bytesPerFlow) {
                            int len2 = (int) Math.min(mss, bytesPerFlow - sent[i] - len);
                            frames += emit(w, first + i, true, seq + len, 1001, 0x18, len2);
                            frames += emit(w, first + i, true, seq, 1001, 0x18, len);
                            len += len2;
                        } else {
                            frames += emit(w, first + i, true, seq, 1001, 0x18, len);
                            if (rnd.nextDouble() < duplicate) {
                                frames += emit(w, first + i, true, seq, 1001, 0x18, len);
                            }
                        }
                        sent[i] += len;
                        frames += emit(w, first + i, false, srv[i], isn[i] + 1 + (int) sent[i], 0x18, 4);
                        srv[i] += 4;
                    }
                }
                for (int i = 0; i < n; i++) {
                    int end = isn[i] + 1 + (int) sent[i];
                    frames += emit(w, first + i, true, end, 1001, 0x11, 0);
                    frames += emit(w, first + i, false, srv[i], end + 1, 0x11, 0);
                }
            }
        }
        return frames;
    }

    private int emit(PcapWriter w, int flow, boolean fromClient, int seq, int ack, int flags, int len)
            throws IOException {
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.put(new byte[12]).putShort((short) 0x0800);
        int client = 0x0A000000 | (flow >>> 16 & 0xFF) << 8 | 1;
        int server = 0x0A010001;
        int clientPort = 1024 + (flow & 0xFFFF) % 60000;
        b.put((byte) 0x45).put((byte) 0).putShort((short) (40 + len)).putInt(0).put((byte) 64).put((byte) 6)
            .putShort((short) 0).putInt(fromClient ? client : server).putInt(fromClient ? server : client);
        b.putShort((short) (fromClient ? clientPort : 6379)).putShort((short) (fromClient ? 6379 : clientPort))
            .putInt(seq).putInt(ack).put((byte) 0x50).put((byte) flags).putShort((short) 65535).putInt(0);
        for (int i = 0; i < len; i++) {
            b.put((byte) (seq + i));
        }
        ts += 1000 + rnd.nextInt(1000);
        w.write(ts, frame, 0, 54 + len);
        return 1;
    }
}
