package io.ncp.middlebox.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The file descriptors this process may spend on sessions, shared by every service: each admitted session reserves
 * its client, primary and replica connections ({@code 2 + replicas}) until it has closed. Without it, enough idle
 * clients exhaust the process's descriptor limit: {@code accept} fails with EMFILE, replica copies are missed and
 * the admin API stops answering. A reserve is kept for the admin API, logs, journals and short-lived sockets.
 * Thread-safe (one atomic counter).
 */
public final class DescriptorBudget {

    /** Descriptors never given to sessions: admin connections, files, accept of refused clients, probes. */
    public static final int RESERVE = 256;
    /** A budget that never refuses (tests, embedded use). */
    public static final DescriptorBudget UNLIMITED = new DescriptorBudget(Long.MAX_VALUE, Long.MAX_VALUE);

    private final long limit;
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    DescriptorBudget(long limit, long capacity) {
        this.limit = limit;
        this.capacity = capacity;
    }

    /**
     * The budget of this process: its open-files limit (the JVM raises the soft limit to the hard one at start,
     * {@code -XX:+MaxFDLimit}) minus the descriptors open now and {@link #RESERVE}. Unlimited when the limit cannot
     * be read (not Linux).
     */
    public static DescriptorBudget forThisProcess() {
        long limit = openFilesLimit();
        if (limit <= 0) {
            return UNLIMITED;
        }
        return new DescriptorBudget(limit, Math.max(0, limit - openDescriptors() - RESERVE));
    }

    /** Reserves {@code n} descriptors; false (nothing reserved) when that would exceed the budget. */
    public boolean tryAcquire(int n) {
        while (true) {
            long u = used.get();
            if (u + n > capacity) {
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                return true;
            }
        }
    }

    /** Returns {@code n} descriptors reserved by {@link #tryAcquire}. */
    public void release(int n) {
        used.addAndGet(-n);
    }

    /** The process's open-files limit (Long.MAX_VALUE when unknown). */
    public long limit() {
        return limit;
    }

    /** Descriptors sessions may reserve in all. */
    public long capacity() {
        return capacity;
    }

    /** Descriptors reserved by open sessions now. */
    public long used() {
        return used.get();
    }

    /** The soft "Max open files" of this process, or -1 when /proc does not say. */
    public static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Descriptors this process has open now, or 0 when /proc does not say. */
    public static long openDescriptors() {
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            return list.count();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
