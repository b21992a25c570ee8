package io.ncp.replay.journal;

import java.io.IOException;

/** A journal that cannot be read as such; the message names the file, the byte offset and the problem. */
public final class JournalCorruptException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long offset;

    public JournalCorruptException(String file, long offset, String problem) {
        super(file + ": at byte offset " + offset + ": " + problem);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
