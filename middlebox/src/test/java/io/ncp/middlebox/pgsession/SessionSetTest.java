package io.ncp.middlebox.pgsession;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which SQL texts are plain session SETs / RESETs that a continued session can replay. */
class SessionSetTest {

    @Test
    void plainSetsAndResetsOfOneParameter() {
        assertThat(SessionSet.parse("SET extra_float_digits = 3")).isEqualTo(new SessionSet("extra_float_digits",
            false));
        assertThat(SessionSet.parse("set SESSION Search_Path TO \"$user\", public;  -- the app's schema"))
            .isEqualTo(new SessionSet("search_path", false));
        assertThat(SessionSet.parse("SET application_name = 'it''s me'")).isEqualTo(new SessionSet("application_name",
            false));
        assertThat(SessionSet.parse("/* pool */ SET statement_timeout = -1.5")).isEqualTo(
            new SessionSet("statement_timeout", false));
        assertThat(SessionSet.parse("SET myapp.tenant = 42")).isEqualTo(new SessionSet("myapp.tenant", false));
        assertThat(SessionSet.parse("SET work_mem TO DEFAULT")).isEqualTo(new SessionSet("work_mem", false));
        assertThat(SessionSet.parse("RESET search_path;")).isEqualTo(new SessionSet("search_path", true));
    }

    @Test
    void anythingUnusualIsNotOne() {
        for (String sql : new String[] {"RESET ALL", "SET ROLE app", "SET role = app", "RESET ROLE",
            "SET SESSION AUTHORIZATION app", "RESET SESSION AUTHORIZATION", "SET TIME ZONE 'UTC'",
            "SET LOCAL search_path = app", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
            "SET search_path = app; SELECT 1", "SET x = 1; SET y = 2", "SET search_path app",
            "SET application_name = E'a\\b'", "SET application_name = 'a\\b'", "SET a = 'unterminated",
            "SET search_path = current_setting('x')", "SET a = (1)", "SET a = $1", "SET a =", "SET \"A\" = 1",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "SELECT set_config('a', 'b', false)",
            "SET a = 1 /* unterminated", "SET a = 1 /* nested /* */ */", "SHOW search_path", ""}) {
            assertThat(SessionSet.parse(sql)).as(sql).isNull();
        }
    }
}
