package io.ncp.replay.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * A growable read window over a stream, for parsers that need {@code n} contiguous bytes at a time without
 * copying them again: {@code buf[pos .. pos + n)} after a successful {@link #ensure(int)}.
 */
final class InputWindow {

    private final InputStream in;
    private final int maxSize;
    byte[] buf;
    int pos;
    int limit;
    /** File offset of {@code buf[0]}. */
    private long base;
    private boolean eof;

    InputWindow(InputStream in, int initialSize, int maxSize) {
        this.in = in;
        this.buf = new byte[initialSize];
        this.maxSize = maxSize;
    }

    /** File offset of {@code buf[pos]}. */
    long offset() {
        return base + pos;
    }

    int available() {
        return limit - pos;
    }

    /**
     * Makes {@code n} bytes available at {@code pos}, reading and compacting as needed.
     *
     * @return false when the stream ends first ({@link #available()} says how many bytes there are)
     * @throws IllegalArgumentException when {@code n} exceeds the window's maximum size
     */
    boolean ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (n > maxSize || n < 0) {
            throw new IllegalArgumentException("needs " + n + " contiguous bytes, more than " + maxSize);
        }
        if (n > buf.length) {
            byte[] bigger = new byte[Math.min(maxSize, Math.max(n, buf.length * 2))];
            System.arraycopy(buf, pos, bigger, 0, limit - pos);
            buf = bigger;
        } else {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
        }
        base += pos;
        limit -= pos;
        pos = 0;
        while (limit < n && !eof) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit >= n;
    }

    void skip(int n) {
        pos += n;
    }
}
