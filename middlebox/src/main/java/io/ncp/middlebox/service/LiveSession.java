package io.ncp.middlebox.service;

/**
 * A session open at the front when its service's primary is replaced: it is told so (on any thread; the
 * implementation hops to its own loop) and either carries over to the new primary or ends with a reset.
 */
public interface LiveSession {

    /** The primary was replaced ({@code change}); report to {@code record} whether this session was carried over. */
    void primaryReplaced(PrimaryRole.Switch change, FailoverRecord record);
}
