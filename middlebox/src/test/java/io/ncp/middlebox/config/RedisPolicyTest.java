package io.ncp.middlebox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code protocol} service setting and its {@code redis} section. */
class RedisPolicyTest {

    private static final String SERVICE =
        "services:\n  - name: s\n    listen: 0.0.0.0:6379\n    primary: 10.0.0.2:6379\n";

    private static ServiceConfig only(String yaml) {
        return ConfigLoader.parse(yaml).services().get(0);
    }

    @Test
    void bytesByDefaultRedisWithDefaultListsAndListsReplaceDefaults() {
        assertThat(only(SERVICE).protocol()).isEqualTo(Protocol.BYTES);
        assertThat(only(SERVICE).redis()).isEqualTo(RedisPolicy.DEFAULTS);
        assertThat(only(SERVICE + "    protocol: redis\n").protocol()).isEqualTo(Protocol.REDIS);
        assertThat(only(SERVICE + "    protocol: redis\n").redis()).isEqualTo(RedisPolicy.DEFAULTS);
        ServiceConfig s = only(SERVICE + "    protocol: REDIS\n    redis:\n      noReplay: [\"config set port\", "
            + "FLUSHALL]\n");
        assertThat(s.protocol()).isEqualTo(Protocol.REDIS);
        RedisPolicy p = s.redis();
        assertThat(p.noReplay()).containsExactly("config set port", "FLUSHALL");
        assertThat(p.notReplicated()).isEqualTo(RedisPolicy.REDIS_NOT_REPLICATED);
        assertThat(p.noise()).isEqualTo(RedisPolicy.REDIS_NOISE);
        ServiceConfig json = ConfigLoader.parseService("s", "{\"listen\": \"0.0.0.0:6379\", \"primary\": "
            + "\"10.0.0.2:6379\", \"protocol\": \"redis\", \"redis\": {\"noise\": []}}");
        assertThat(json.redis().noise()).isEqualTo(List.of());
        assertThat(json.withMaxSessions(3).protocol()).isEqualTo(Protocol.REDIS);
        assertThat(json.withMaxSessions(3).redis().noise()).isEqualTo(List.of());
    }

    @Test
    void badValuesNameTheField() {
        assertThatThrownBy(() -> only(SERVICE + "    protocol: memcached\n")).isInstanceOf(ConfigException.class)
            .hasMessage("services[0].protocol: 'memcached' is not one of bytes, redis, postgres, mysql, http");
        assertThatThrownBy(() -> only(SERVICE + "    redis:\n      noise: [INFO]\n"))
            .hasMessage("services[0].redis: needs protocol: redis");
        assertThatThrownBy(() -> only(SERVICE + "    protocol: redis\n    redis:\n      noize: [INFO]\n"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("services[0].redis.noize");
        assertThatThrownBy(() -> only(SERVICE + "    protocol: redis\n    redis:\n      noise: [\"a b c d\"]\n"))
            .hasMessage("services[0].redis.noise[0]: 'a b c d' must be a command of one to three words");
    }

    @Test
    void orderServiceNeedsProtocolRedisAndAnInPathListener() {
        assertThat(only(SERVICE).redis().order()).isEqualTo(RequestOrder.SESSION);
        assertThat(only(SERVICE).serviceOrder()).isFalse();
        ServiceConfig s = only(SERVICE + "    protocol: redis\n    order: service\n");
        assertThat(s.redis().order()).isEqualTo(RequestOrder.SERVICE);
        assertThat(s.serviceOrder()).isTrue();
        assertThat(only(SERVICE + "    protocol: redis\n    order: session\n").serviceOrder()).isFalse();
        assertThat(only(SERVICE + "    order: session\n").serviceOrder()).isFalse();
        assertThatThrownBy(() -> only(SERVICE + "    order: service\n")).isInstanceOf(ConfigException.class)
            .hasMessage("services[0].order: 'service' needs protocol: redis (only RESP requests can be sequenced for "
                + "now)");
        assertThatThrownBy(() -> only(SERVICE + "    protocol: redis\n    order: global\n"))
            .hasMessage("services[0].order: 'global' is not one of session, service");
        assertThatThrownBy(() -> MirrorConfigLoader.parse("mirror:\n  pcap: x.pcap\nservices:\n  - name: s\n"
            + "    primary: 10.0.0.2:6379\n    protocol: redis\n    order: service\n", java.nio.file.Path.of("/tmp")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("order: 'service' needs an in-path listener");
    }
}
