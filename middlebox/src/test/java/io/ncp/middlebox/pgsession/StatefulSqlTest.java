package io.ncp.middlebox.pgsession;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatefulSqlTest {

    @Test
    void sqlThatLeavesSessionStateIsNamed() {
        assertThat(StatefulSql.reason("SET search_path TO app")).isEqualTo("session SET");
        assertThat(StatefulSql.reason("set session authorization bob")).isEqualTo("session SET");
        assertThat(StatefulSql.reason("SELECT 1; SET extra_float_digits = 3")).isEqualTo("session SET");
        assertThat(StatefulSql.reason("/* x */ RESET ALL")).isEqualTo("session RESET");
        assertThat(StatefulSql.reason("PREPARE q AS SELECT 1")).isEqualTo("PREPARE");
        assertThat(StatefulSql.reason("LISTEN jobs")).isEqualTo("LISTEN");
        assertThat(StatefulSql.reason("CREATE TEMP TABLE t (a int)")).isEqualTo("temporary table");
        assertThat(StatefulSql.reason("create global temporary table t (a int)")).isEqualTo("temporary table");
        assertThat(StatefulSql.reason("SELECT * INTO TEMP t2 FROM t")).isEqualTo("temporary table");
        assertThat(StatefulSql.reason("CREATE TABLE pg_temp.x (a int)")).isEqualTo("temporary table");
        assertThat(StatefulSql.reason("DECLARE c CURSOR WITH HOLD FOR SELECT 1")).isEqualTo("cursor WITH HOLD");
        assertThat(StatefulSql.reason("SELECT pg_advisory_lock(1)")).isEqualTo("advisory lock");
        assertThat(StatefulSql.reason("SELECT pg_try_advisory_lock_shared(1)")).isEqualTo("advisory lock");
        assertThat(StatefulSql.reason("SELECT set_config('a.b', 'c', false)")).isEqualTo("set_config(..., false)");
        assertThat(StatefulSql.reason("SELECT set_config('a.b', $1, true), set_config('x', 'y', f())"))
            .isEqualTo("set_config(..., false)");
        assertThat(StatefulSql.reason("LOAD 'auto_explain'")).isEqualTo("LOAD");
        assertThat(StatefulSql.reason("DO $$BEGIN PERFORM set_config('a.b', 'c', false); END$$"))
            .as("conservative: function names inside bodies count").isEqualTo("set_config(..., false)");
    }

    @Test
    void transactionScopedOrPlainSqlHoldsNoState() {
        assertThat(StatefulSql.reason("BEGIN; SET LOCAL work_mem = '64MB'; SELECT 1; COMMIT")).isNull();
        assertThat(StatefulSql.reason("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")).isNull();
        assertThat(StatefulSql.reason("SET CONSTRAINTS ALL DEFERRED")).isNull();
        assertThat(StatefulSql.reason("PREPARE TRANSACTION 'x'")).isNull();
        assertThat(StatefulSql.reason("SELECT pg_advisory_xact_lock(1)")).isNull();
        assertThat(StatefulSql.reason("SELECT set_config('a.b', 'c', true)")).isNull();
        assertThat(StatefulSql.reason("DECLARE c CURSOR FOR SELECT 1")).isNull();
        assertThat(StatefulSql.reason("INSERT INTO t VALUES ('SET x; LISTEN y')")).isNull();
        assertThat(StatefulSql.reason("UPDATE t SET a = 1 WHERE b = 2")).isNull();
        assertThat(StatefulSql.reason("ALTER TABLE t ALTER COLUMN a SET DEFAULT 0")).isNull();
        assertThat(StatefulSql.reason("SELECT $x$; set a = b $x$, E'\\'; reset' -- ; reset\n")).isNull();
        assertThat(StatefulSql.reason("CREATE TABLE w (temp int)")).isNull();
        assertThat(StatefulSql.reason("INSERT INTO \"temp\" VALUES (1)")).isNull();
        assertThat(StatefulSql.reason("SELECT $1::int")).isNull();
        assertThat(StatefulSql.reason("")).isNull();
    }
}
