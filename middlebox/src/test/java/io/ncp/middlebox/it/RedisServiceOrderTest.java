package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.RedisPolicy;
import io.ncp.middlebox.config.RequestOrder;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code order: service} with real Redis on loopback through the middlebox (async and lockstep, one replica): the
 * cross-connection sequences of issue 17 give the answers Redis gives without the middlebox (checked here too, as the
 * control) 50 times out of 50, and the replica's dataset equals the primary's afterwards.
 */
@ExtendWith(NettyLeakExtension.class)
class RedisServiceOrderTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ROUNDS = 50;

    static ServiceConfig ordered(String mode, RedisServer primary, RedisServer replica) {
        return Harness.service("redis", mode, primary.hostPort(), CompareMode.BYTES, 64L << 20, replica.hostPort())
            .withProtocol(Protocol.REDIS).withRedis(RedisPolicy.DEFAULTS.withOrder(RequestOrder.SERVICE));
    }

    /** One round of a sequence on four connections ({@code c[0]} sets up); returns what the clients observed. */
    private interface Round {
        Object run(RawResp[] c, int round);
    }

    private static String[] cmd(String... args) {
        return args;
    }

    /** XREADGROUP ... BLOCK on c1, then SET of the same key on c2 right after c1's bytes were written. */
    private static Object xreadgroupThenSet(RawResp[] c, int round) {
        c[0].call("DEL", "s");
        c[0].call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        c[1].send1("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">");
        c[2].send1("SET", "s", "v" + round);
        Object set = c[2].reply();
        return c[1].reply() + " / " + set;
    }

    /** XREAD BLOCK 0 STREAMS k $ on c1, then DEL k and XADD k on c2. */
    private static Object xreadThenDelXadd(RawResp[] c, int round) {
        c[0].call("DEL", "k");
        c[0].call("XADD", "k", "0-1", "a", "b");
        c[1].send1("XREAD", "BLOCK", "0", "STREAMS", "k", "$");
        c[2].send(cmd("DEL", "k"), cmd("XADD", "k", "0-2", "f", "v" + round));
        Object del = c[2].reply();
        Object add = c[2].reply();
        return c[1].reply() + " / " + del + " " + add;
    }

    /** BRPOPLPUSH on c1, then on c2, then two LPUSH on c3: c1 gets the first element. */
    private static Object brpoplpushTwoBlocked(RawResp[] c, int round) {
        c[0].call("DEL", "src", "dst");
        c[1].send1("BRPOPLPUSH", "src", "dst", "0");
        c[2].send1("BRPOPLPUSH", "src", "dst", "0");
        c[3].send(cmd("LPUSH", "src", "first"), cmd("LPUSH", "src", "second"));
        c[3].reply();
        c[3].reply();
        return c[1].reply() + " " + c[2].reply();
    }

    /** SUBSCRIBE on c1; then UNSUBSCRIBE on c1 and PUBLISH on c2: nobody receives it. */
    private static Object unsubscribeThenPublish(RawResp[] c, int round) {
        c[1].call("SUBSCRIBE", "ch");
        c[1].send1("UNSUBSCRIBE", "ch");
        c[2].send1("PUBLISH", "ch", "m" + round);
        Object receivers = c[2].reply();
        Object confirmation = c[1].reply();
        return receivers + " " + confirmation;
    }

    private static Round scenario(String name) {
        return switch (name) {
            case "xreadgroup-set" -> RedisServiceOrderTest::xreadgroupThenSet;
            case "xread-del-xadd" -> RedisServiceOrderTest::xreadThenDelXadd;
            case "brpoplpush" -> RedisServiceOrderTest::brpoplpushTwoBlocked;
            case "unsubscribe-publish" -> RedisServiceOrderTest::unsubscribeThenPublish;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Runs {@code n} rounds on four fresh connections to {@code port} (each answered a PING first). */
    private static List<String> rounds(int port, int n, Round r) {
        RawResp[] c = new RawResp[4];
        try {
            for (int i = 0; i < c.length; i++) {
                c[i] = new RawResp(port);
                assertThat(c[i].call("PING")).isEqualTo("PONG");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(String.valueOf(r.run(c, i)).replaceAll("\\d+$", "#").replaceAll("[vm]\\d+", "#"));
            }
            return out;
        } finally {
            for (RawResp x : c) {
                if (x != null) {
                    x.close();
                }
            }
        }
    }

    /** How often each observation occurred. */
    private static Map<String, Integer> counts(List<String> results) {
        Map<String, Integer> m = new TreeMap<>();
        results.forEach(s -> m.merge(s, 1, Integer::sum));
        return m;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "async, xreadgroup-set, '-UNBLOCKED the stream key no longer exists / OK'",
        "lockstep, xreadgroup-set, '-UNBLOCKED the stream key no longer exists / OK'",
        "async, xread-del-xadd, '[[k, [[0-2, [f, #]]]]] / 1 0-#'",
        "lockstep, xread-del-xadd, '[[k, [[0-2, [f, #]]]]] / 1 0-#'",
        "async, brpoplpush, 'first second'",
        "lockstep, brpoplpush, 'first second'",
        "async, unsubscribe-publish, '0 [unsubscribe, ch, 0]'",
        "lockstep, unsubscribe-publish, '0 [unsubscribe, ch, 0]'",
    })
    void crossConnectionSequencesGiveTheDirectAnswerEveryTime(String mode, String name, String expected) {
        Round round = scenario(name);
        try (RedisServer direct = RedisServer.start()) {
            List<String> control = rounds(direct.port(), ROUNDS, round);
            assertThat(counts(control)).as("direct to redis-server (the control)").isEqualTo(Map.of(expected, ROUNDS));
        }
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Harness.start(ordered(mode, primary, replica))) {
            ServiceRuntime svc = mb.service("redis");
            List<String> through = rounds(mb.port("redis"), ROUNDS, round);
            assertThat(counts(through)).as("through the middlebox; " + Harness.describe(svc))
                .isEqualTo(Map.of(expected, ROUNDS));
            Harness.awaitSettled(svc, WAIT);
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(replica.digest()).as(Harness.describe(svc)).isEqualTo(primary.digest());
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(svc.replicas().get(0).consistency().inSync()).as(Harness.describe(svc)).isTrue();
            assertThat(svc.stats().protocol.orderTimeouts.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.requestOrderDrops.sum()).as(Harness.describe(svc)).isZero();
            assertThat(svc.stats().protocol.orderWaits.sum()).as("requests of other connections waited")
                .isPositive();
        }
    }
}
