package io.ncp.middlebox.mirror;

import io.ncp.middlebox.stats.CaptureStats;
import io.ncp.replay.capture.CaptureFiles;
import io.ncp.replay.capture.PacketSource;
import io.ncp.replay.capture.RawPacket;
import io.ncp.replay.decode.LinkType;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A pcap/pcapng file (read in Java by {@link CaptureFiles}), with the BPF filter applied per frame through libpcap's
 * compiler and interpreter. The reader reuses its buffer, so each kept frame is copied.
 */
final class FileInput implements PacketInput {

    /** libpcap's PCAP_NETMASK_UNKNOWN (only "ip broadcast" filters need the real netmask). */
    private static final Inet4Address NETMASK_UNKNOWN = netmaskUnknown();

    private final PacketSource source;
    private final String filter;
    private final int snaplen;
    private final RawPacket raw = new RawPacket();
    private LinkType compiledFor;
    private BpfProgram program;

    private FileInput(PacketSource source, String filter, int snaplen) {
        this.source = source;
        this.filter = filter;
        this.snaplen = snaplen;
    }

    /**
     * Opens {@code file}.
     *
     * @throws IOException naming the file when it is missing, unreadable or not a capture
     */
    static FileInput open(Path file, String filter, int snaplen) throws IOException {
        return new FileInput(CaptureFiles.open(file), filter, snaplen);
    }

    /** Compiles {@code filter} for Ethernet to check it; returns libpcap's complaint, or null when it is fine. */
    static String checkFilter(String filter, int snaplen) {
        try {
            compile(filter, snaplen, DataLinkType.EN10MB).free();
            return null;
        } catch (PcapNativeException e) {
            return e.getMessage();
        }
    }

    private static BpfProgram compile(String filter, int snaplen, DataLinkType dlt) throws PcapNativeException {
        return Pcaps.compileFilter(snaplen, dlt, filter, BpfProgram.BpfCompileMode.OPTIMIZE, NETMASK_UNKNOWN);
    }

    @Override
    public Frame next(long timeoutMillis) throws IOException {
        while (source.next(raw)) {
            byte[] copy = Arrays.copyOfRange(raw.data, raw.offset, raw.offset + raw.length);
            if (matches(copy)) {
                return new Frame(copy, 0, copy.length, raw.timestampNanos, raw.linkType);
            }
        }
        return null;
    }

    private boolean matches(byte[] frame) throws IOException {
        if (filter == null || filter.isBlank()) {
            return true;
        }
        if (compiledFor != raw.linkType) {
            free();
            try {
                program = compile(filter, snaplen, DataLinkType.getInstance(raw.linkType.number()));
            } catch (PcapNativeException e) {
                throw new IOException("bad capture filter '" + filter + "' for link type " + raw.linkType + ": "
                    + e.getMessage(), e);
            }
            compiledFor = raw.linkType;
        }
        return program.applyFilter(frame, raw.originalLength, frame.length);
    }

    private static Inet4Address netmaskUnknown() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean finite() {
        return true;
    }

    @Override
    public void refreshStats(CaptureStats stats) {
        // a file has no capture-side counters
    }

    @Override
    public String description() {
        return source.description();
    }

    private void free() {
        if (program != null && !program.isFreed()) {
            program.free();
        }
        program = null;
    }

    @Override
    public void close() throws IOException {
        free();
        source.close();
    }
}
