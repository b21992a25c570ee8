package io.ncp.middlebox.it;

import io.ncp.middlebox.config.AddressRange;
import io.ncp.middlebox.config.AllowList;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Starts an in-process middlebox on loopback (listen port 0, admin off, no stats line) and waits for counters. */
public final class Harness {

    private Harness() {
    }

    /** An async service listening on 127.0.0.1:0. */
    public static ServiceConfig service(String name, String primary, CompareMode compare, long backlog,
            String... replicas) {
        return service(name, "async", primary, compare, backlog, replicas);
    }

    /** A service in {@code mode} (async, lockstep) listening on 127.0.0.1:0. */
    public static ServiceConfig service(String name, String mode, String primary, CompareMode compare, long backlog,
            String... replicas) {
        List<ReplicaConfig> reps = new ArrayList<>();
        for (String r : replicas) {
            reps.add(ReplicaConfig.parse("replica", r));
        }
        return new ServiceConfig(name, new HostPort("127.0.0.1", 0), HostPort.parse("primary", primary), mode,
            compare, backlog, reps);
    }

    public static Middlebox start(ServiceConfig... services) {
        return start(ReplicaLoop.SHARED, services);
    }

    public static Middlebox start(ReplicaLoop loop, ServiceConfig... services) {
        return Middlebox.start(config(loop, services));
    }

    /** The harness's middlebox config: 2 shards, small rings, admin off, no stats line, 2 s connect timeout. */
    public static MiddleboxConfig config(ReplicaLoop loop, ServiceConfig... services) {
        return new MiddleboxConfig(2, 4096, 64L << 20, null, Duration.ZERO, loop, Duration.ofSeconds(2), null,
            List.of(services));
    }

    /** A middlebox whose admin API allow-list is {@code listen} and {@code backends} (comma-separated ranges). */
    public static Middlebox startAllowing(String listen, String backends, ServiceConfig... services) {
        return Middlebox.start(config(ReplicaLoop.SHARED, services).withAllow(allow(listen, backends)));
    }

    /** An admin allow-list of {@code listen} and {@code backends} (comma-separated ranges). */
    public static AllowList allow(String listen, String backends) {
        return new AllowList(ranges(listen), ranges(backends), false);
    }

    private static List<AddressRange> ranges(String csv) {
        List<AddressRange> list = new ArrayList<>();
        for (String r : csv.split(",")) {
            list.add(AddressRange.parse("allow", r.trim()));
        }
        return list;
    }

    /** Polls {@code condition} every 50 ms; fails with {@code what} and the current state after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; state: " + state.get());
    }

    /** Waits until the service has no open session and every replica copy of every session has finished. */
    public static void awaitSettled(ServiceRuntime svc, Duration timeout) {
        await("sessions of " + svc.name() + " to settle", timeout, svc::settled, () -> describe(svc));
    }

    /** The service's counters as JSON, for failure messages. */
    public static String describe(ServiceRuntime svc) {
        return io.ncp.middlebox.view.StatsView.service(svc).toString();
    }

    /** Sessions still known to the replica sides of all shards. */
    public static int replicaSessions(Middlebox mb) {
        int n = 0;
        for (var shard : mb.shards()) {
            n += shard.replicaLoop().submit(shard.replicaSide()::sessionCount).syncUninterruptibly().getNow();
        }
        return n;
    }

    public static ReplicaTarget replica(Middlebox mb, String service, int index) {
        return mb.service(service).replicas().get(index);
    }
}
