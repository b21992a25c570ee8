package io.ncp.middlebox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@code transparent} and {@code spoofClient} service settings in YAML and in the admin API's JSON. */
class TransparencyConfigTest {

    private static final String SERVICE =
        "services:\n  - name: s\n    listen: 0.0.0.0:6379\n    primary: 10.0.0.2:6379\n";

    @Test
    void offUnlessSetAndBothLevelsParse() {
        assertThat(only(SERVICE).transparency()).isEqualTo(Transparency.NONE);
        assertThat(only(SERVICE + "    transparent: false\n").transparency()).isEqualTo(Transparency.NONE);
        assertThat(only(SERVICE + "    transparent: true\n").transparency()).isEqualTo(Transparency.LISTENER);
        assertThat(only(SERVICE + "    transparent: true\n    spoofClient: true\n").transparency())
            .isEqualTo(Transparency.SPOOF_CLIENT);
        assertThat(only(SERVICE + "    transparent: true\n    spoofClient: false\n").transparency().transparent())
            .isTrue();
        ServiceConfig json = ConfigLoader.parseService("s", "{\"listen\": \"0.0.0.0:6379\", \"primary\": "
            + "\"10.0.0.2:6379\", \"transparent\": true, \"spoofClient\": true}");
        assertThat(json.transparency()).isEqualTo(Transparency.SPOOF_CLIENT);
    }

    @Test
    void theOtherSettingsSurviveTheCopies() {
        ServiceConfig s = only(SERVICE + "    sessionOrder: none\n    transparent: true\n");
        assertThat(s.sessionOrder()).isEqualTo(SessionOrder.NONE);
        assertThat(s.withSessionOrder(SessionOrder.CAUSAL).transparency()).isEqualTo(Transparency.LISTENER);
        assertThat(s.withTransparency(Transparency.NONE).sessionOrder()).isEqualTo(SessionOrder.NONE);
        ServiceConfig positional = new ServiceConfig("p", s.listen(), s.primary(), "async", CompareMode.BYTES, 1,
            s.replicas(), SessionOrder.NONE);
        assertThat(positional.transparency()).isEqualTo(Transparency.NONE);
    }

    @Test
    void badValuesNameTheField() {
        assertError(SERVICE + "    spoofClient: true\n", "services[0].spoofClient", "needs transparent: true");
        assertError(SERVICE + "    transparent: yes please\n", "services[0].transparent", "must be true or false");
        assertError(SERVICE + "    transparent: 1\n", "services[0].transparent", "'1'");
        assertThatThrownBy(() -> Transparency.of("", false, true)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("--spoof-client").hasMessageContaining("needs --transparent");
    }

    @Test
    void aMirroredServiceHasNoListenerToMakeTransparent() {
        String mirrored = "services:\n  - name: s\n    primary: 10.0.0.2:6379\n    transparent: true\n";
        assertThatThrownBy(() -> ConfigLoader.parse(ConfigLoader.root(mirrored), true))
            .isInstanceOf(ConfigException.class).hasMessageContaining("services[0].transparent")
            .hasMessageContaining("mirrored");
    }

    private static ServiceConfig only(String yaml) {
        return ConfigLoader.parse(yaml).services().get(0);
    }

    private static void assertError(String yaml, String field, String mention) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml)).isInstanceOf(ConfigException.class)
            .satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo(field))
            .hasMessageContaining(mention);
    }
}
