package io.ncp.middlebox.demo;

import io.ncp.middlebox.app.Appliance;
import io.ncp.middlebox.config.AdminConfig;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The demo run: servers up, middlebox up, traffic, settle, compare, report. */
public final class Demo {

    private static final long SETTLE_SECONDS = 30;

    private final int sessions;
    private final int ops;
    private final boolean redis;
    private final Integer threads;
    private final PrintStream out;
    private boolean lockstep;

    public Demo(int sessions, int ops, boolean redis, Integer threads, PrintStream out) {
        this.sessions = sessions;
        this.ops = ops;
        this.redis = redis;
        this.threads = threads;
        this.out = out;
    }

    /** Replicates in lockstep instead of async mode. */
    public Demo lockstep(boolean on) {
        this.lockstep = on;
        return this;
    }

    /** Runs the demo; returns 0 when the replicas are in sync, 1 otherwise. */
    public int run() throws Exception {
        if (redis && !RedisProcess.available()) {
            throw new ConfigException("--redis", "redis-server is not on PATH");
        }
        List<DemoServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                servers.add(redis ? RedisProcess.start() : KvServer.start());
            }
            return run(servers);
        } finally {
            for (DemoServer s : servers) {
                s.close();
            }
        }
    }

    private int run(List<DemoServer> servers) throws Exception {
        ServiceConfig svcCfg = new ServiceConfig("demo", new HostPort("127.0.0.1", 0),
            HostPort.parse("primary", servers.get(0).hostPort()), lockstep ? "lockstep" : "async", CompareMode.BYTES,
            64L << 20,
            List.of(ReplicaConfig.parse("replica", servers.get(1).hostPort()),
                ReplicaConfig.parse("replica", servers.get(2).hostPort())));
        MiddleboxConfig cfg = new MiddleboxConfig(threads != null ? threads : MiddleboxConfig.defaultThreads(),
            MiddleboxConfig.DEFAULT_RING_SIZE, MiddleboxConfig.DEFAULT_RING_BYTES,
            AdminConfig.at(new HostPort("127.0.0.1", 0)), Duration.ofSeconds(1), ReplicaLoop.SHARED,
            MiddleboxConfig.DEFAULT_CONNECT_TIMEOUT, null, List.of(svcCfg));
        out.printf("NCP demo: primary %s + replicas %s, %s (%s) on loopback, %s replication%n",
            servers.get(0).hostPort(), servers.get(1).hostPort() + ", " + servers.get(2).hostPort(),
            servers.get(0).name(), redis ? "real Redis" : "built-in RESP key-value server",
            lockstep ? "lockstep" : "async");
        try (Appliance app = Appliance.start(cfg, out)) {
            ServiceRuntime svc = app.middlebox().service("demo");
            int port = app.middlebox().port("demo");
            out.printf("driving %d concurrent sessions x %d random writes through the middlebox at 127.0.0.1:%d%n",
                sessions, ops, port);
            long t0 = System.nanoTime();
            DemoDriver driver = new DemoDriver("127.0.0.1", port, sessions, ops);
            driver.run(120);
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "clients done: %d writes answered by the primary in %.1f s (%.0f writes/s)%n",
                driver.done(), secs, driver.done() / secs);
            long deadline = System.nanoTime() + Duration.ofSeconds(SETTLE_SECONDS).toNanos();
            while (!svc.settled() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (!svc.settled()) {
                out.println("replicas did not settle within " + SETTLE_SECONDS + " s");
            }
            return report(servers, svc);
        }
    }

    private int report(List<DemoServer> servers, ServiceRuntime svc) {
        String primaryDigest = servers.get(0).digest();
        boolean same = true;
        out.println();
        out.printf("%-10s %-18s %-42s%n", "server", "address", "dataset digest");
        out.printf("%-10s %-18s %-42s%n", "primary", servers.get(0).hostPort(), primaryDigest);
        for (int i = 1; i < 3; i++) {
            String d = servers.get(i).digest();
            boolean eq = d.equals(primaryDigest);
            same &= eq;
            out.printf("%-10s %-18s %-42s %s%n", "replica " + i, servers.get(i).hostPort(), d,
                eq ? "identical" : "DIFFERENT");
        }
        out.println();
        long divergent = 0;
        boolean inSync = true;
        long damaged = 0;
        for (ReplicaTarget r : svc.replicas()) {
            ReplicaStats s = r.stats();
            divergent += s.divergent.sum();
            damaged += s.damaged.sum() + s.missed.sum();
            out.printf("replica %d: %s %s, %d sessions, %d bytes replayed, answers compared %d, divergent %d, "
                + "damaged %d%n", r.index() + 1, r.health().state(), r.consistency().state(), s.sessions.sum(),
                s.bytesSent.sum(), s.compared.sum(), s.divergent.sum(), s.damaged.sum());
            inSync &= r.consistency().inSync();
        }
        if (same && inSync && divergent == 0 && damaged == 0) {
            out.println("replicas in sync");
            return 0;
        }
        out.println("replicas DIVERGED (see the digests and counters above)");
        return 1;
    }
}
