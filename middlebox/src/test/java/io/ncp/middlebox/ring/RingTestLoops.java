package io.ncp.middlebox.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What the ring tests do with their real event loops: run a task on one and wait, hold one busy, wait for a drain. */
final class RingTestLoops {

    private RingTestLoops() {
    }

    /** Runs {@code task} on {@code loop} and returns its result (10 s bound). */
    static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    /** Blocks the calling loop until {@code latch} opens (30 s bound): a consumer held busy. */
    static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (10 s bound) until the consumer took every published event and released every buffer. */
    static void awaitEmpty(ShardRing ring) throws InterruptedException {
        for (int i = 0; i < 1000 && (ring.inFlightBytes() != 0 || ring.backlog() != 0); i++) {
            Thread.sleep(10);
        }
        assertThat(ring.inFlightBytes()).isZero();
        assertThat(ring.backlog()).isZero();
    }
}
