package io.ncp.middlebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad arguments and configs exit with 2 and say what is wrong. */
class MainTest {

    @Test
    void badArgumentsExitWithTwoAndNameTheProblem() {
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0"}, "--primary");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:x"}, "--primary");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:1", "--mode",
            "turbo"}, "async, lockstep");
        assertExit2(new String[] {"run", "--config", "/nonexistent/ncp.yaml"}, "does not exist");
        assertExit2(new String[] {"run", "--no-such-flag"}, "no-such-flag");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:1", "--threads", "0"},
            "threads");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:1", "--tcp-congestion",
            "no_such_cc"}, "tcpCongestion");
        assertExit2(new String[] {"frobnicate"}, "frobnicate");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:1", "--protocol",
            "smtp"}, "--protocol");
    }

    @Test
    void selfReferencesUnresolvableHostsAndOversizedValuesExitWithTwo() {
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:17999", "--primary", "127.0.0.1:17999"},
            "--primary: '127.0.0.1:17999' is the service's own listen address");
        assertExit2(new String[] {"run", "--listen", "0.0.0.0:17999", "--primary", "127.0.0.1:6379", "--replica",
            "localhost:17999"}, "--replica[0]");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--replica",
            "127.0.0.1:6379"}, "is the primary");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "no-such-host.invalid:6379"},
            "--primary: 'no-such-host.invalid' does not resolve");
        assertExit2(new String[] {"run", "--listen", "no-such-host.invalid:0", "--primary", "127.0.0.1:6379"},
            "--listen");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--replica",
            "127.0.0.1:6380@no-such-host.invalid"}, "--replica[0]");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--admin",
            "no-such-host.invalid:9090", "--admin-token-file", "none"}, "admin");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--backlog",
            "99999999999999999999GiB"}, "--backlog: '99999999999999999999GiB' is too large");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--ring-bytes",
            "9999999999GiB"}, "--ring-bytes");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--ring-bytes",
            "900GiB", "--admin", "off"}, "ringBytes");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--ring-size",
            "1073741824"}, "ringSize");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--admin", "off",
            "--admin-token-file", "/tmp/t"}, "--admin-token-file: the admin API is off");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--admin",
            "0.0.0.0:0", "--admin-token-file", "none"}, "admin.tokenFile");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--probe-send",
            "PING"}, "--probe-send: needs --failover");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--failover",
            "--probe-send", "PING\\x4"}, "--probe-send");
        assertExit2(new String[] {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--failover",
            "--probe-expect", "+PONG"}, "needs --probe-send");
    }

    @Test
    void helpExitsWithZero() {
        assertThat(Main.execute("--help")).isZero();
        assertThat(Main.execute("run", "--help")).isZero();
    }

    /** Runs the CLI with {@code args}: exit code 2 and {@code mention} on stderr. */
    static void assertExit2(String[] args, String mention) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = Main.execute(args);
        } finally {
            System.setErr(oldErr);
        }
        assertThat(code).as(String.join(" ", args) + ": " + err).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).as(String.join(" ", args)).contains(mention);
    }
}
