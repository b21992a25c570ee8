package io.ncp.middlebox.ring;

/** The replica side of a shard: called on the consumer event loop only. */
public interface RingConsumer {

    /**
     * Handles one event. Must release {@link ReplicationEvent#data()} (when set) exactly once, also on error;
     * must not keep a reference to {@code event} (the slot is reused).
     */
    void onEvent(ReplicationEvent event);

    /** Called after each batch of events: the place to flush channels written during the batch. */
    void onBatchEnd();
}
