package io.ncp.jmh;

import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * An event executor for one benchmark thread: tasks are queued by {@link #execute} and run when the benchmark calls
 * {@link #runTasks} (as an event loop runs its task queue once per iteration). It counts as "in the event loop" for
 * that thread. Not thread-safe; never shut down.
 */
final class ManualExecutor extends AbstractEventExecutor {

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    /** Runs the queued tasks (and those they queue) until none is left; returns how many ran. */
    int runTasks() {
        int n = 0;
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
            n++;
        }
        return n;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public boolean inEventLoop(Thread thread) {
        return true;
    }

    @Override
    public boolean isShuttingDown() {
        return false;
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return terminationFuture();
    }

    @Override
    public Future<?> terminationFuture() {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
    }

    @Override
    @Deprecated
    public void shutdown() {
        // nothing to stop
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
