package io.ncp.middlebox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mirror-mode config: a mirror section, services without listen addresses, derived filters. */
class MirrorConfigLoaderTest {

    @Test
    void sampleMirrorConfigInTheRepositoryLoads() {
        MirrorSetup s = MirrorConfigLoader.load(Path.of("..", "configs", "middlebox-mirror.yaml"));
        assertThat(s.mirror().iface()).isEqualTo("eth1");
        assertThat(s.mirror().pcap()).isNull();
        assertThat(s.mirror().bufferBytes()).isEqualTo(64L << 20);
        assertThat(s.mirror().idleTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.middlebox().threads()).isEqualTo(2);
        ServiceConfig redis = s.middlebox().services().get(0);
        assertThat(redis.listen()).isNull();
        assertThat(redis.replicas()).hasSize(2);
        assertThat(s.mirror().effectiveFilter(s.middlebox().services()))
            .isEqualTo("tcp and ((host 10.0.0.2 and port 6379))");
    }

    @Test
    void pcapPathIsRelativeToTheConfigFile() {
        MirrorSetup s = MirrorConfigLoader.parse("mirror:\n  pcap: x.pcap\nservices:\n  - name: r\n"
            + "    primary: '*:6379'\n    replicas: [127.0.0.1:6380]\n", Path.of("/etc/ncp"));
        assertThat(s.mirror().pcap()).isEqualTo(Path.of("/etc/ncp/x.pcap"));
        assertThat(s.mirror().effectiveFilter(s.middlebox().services())).isEqualTo("tcp and ((port 6379))");
    }

    @Test
    void badMirrorConfigsNameTheField() {
        String svc = "services:\n  - name: r\n    primary: 127.0.0.1:1\n";
        assertThatThrownBy(() -> MirrorConfigLoader.parse(svc, null)).hasMessageContaining("mirror");
        assertThatThrownBy(() -> MirrorConfigLoader.parse("mirror:\n  interface: lo\n  pcap: x\n" + svc, null))
            .hasMessageContaining("exactly one input");
        assertThatThrownBy(() -> MirrorConfigLoader.parse("mirror:\n  interface: lo\n  snap: 1\n" + svc, null))
            .isInstanceOf(ConfigException.class).hasMessageContaining("mirror.snap");
        assertThatThrownBy(() -> MirrorConfigLoader.parse("mirror:\n  interface: lo\n  snaplen: big\n" + svc, null))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("mirror.snaplen: 'big' is not an integer");
        assertThatThrownBy(() -> MirrorConfigLoader.parse("mirror:\n  pcap: \"x\\0.pcap\"\n" + svc, null))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("mirror.pcap: 'x\0.pcap' is not a valid path");
        assertThatThrownBy(() -> MirrorConfigLoader.parse("mirror:\n  interface: [lo]\n" + svc, null))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("mirror.interface: must be a scalar value");
        assertThatThrownBy(() -> MirrorConfigLoader.parse("mirror:\n  interface: lo\n" + svc
            + "    listen: 127.0.0.1:0\n", null)).hasMessageContaining("services[0].listen");
        assertThatThrownBy(() -> MirrorConfigLoader.parse("mirror:\n  interface: lo\n" + svc
            + "    mode: lockstep\n", null)).hasMessageContaining("async only");
        assertThatThrownBy(() -> ConfigLoader.parse("mirror:\n  interface: lo\n" + svc))
            .hasMessageContaining("ncp-middlebox mirror");
    }

    @Test
    void defaultFilterCoversEveryPrimary() {
        List<ServiceConfig> services = List.of(
            ConfigLoader.mirroredService("a", "a", new HostPort("10.0.0.2", 6379), null, null, 1, List.of()),
            ConfigLoader.mirroredService("b", "b", new HostPort("db.example", 5432), null, null, 1, List.of()),
            ConfigLoader.mirroredService("c", "c", new HostPort("::1", 80), null, null, 1, List.of()));
        assertThat(MirrorConfig.defaultFilter(services))
            .isEqualTo("tcp and ((host 10.0.0.2 and port 6379) or (port 5432) or (host ::1 and port 80))");
    }
}
