package io.ncp.middlebox.mirror;

import io.ncp.replay.capture.PcapWriter;
import io.ncp.replay.decode.LinkType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes hand-built TCP sessions (raw IPv4 frames) to a pcap file: handshake, client requests, server answers with
 * ACKs, FINs. A request can be left out of the file ("dropped by the capture") while the server still acknowledges
 * it, which proves the loss to the reassembler.
 */
final class SessionPcap implements AutoCloseable {

    static final byte[] CLIENT = {10, 0, 0, 1};
    static final byte[] SERVER = {10, 0, 0, 2};
    static final int SERVER_PORT = 6379;

    private final PcapWriter out;
    private long ts = 1_700_000_000_000_000_000L;

    SessionPcap(Path file) throws IOException {
        out = new PcapWriter(file, LinkType.RAW, 65535);
    }

    /** One session from {@code clientPort}: each request is answered with {@code +OK}; {@code drop} is not written. */
    void session(int clientPort, String[] requests, int drop) throws IOException {
        int cSeq = 1000;
        int sSeq = 5000;
        write(true, clientPort, cSeq, 0, 0x02, new byte[0]);
        write(false, clientPort, sSeq, cSeq + 1, 0x12, new byte[0]);
        cSeq++;
        sSeq++;
        write(true, clientPort, cSeq, sSeq, 0x10, new byte[0]);
        byte[] ok = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < requests.length; i++) {
            byte[] req = requests[i].getBytes(StandardCharsets.US_ASCII);
            if (i != drop) {
                write(true, clientPort, cSeq, sSeq, 0x18, req);
            }
            cSeq += req.length;
            write(false, clientPort, sSeq, cSeq, 0x18, ok); // acknowledges the request, seen or not
            sSeq += ok.length;
        }
        write(true, clientPort, cSeq, sSeq, 0x11, new byte[0]);
        write(false, clientPort, sSeq, cSeq + 1, 0x11, new byte[0]);
        write(true, clientPort, cSeq + 1, sSeq + 1, 0x10, new byte[0]);
    }

    private void write(boolean fromClient, int clientPort, int seq, int ack, int flags, byte[] payload)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (40 + payload.length)).putShort((short) 1)
            .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0);
        b.put(fromClient ? CLIENT : SERVER).put(fromClient ? SERVER : CLIENT);
        b.putShort((short) (fromClient ? clientPort : SERVER_PORT)).putShort((short) (fromClient ? SERVER_PORT
            : clientPort));
        b.putInt(seq).putInt(ack).put((byte) (5 << 4)).put((byte) flags).putShort((short) 65535)
            .putShort((short) 0).putShort((short) 0);
        b.put(payload);
        ts += 1_000_000;
        out.write(ts, b.array(), 0, b.capacity());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
