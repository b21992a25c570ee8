package io.ncp.replay.cli;

import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.RedisServer;
import java.time.Duration;
import java.util.List;

/** Deterministic write traffic for a Redis server: redis-benchmark with one client (sessions one after another). */
final class RedisTraffic {

    /** Only commands whose effect does not depend on chance (no SPOP) or on interleaving (one client). */
    static final String TESTS = "set,incr,lpush,rpush,lpop,rpop,sadd,hset,zadd,zpopmin,mset";

    private RedisTraffic() {
    }

    static void benchmark(RedisServer redis, int requests) {
        String bin = Binaries.require("redis-benchmark", "redis-tools").toString();
        ManagedProcess.run(List.of(bin, "-h", "127.0.0.1", "-p", String.valueOf(redis.port()), "-c", "1", "-n",
            String.valueOf(requests), "-r", "1000", "-t", TESTS, "-q"), Duration.ofSeconds(180));
    }
}
