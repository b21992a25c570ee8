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
