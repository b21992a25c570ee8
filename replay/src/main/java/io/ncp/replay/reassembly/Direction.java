package io.ncp.replay.reassembly;

/** The two byte streams of a TCP flow. */
public enum Direction {
    /** Bytes the client (the side that sent the SYN, or the guessed client of a mid-stream flow) sent. */
    CLIENT_TO_SERVER,
    /** Bytes the server sent. */
    SERVER_TO_CLIENT;

    public Direction reverse() {
        return this == CLIENT_TO_SERVER ? SERVER_TO_CLIENT : CLIENT_TO_SERVER;
    }

    /** Short form for tables: {@code c>s} or {@code s>c}. */
    public String arrow() {
        return this == CLIENT_TO_SERVER ? "c>s" : "s>c";
    }
}
