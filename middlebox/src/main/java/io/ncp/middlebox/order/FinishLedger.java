package io.ncp.middlebox.order;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which ended sessions of one service have finished on one replica: the cross-shard half of causal session order
 * ({@link io.ncp.middlebox.config.SessionOrder#CAUSAL}).
 *
 * <p>Every replicated session of an ordered service is numbered 1, 2, 3, ... when it ends at the front
 * ({@link ServiceRuntime#sessionEnded()}). The replica sides report each number here exactly once, when that
 * session's copy for this replica has finished (or was damaged, reset, missed or given up: never wait forever). A
 * session that opened when {@code n} sessions had ended ({@link ServiceRuntime#endedSessions()}) holds its client
 * bytes for this replica until {@link #reached reached(n)}: every session numbered {@code <= n} finished here.
 *
 * <p>Threading: {@link #finished} and {@link #await} may be called from any thread and never block. Each call
 * queues its item; the thread that wins the {@code busy} flag applies every queued item (the hand-off of
 * {@code ShardRing}'s drain flag, without a lock: a loser's item is applied by the winner). The watermark's
 * bookkeeping ({@code ahead}, {@code waiters}) is touched only by the flag's holder. {@link #reached} is one
 * volatile read. A waiter's wake-up runs as a task on its own executor (its event loop), never inline.
 */
public final class FinishLedger {

    private final Queue<Item> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Every session numbered {@code <= mark} has finished here; written by the busy holder only. */
    private volatile long mark;
    /** Finished numbers above {@code mark + 1} (busy holder only). */
    private final PriorityQueue<Long> ahead = new PriorityQueue<>();
    /** Waiters by the number they wait for (busy holder only). */
    private final PriorityQueue<Item> waiters = new PriorityQueue<>(Comparator.comparingLong(Item::number));
    private volatile int waiting;

    /** Whether every session numbered {@code <= number} has finished here (any thread). */
    public boolean reached(long number) {
        return mark >= number;
    }

    /** The highest number up to which every session has finished here (any thread). */
    public long mark() {
        return mark;
    }

    /** Waiters not yet woken (any thread; a snapshot). */
    public int waiting() {
        return waiting;
    }

    /** Session {@code number} finished on this replica (report each number once; 0 or less is ignored). */
    public void finished(long number) {
        if (number > 0) {
            inbox.add(new Item(number, null, null));
            drain();
        }
    }

    /**
     * Runs {@code wake} on {@code executor} once {@link #reached reached(number)} (as a task, also when it is already
     * reached). A wake-up the executor rejects (shut down) is dropped.
     */
    public void await(long number, Executor executor, Runnable wake) {
        inbox.add(new Item(number, executor, wake));
        drain();
    }

    private void drain() {
        while (!inbox.isEmpty() && busy.compareAndSet(false, true)) {
            try {
                Item item;
                while ((item = inbox.poll()) != null) {
                    apply(item);
                }
            } finally {
                busy.set(false);
            }
        }
    }

    private void apply(Item item) {
        long m = mark;
        if (item.wake != null) {
            if (item.number <= m) {
                wake(item);
            } else {
                waiters.add(item);
                waiting = waiters.size();
            }
            return;
        }
        if (item.number != m + 1) {
            if (item.number > m) {
                ahead.add(item.number);
            }
            return;
        }
        m++;
        while (!ahead.isEmpty() && ahead.peek() <= m + 1) {
            m = Math.max(m, ahead.poll());
        }
        mark = m;
        while (!waiters.isEmpty() && waiters.peek().number <= m) {
            wake(waiters.poll());
        }
        waiting = waiters.size();
    }

    private static void wake(Item item) {
        try {
            item.executor.execute(item.wake);
        } catch (RejectedExecutionException shutDown) {
            // the waiter's loop is gone (middlebox shutdown): nothing left to wake
        }
    }

    /** A finished number ({@code wake} null) or a waiter. */
    private record Item(long number, Executor executor, Runnable wake) {
    }
}
