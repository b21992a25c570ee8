package io.ncp.middlebox.replica;

/**
 * Where a PostgreSQL session held idle at a resync's snapshot point goes on over a new connection to the restored
 * replica: its StartupMessage (sent first, with the replica's own login, its answers swallowed up to ReadyForQuery),
 * the session SETs it ran ({@code sets}: simple Query messages, maybe none, sent after the login, each answer swallowed
 * up to its ReadyForQuery, an ErrorResponse failing the copy), and how many primary answer bytes were digested before
 * the point ({@code answerOffset}, -1: not compared) with the CRC32C of their incomplete last block, so the new
 * connection's answers are compared from there on. Immutable.
 */
record Continuation(byte[] startup, byte[] sets, long answerOffset, int partialCrc) {

    /** Whether the session's answers are compared (the primary's digest went on up to the point). */
    boolean compared() {
        return answerOffset >= 0;
    }
}
