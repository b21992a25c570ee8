package io.ncp.middlebox.proto.resp;

import static io.ncp.middlebox.proto.resp.RespTestBytes.bytes;
import static io.ncp.middlebox.proto.resp.RespTestBytes.cmd;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RespRequestFramerTest {

    private static List<RespRequest> frame(String stream, int readSize, RespRequestFramer[] out) {
        List<RespRequest> got = new ArrayList<>();
        RespRequestFramer f = new RespRequestFramer(got::add);
        RespTestBytes.feed(bytes(stream), readSize, f::feed);
        if (out != null) {
            out[0] = f;
        }
        return got;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 1000})
    void pipelinedMultibulkAndInlineFrameTheSameHoweverCut(int readSize) {
        String stream = cmd("SET", "k", "v") + "PING\r\n" + cmd("CONFIG", "SET", "port", "21111")
            + "  set 'a b' \"c\\x41\\n\"\n" + "\r\n" + "*0\r\n" + cmd("GET", "k");
        List<RespRequest> got = frame(stream, readSize, null);
        assertThat(got).extracting(RespRequest::name).containsExactly("SET", "PING", "CONFIG", "SET", "", "", "GET");
        assertThat(got.get(2).args()).containsExactly("CONFIG", "SET", "port", "21111");
        assertThat(got.get(3).args()).containsExactly("set", "a b", "cA\n");
        assertThat(got.get(0).start()).isZero();
        assertThat(got.get(1).start()).isEqualTo(got.get(0).end());
        assertThat(got.get(got.size() - 1).end()).isEqualTo(stream.length());
        for (int i = 1; i < got.size(); i++) {
            assertThat(got.get(i).start()).as("contiguous").isEqualTo(got.get(i - 1).end());
        }
    }

    @Test
    void longArgumentsAreCountedNotKept() {
        String big = "x".repeat(RespRequestFramer.KEPT_ARG_BYTES + 1);
        List<RespRequest> got = frame(cmd("SET", "k", big), 5, null);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).argc()).isEqualTo(3);
        assertThat(got.get(0).args()).containsExactly("SET", "k", null);
    }

    @Test
    void currentNameIsKnownBeforeTheRequestIsComplete() {
        RespRequestFramer f = new RespRequestFramer(r -> { });
        RespTestBytes.feed(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk"), 100, f::feed);
        assertThat(f.inRequest()).isTrue();
        assertThat(f.currentName()).isEqualTo("SET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*abc\r\n", "*2\r\n+foo\r\n", "*1\r\n$-5\r\n", "set \"unbalanced\n", "*1\r\n$x\r\n",
        "*99999999999\r\n"})
    void protocolErrorsStopTheFramer(String bad) {
        RespRequestFramer[] f = new RespRequestFramer[1];
        List<RespRequest> got = frame(cmd("PING") + bad + cmd("PING"), 3, f);
        assertThat(got).hasSize(1);
        assertThat(f[0].failed()).isTrue();
        assertThat(f[0].error()).startsWith("Protocol error: ");
        assertThat(f[0].errorOffset()).isEqualTo(cmd("PING").length());
    }

    @Test
    void tooLongInlineIsAnError() {
        RespRequestFramer[] f = new RespRequestFramer[1];
        frame("x".repeat(RespRequestFramer.MAX_LINE + 1), 4096, f);
        assertThat(f[0].failed()).isTrue();
        assertThat(f[0].error()).contains("too big inline request");
    }
}
