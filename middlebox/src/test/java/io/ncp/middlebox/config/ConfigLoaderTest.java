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
        assertThat(c.admin().address()).isEqualTo(new HostPort("127.0.0.1", 9090));
        assertThat(c.admin().tokenFile()).isEqualTo(AdminConfig.defaultTokenFile());
        assertThat(c.allow().backends()).extracting(Object::toString).containsExactly("10.0.0.0/16");
        assertThat(c.statsInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.tcpCongestion()).isEqualTo("cubic");
        assertThat(c.journal()).as("the sample's journal block spells out the defaults").isEqualTo(new JournalConfig(
            JournalConfig.homeDir(), JournalConfig.DEFAULT_MAX_BYTES, io.ncp.replay.journal.FsyncPolicy.DEFAULT));
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
        assertThat(c.admin()).isEqualTo(AdminConfig.at(MiddleboxConfig.DEFAULT_ADMIN));
        assertThat(c.allow()).as("derived from the services at start").isNull();
        assertThat(c.replicaLoop()).isEqualTo(ReplicaLoop.AUTO);
        assertThat(c.replicaLoop().resolve(false)).as("no journal: on the front loop").isEqualTo(ReplicaLoop.SHARED);
        assertThat(c.replicaLoop().resolve(true)).as("a journal: its writes off the primary's loop")
            .isEqualTo(ReplicaLoop.SEPARATE);
        assertThat(ReplicaLoop.SHARED.resolve(true)).as("an explicit choice stays").isEqualTo(ReplicaLoop.SHARED);
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
        assertThatThrownBy(() -> ConfigLoader.parse("services:\n  - name: [\n   x: y\n"))
            .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n").contains("line "));
        assertError("ringSize: 1073741824\n" + MINIMAL, "ringSize", "2..4194304");
        assertError("ringBytes: 99999999999999999999\n" + MINIMAL, "ringBytes", "too large");
        assertError("ringBytes: 9999999999GiB\n" + MINIMAL, "ringBytes", "too large");
        assertError("statsInterval: 99999999999999999h\n" + MINIMAL, "statsInterval", "too");
        assertError("admin: {address: 127.0.0.1:1, tokn: x}\n" + MINIMAL, "admin.tokn", "unknown field");
        assertError("admin: {address: 127.0.0.1:1, metrics: public}\n" + MINIMAL, "admin.metrics", "token, open");
        assertError("admin: {tls: {cert: /c.pem}}\n" + MINIMAL, "admin.tls.key", "both");
        assertError("allow: {backends: [example.com]}\n" + MINIMAL, "allow.backends[0]", "not an IP address");
        assertError("allow: {backends: [10.0.0.0/33]}\n" + MINIMAL, "allow.backends[0]", "0..32");
        assertError("allow: {listen: [10.0.0.1:0]}\n" + MINIMAL, "allow.listen[0]", "1..65535");
    }

    @Test
    void adminMappingAndAllowListParse() {
        MiddleboxConfig c = ConfigLoader.parse("admin:\n  address: 0.0.0.0:9091\n  tokenFile: /etc/ncp/token\n"
            + "  metrics: open\n  tls: {cert: /etc/ncp/c.pem, key: /etc/ncp/k.pem}\n"
            + "allow:\n  listen: [0.0.0.0]\n  backends: [10.0.0.0/24, \"[fd00::]/64:6379\", 10.0.1.5:7000-7010]\n"
            + MINIMAL);
        assertThat(c.admin()).isEqualTo(new AdminConfig(new HostPort("0.0.0.0", 9091), Path.of("/etc/ncp/token"),
            true, Path.of("/etc/ncp/c.pem"), Path.of("/etc/ncp/k.pem")));
        assertThat(c.allow().backends()).extracting(Object::toString)
            .containsExactly("10.0.0.0/24", "[fd00:0:0:0:0:0:0:0]/64:6379", "10.0.1.5:7000-7010");
        assertThat(ConfigLoader.parse("admin: {tokenFile: none}\n" + MINIMAL).admin().authenticated()).isFalse();
    }

    @Test
    void failoverSectionParses() {
        MiddleboxConfig c = ConfigLoader.parse(MINIMAL + "    failover: {interval: 100ms, timeout: 300ms, misses: 2,"
            + " send: \"PING\\\\r\\\\n\", expect: \"+PONG\", holdNewSessions: 5s}\n"
            + "    replicas: [{address: 127.0.0.1:2, priority: 5}]\n");
        FailoverConfig f = c.services().get(0).failover();
        assertThat(f.interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(f.misses()).isEqualTo(2);
        assertThat(new String(f.send(), java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("PING\r\n");
        assertThat(new String(f.expect(), java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("+PONG");
        assertThat(f.promote()).isTrue();
        assertThat(f.holdNewSessions()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.services().get(0).replicas().get(0).priority()).isEqualTo(5);
        assertThat(ConfigLoader.unescape("f", "\\x00\\x08\\x04\\xd2")).containsExactly(0, 8, 4, 0xd2);
        assertError(MINIMAL + "    failover: {misses: 0}\n", "services[0].failover.misses", "1..1000");
        assertError(MINIMAL + "    failover: {expect: \"+PONG\"}\n", "services[0].failover.expect",
            "needs something to send");
        assertError(MINIMAL + "    failover: {send: \"\\\\q\"}\n", "services[0].failover.send", "unknown escape");
        assertError(MINIMAL + "    failover: {voters: [example]}\n", "services[0].failover.voters[0]", "URL");
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

    @Test
    void probeBindAndVotersParse() {
        MiddleboxConfig c = ConfigLoader.parse("probeBind: 127.0.0.2\n" + MINIMAL + "    failover:\n"
            + "      voters: [http://10.0.0.4:9090, \"https://mb3.example:9443/\"]\n"
            + "      voterTokenFile: ~/peer-token\n");
        assertThat(c.probeBind()).isEqualTo("127.0.0.2");
        assertThat(c.withThreads(3).probeBind()).as("kept by the copies").isEqualTo("127.0.0.2");
        FailoverConfig f = c.services().get(0).failover();
        assertThat(f.voters()).containsExactly("http://10.0.0.4:9090", "https://mb3.example:9443/");
        assertThat(f.voterTokenFile()).isEqualTo(System.getProperty("user.home") + "/peer-token");
        assertThat(ConfigLoader.parse(MINIMAL).probeBind()).isNull();
        assertError(MINIMAL + "    failover:\n      voters: [10.0.0.4:9090]\n", "services[0].failover.voters[0]",
            "10.0.0.4:9090");
    }

    private static void assertError(String yaml, String field, String mention) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml))
            .isInstanceOf(ConfigException.class)
            .satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo(field))
            .hasMessageContaining(mention);
    }
}
