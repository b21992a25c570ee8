package io.ncp.middlebox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final String MINIMAL = "services:\n  - name: s\n    listen: 127.0.0.1:0\n    primary: 127.0.0.1:1\n";

    @Test
    void sampleConfigInTheRepositoryLoads() {
        Path sample = Path.of("..", "configs", "middlebox.yaml");
        assertThat(Files.exists(sample)).as("configs/middlebox.yaml").isTrue();
        MiddleboxConfig c = ConfigLoader.load(sample);
        assertThat(c.threads()).isEqualTo(2);
        assertThat(c.ringSize()).isEqualTo(65536);
        assertThat(c.ringBytes()).isEqualTo(256L << 20);
        assertThat(c.admin()).isEqualTo(new HostPort("127.0.0.1", 9090));
        assertThat(c.statsInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.tcpCongestion()).isEqualTo("cubic");
        ServiceConfig redis = c.services().get(0);
        assertThat(redis.replicaBacklog()).isEqualTo(64L << 20);
        assertThat(redis.replicas().get(0).bind()).isEqualTo("10.0.1.1");
        assertThat(redis.replicas().get(1).bind()).isNull();
        assertThat(redis.sessionOrder()).isEqualTo(SessionOrder.CAUSAL);
        ServiceConfig pg = c.services().get(1);
        assertThat(pg.compare()).isEqualTo(CompareMode.POSTGRES);
        assertThat(pg.replicas().get(0)).isEqualTo(new ReplicaConfig(new HostPort("10.0.1.3", 5432), "10.0.1.1"));
    }

    @Test
    void defaultsApply() {
        MiddleboxConfig c = ConfigLoader.parse(MINIMAL);
        assertThat(c.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.admin()).isEqualTo(MiddleboxConfig.DEFAULT_ADMIN);
        assertThat(c.replicaLoop()).isEqualTo(ReplicaLoop.SHARED);
        assertThat(c.tcpCongestion()).as("host default").isNull();
        assertThat(c.services().get(0).mode()).isEqualTo("async");
        assertThat(c.services().get(0).compare()).isEqualTo(CompareMode.BYTES);
        assertThat(c.services().get(0).replicaBacklog()).isEqualTo(ServiceConfig.DEFAULT_BACKLOG);
        assertThat(c.services().get(0).sessionOrder()).isEqualTo(SessionOrder.CAUSAL);
        assertThat(ConfigLoader.parse(MINIMAL + "    sessionOrder: None\n").services().get(0).sessionOrder())
            .isEqualTo(SessionOrder.NONE);
        assertThat(ConfigLoader.parse("admin: off\n" + MINIMAL).admin()).isNull();
    }

    @Test
    void errorsNameTheFieldAndValue() {
        assertError("services:\n  - name: s\n    listen: 127.0.0.1:0\n    primary: nohost\n",
            "services[0].primary", "nohost");
        assertError("ringSize: 1000\n" + MINIMAL, "ringSize", "1000");
        assertError("statsInterval: soon\n" + MINIMAL, "statsInterval", "soon");
        assertError(MINIMAL + "    replicaBacklog: 12 parsecs\n", "services[0].replicaBacklog", "12 parsecs");
        assertError(MINIMAL + "    colour: blue\n", "services[0].colour", "unknown field");
        assertError(MINIMAL + "    replicas: [\"10.0.0.1:99999\"]\n", "services[0].replicas[0]", "99999");
        assertError(MINIMAL + "    mode: turbo\n", "services[0].mode", "turbo");
        assertError(MINIMAL + "    compare: fuzzy\n", "services[0].compare",
            "'fuzzy' is not one of bytes, none, postgres");
        assertError(MINIMAL + "    sessionOrder: strict\n", "services[0].sessionOrder",
            "'strict' is not one of causal, none");
        assertError("replicaLoop: own\n" + MINIMAL, "replicaLoop", "'own' is not one of shared, separate");
        assertError("threads: two\n" + MINIMAL, "threads", "two");
        assertError("services: []\n", "services", "at least one");
        assertError(MINIMAL + MINIMAL.substring("services:\n".length()), "services[1].name", "used twice");
        assertError("services: [\n", "config", "not valid YAML");
        // an alias was read as its anchor's name: here service b silently got compare 'none'
        assertError("services:\n  - {name: a, listen: 'h:0', primary: 'h:1', compare: &none bytes}\n"
            + "  - {name: b, listen: 'h:0', primary: 'h:1', compare: *none}\n", "config",
            "YAML aliases are not supported (*none at /services/1/compare)");
        // found by ConfigLoaderFuzzTest: fields below the top level used to be named by their last segment only
        assertError(MINIMAL + "    mode: [async]\n", "services[0].mode", "must be a scalar value");
        assertError(MINIMAL + "    replicas: [{address: {h: 1}}]\n", "services[0].replicas[0].address",
            "must be a scalar value");
    }

    @Test
    void unitsParse() {
        assertThat(Units.parseSize("f", "64MiB")).isEqualTo(64L << 20);
        assertThat(Units.parseSize("f", "512k")).isEqualTo(512L << 10);
        assertThat(Units.parseSize("f", "2GB")).isEqualTo(2_000_000_000L);
        assertThat(Units.parseSize("f", "4096")).isEqualTo(4096);
        assertThat(Units.parseDuration("f", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Units.parseDuration("f", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Units.parseDuration("f", "0")).isEqualTo(Duration.ZERO);
        assertThat(Units.formatSize(64L << 20)).isEqualTo("64MiB");
        // found by ConfigLoaderFuzzTest: NumberFormatException / ArithmeticException instead of a ConfigException
        for (String big : new String[] {"99999999999999999999", "9999999999GiB"}) {
            assertThatThrownBy(() -> Units.parseSize("f", big)).isInstanceOf(ConfigException.class)
                .hasMessage("f: '" + big + "' is too large");
        }
        for (String big : new String[] {"99999999999999999999ms", "9999999999999999h", "999999999999999999m"}) {
            assertThatThrownBy(() -> Units.parseDuration("f", big)).isInstanceOf(ConfigException.class)
                .hasMessage("f: '" + big + "' is too large");
        }
    }

    @Test
    void cliReplicaFormTakesABindAddress() {
        ReplicaConfig r = ReplicaConfig.parse("--replica", "10.0.1.3:6379@10.0.1.1");
        assertThat(r.address()).isEqualTo(new HostPort("10.0.1.3", 6379));
        assertThat(r.bind()).isEqualTo("10.0.1.1");
        assertThat(HostPort.parse("x", "[::1]:80")).isEqualTo(new HostPort("::1", 80));
        assertThatThrownBy(() -> ReplicaConfig.parse("--replica", "10.0.1.3:6379@"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("--replica");
    }

    @Test
    void adminServiceBodyIsOneServiceInJson() {
        ServiceConfig s = ConfigLoader.parseService("web", "{\"listen\":\"127.0.0.1:0\",\"primary\":\"127.0.0.1:80\","
            + "\"replicas\":[{\"address\":\"127.0.0.1:81\"}]}");
        assertThat(s.name()).isEqualTo("web");
        assertThat(s.replicas()).hasSize(1);
        assertThatThrownBy(() -> ConfigLoader.parseService("web", "{\"name\":\"other\",\"listen\":\"127.0.0.1:0\","
            + "\"primary\":\"127.0.0.1:80\"}")).hasMessageContaining("service.name");
    }

    private static void assertError(String yaml, String field, String mention) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml))
            .isInstanceOf(ConfigException.class)
            .satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo(field))
            .hasMessageContaining(mention);
    }
}
