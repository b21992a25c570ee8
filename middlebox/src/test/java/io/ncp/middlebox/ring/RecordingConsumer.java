package io.ncp.middlebox.ring;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records each event as text ("DATA#1:abc") and releases its buffer; counts down a latch per event. */
public final class RecordingConsumer implements RingConsumer {

    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<Thread> threads = new CopyOnWriteArrayList<>();
    public final AtomicInteger batches = new AtomicInteger();
    private volatile CountDownLatch latch = new CountDownLatch(0);

    /** Expect {@code n} more events. */
    public void expect(int n) {
        latch = new CountDownLatch(n);
    }

    /** Waits (bounded) for the expected events; fails with what arrived. */
    public void await() throws InterruptedException {
        if (!latch.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("timed out; got " + events.size() + " events: " + events);
        }
    }

    @Override
    public void onEvent(ReplicationEvent e) {
        threads.add(Thread.currentThread());
        String s = e.type() + "#" + e.sessionId();
        if (e.data() != null) {
            s += ":" + e.data().toString(StandardCharsets.US_ASCII);
            e.data().release();
        }
        if (e.type() == EventType.PRIMARY_DIGEST || e.type() == EventType.PRIMARY_END
            || e.type() == EventType.SESSION_CLOSE || e.type() == EventType.SESSION_ENDED) {
            s += "=" + e.value();
        }
        events.add(s);
        latch.countDown();
    }

    @Override
    public void onBatchEnd() {
        batches.incrementAndGet();
    }
}
