package io.ncp.replay.reassembly;

/**
 * One TCP connection as the reassembler sees it. Identity and addresses are fixed; the per-direction
 * counters are updated by the reassembler's owner thread (read them on that thread, e.g. in listener calls).
 */
public final class Flow {

    private final long id;
    private final Endpoint client;
    private final Endpoint server;
    private final boolean midstream;
    private final long startNanos;
    private final long[] bytes = new long[2];
    private final long[] gapBytes = new long[2];
    private final int[] gaps = new int[2];

    public Flow(long id, Endpoint client, Endpoint server, boolean midstream, long startNanos) {
        this.id = id;
        this.client = client;
        this.server = server;
        this.midstream = midstream;
        this.startNanos = startNanos;
    }

    /** Unique within one reassembler (and one journal): the session id. */
    public long id() {
        return id;
    }

    public Endpoint client() {
        return client;
    }

    public Endpoint server() {
        return server;
    }

    /**
     * True when no SYN was seen: the capture started mid-stream, each direction is anchored at its first
     * seen byte, and client/server were guessed (SYN direction, server-port hints, then the lower port).
     */
    public boolean midstream() {
        return midstream;
    }

    /** Capture time of the flow's first packet, nanoseconds since the epoch. */
    public long startNanos() {
        return startNanos;
    }

    /** Bytes delivered so far in {@code d}. */
    public long bytes(Direction d) {
        return bytes[d.ordinal()];
    }

    public int gaps(Direction d) {
        return gaps[d.ordinal()];
    }

    public long gapBytes(Direction d) {
        return gapBytes[d.ordinal()];
    }

    /** True once any gap was reported in either direction. */
    public boolean damaged() {
        return gaps[0] + gaps[1] > 0;
    }

    void countData(Direction d, int n) {
        bytes[d.ordinal()] += n;
    }

    void countGap(Direction d, long n) {
        gaps[d.ordinal()]++;
        gapBytes[d.ordinal()] += n;
    }

    @Override
    public String toString() {
        return "flow#" + id + " " + client + " -> " + server + (midstream ? " (midstream)" : "");
    }
}
