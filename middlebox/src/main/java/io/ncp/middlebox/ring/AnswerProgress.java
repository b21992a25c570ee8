package io.ncp.middlebox.ring;

/**
 * What the replica side reports back to a lockstep session's front: how many answer bytes each replica has produced,
 * and when a replica copy is gone. Implementations hop to the front loop themselves: callable from any thread.
 */
public interface AnswerProgress {

    /** Replica {@code replica} has produced {@code answeredBytes} answer bytes in total. */
    void progress(int replica, long answeredBytes);

    /** Replica {@code replica}'s copy ended (finished, damaged, dropped or never started). */
    void gone(int replica);
}
