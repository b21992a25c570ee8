package io.ncp.replay.player;

import java.io.IOException;

/** A finite, pull-based stream of session events in capture order. Single-threaded. */
public interface SessionEventSource extends AutoCloseable {

    /**
     * The next event (the caller owns its data buffer), or null at the end.
     *
     * @throws IOException on unreadable input: {@link io.ncp.replay.capture.CaptureFormatException} or
     *     {@link io.ncp.replay.journal.JournalCorruptException} name file, offset and problem
     */
    SessionEvent next() throws IOException;

    /** What is read, for messages. */
    String description();

    /** Fraction of the input consumed, 0..1 (for progress lines). */
    double progress();

    /** Counters worth showing at the end (decode and reassembly stats, torn tails), one line; may be empty. */
    String diagnostics();

    @Override
    void close() throws IOException;
}
