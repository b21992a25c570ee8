package io.ncp.middlebox.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The predecessor bookkeeping of causal session order: watermark, waiters, concurrent reports. */
class FinishLedgerTest {

    private final FinishLedger ledger = new FinishLedger();
    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void tearDown() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void theMarkAdvancesOnlyOverAnUnbrokenRunOfFinishedNumbers() {
        ledger.finished(2);
        ledger.finished(4);
        assertThat(ledger.mark()).isZero();
        assertThat(ledger.reached(0)).isTrue();
        assertThat(ledger.reached(1)).isFalse();
        ledger.finished(1);
        assertThat(ledger.mark()).isEqualTo(2);
        ledger.finished(2); // a duplicate changes nothing
        ledger.finished(0); // "no number"
        assertThat(ledger.mark()).isEqualTo(2);
        ledger.finished(3);
        assertThat(ledger.mark()).isEqualTo(4);
        assertThat(ledger.reached(4)).isTrue();
        assertThat(ledger.reached(5)).isFalse();
    }

    @Test
    void aWaiterIsWokenOnItsExecutorOnceItsNumberIsReachedAndNotBefore() throws Exception {
        AtomicInteger wakes = new AtomicInteger();
        CountDownLatch woken = new CountDownLatch(1);
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        ledger.await(2, loop, () -> {
            threads.add(Thread.currentThread());
            wakes.incrementAndGet();
            woken.countDown();
        });
        ledger.finished(2);
        assertThat(ledger.waiting()).isEqualTo(1);
        ledger.finished(1);
        assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ledger.waiting()).isZero();
        ledger.finished(3);
        loop.submit(() -> { }).get(10, TimeUnit.SECONDS); // any second wake-up would have run by now
        assertThat(wakes.get()).isEqualTo(1);
        assertThat(threads).containsExactly(loopThread());
    }

    @Test
    void aWaiterWhoseNumberIsAlreadyReachedIsWokenAsATask() throws Exception {
        ledger.finished(1);
        CountDownLatch woken = new CountDownLatch(1);
        ledger.await(1, loop, woken::countDown);
        assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aShutDownExecutorLosesItsWakeUpWithoutHarm() {
        DefaultEventLoop gone = new DefaultEventLoop();
        gone.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        ledger.await(1, gone, () -> { });
        ledger.finished(1);
        assertThat(ledger.mark()).isEqualTo(1);
        assertThat(ledger.waiting()).isZero();
    }

    @Test
    void concurrentReportsAndWaitersFromManyThreadsEndConsistent() throws Exception {
        int numbers = 20_000;
        int reporters = 4;
        List<Long> order = new ArrayList<>();
        for (long n = 1; n <= numbers; n++) {
            order.add(n);
        }
        Collections.shuffle(order, new Random(42));
        AtomicIntegerArray wakes = new AtomicIntegerArray(numbers + 1);
        AtomicInteger early = new AtomicInteger();
        CountDownLatch allWoken = new CountDownLatch(numbers);
        ExecutorService pool = Executors.newFixedThreadPool(reporters + 1);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < reporters; t++) {
                int from = t;
                jobs.add(pool.submit(() -> {
                    for (int i = from; i < numbers; i += reporters) {
                        ledger.finished(order.get(i));
                    }
                }));
            }
            jobs.add(pool.submit(() -> {
                for (int n = 1; n <= numbers; n++) {
                    int number = n;
                    ledger.await(number, loop, () -> {
                        if (!ledger.reached(number)) {
                            early.incrementAndGet();
                        }
                        wakes.incrementAndGet(number);
                        allWoken.countDown();
                    });
                }
            }));
            for (Future<?> f : jobs) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(allWoken.await(60, TimeUnit.SECONDS)).as("every waiter woken").isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(ledger.mark()).isEqualTo(numbers);
        assertThat(ledger.waiting()).isZero();
        assertThat(early.get()).as("woken before its number was reached").isZero();
        for (int n = 1; n <= numbers; n++) {
            assertThat(wakes.get(n)).as("wake-ups of waiter %d", n).isEqualTo(1);
        }
    }

    private Thread loopThread() throws Exception {
        return loop.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
    }
}
