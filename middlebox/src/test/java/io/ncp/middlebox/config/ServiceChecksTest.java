package io.ncp.middlebox.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Self-references, duplicate backends and unresolvable hosts are refused before anything starts. */
class ServiceChecksTest {

    private static final ServiceChecks.Fields F = ServiceChecks.Fields.under("services[0]");

    @Test
    void aBackendThatIsTheMiddleboxItselfIsRefused() {
        refused(svc("127.0.0.1:7000", "127.0.0.1:7000"), "services[0].primary", "own listen address");
        refused(svc("0.0.0.0:7000", "127.0.0.1:7000"), "services[0].primary", "own listen address");
        refused(svc("0.0.0.0:7000", "localhost:7000"), "services[0].primary", "own listen address");
        refused(svc("127.0.0.1:7000", "0.0.0.0:7000"), "services[0].primary", "own listen address");
        refused(svc("127.0.0.1:7000", "127.0.0.1:6379", "127.0.0.1:7000"), "services[0].replicas[0].address",
            "own listen address");
        assertThatThrownBy(() -> ServiceChecks.check(svc("127.0.0.1:7000", "127.0.0.1:7001"), F,
            List.of(new InetSocketAddress("0.0.0.0", 7001)))).isInstanceOf(ConfigException.class)
            .hasMessageContaining("services[0].primary").hasMessageContaining("listen address of this middlebox");
    }

    @Test
    void aReplicaThatIsThePrimaryOrAnotherReplicaIsRefused() {
        refused(svc("127.0.0.1:7000", "127.0.0.1:6379", "localhost:6379"), "services[0].replicas[0].address",
            "is the primary");
        refused(svc("127.0.0.1:7000", "127.0.0.1:6379", "127.0.0.1:6380", "127.0.0.1:6380"),
            "services[0].replicas[1].address", "replica 0");
    }

    @Test
    void unresolvableHostsNameTheirField() {
        refused(svc("127.0.0.1:7000", "no-such-host.invalid:6379"), "services[0].primary", "does not resolve");
        refused(svc("no-such-host.invalid:7000", "127.0.0.1:6379"), "services[0].listen", "does not resolve");
        refused(svc("127.0.0.1:7000", "127.0.0.1:6379", "127.0.0.1:6380@no-such-host.invalid"),
            "services[0].replicas[0].bind", "does not resolve");
    }

    @Test
    void distinctBackendsPass() {
        assertThatCode(() -> ServiceChecks.check(svc("127.0.0.1:0", "127.0.0.1:6379", "127.0.0.2:6379",
            "127.0.0.1:6380"), F, List.of())).doesNotThrowAnyException();
        assertThatCode(() -> ServiceChecks.check(svc("127.0.0.1:7000", "127.0.0.2:7000"), F, List.of()))
            .as("another loopback address is another socket").doesNotThrowAnyException();
    }

    private static ServiceConfig svc(String listen, String primary, String... replicas) {
        List<ReplicaConfig> reps = new java.util.ArrayList<>();
        for (String r : replicas) {
            reps.add(ReplicaConfig.parse("r", r));
        }
        return new ServiceConfig("s", HostPort.parse("l", listen), HostPort.parse("p", primary), "async",
            CompareMode.BYTES, 1 << 20, reps);
    }

    private static void refused(ServiceConfig s, String field, String mention) {
        assertThatThrownBy(() -> ServiceChecks.check(s, F, List.of())).isInstanceOf(ConfigException.class)
            .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ConfigException) e).field()).isEqualTo(field))
            .hasMessageContaining(mention);
    }
}
