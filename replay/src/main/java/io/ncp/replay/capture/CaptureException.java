package io.ncp.replay.capture;

import java.io.IOException;

/** A live capture that cannot be opened or has failed; the message names the interface. */
public final class CaptureException extends IOException {

    private static final long serialVersionUID = 1L;

    public CaptureException(String message) {
        super(message);
    }
}
