package io.ncp.middlebox.digest;

/** Hears where an {@link AnswerFilter} masked bytes that legitimately differ between servers. */
@FunctionalInterface
public interface MaskListener {

    /** {@code length} bytes from stream offset {@code offset} are masked (e.g. PostgreSQL's BackendKeyData). */
    void masked(long offset, int length);
}
