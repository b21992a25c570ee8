package io.ncp.middlebox.replica.catchup;

import java.io.IOException;

/** A spill file reached its bound. */
public final class SpillFullException extends IOException {

    private static final long serialVersionUID = 1L;

    public SpillFullException(String message) {
        super(message);
    }
}
