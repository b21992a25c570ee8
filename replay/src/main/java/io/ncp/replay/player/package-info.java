/**
 * Offline replay: session events from a journal or a capture file ({@link
 * io.ncp.replay.player.SessionEventSource}), and the {@link io.ncp.replay.player.ReplayEngine} that plays
 * their client-to-server bytes to a target, one connection per session, with the original timing, a speed
 * factor, or as fast as possible.
 *
 * <p>Concurrency is preserved: sessions that overlapped in the capture overlap in the replay, and a session
 * that began after another one ended begins only after that one is finished in the replay too. Target
 * answers are always read (and counted), never left to fill socket buffers; bytes in flight are bounded.
 *
 * <p>Threads: the scheduler (the caller of {@code run}) reads the source and dispatches events; each session's
 * connection state is confined to its Netty event loop; counters are atomic.
 */
package io.ncp.replay.player;
