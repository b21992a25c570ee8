package io.ncp.middlebox.proto.resp;

import static io.ncp.middlebox.proto.resp.RespTestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RespReplyFramerTest {

    /** Reply ends (offsets) and the framer after feeding {@code stream} in reads of {@code size}. */
    private static List<Long> ends(String stream, int size, RespReplyFramer[] out) {
        List<Long> ends = new ArrayList<>();
        RespReplyFramer f = new RespReplyFramer(new RespReplyFramer.Listener() {
            @Override
            public void replyStart(long offset, byte type) {
            }

            @Override
            public void replyEnd(long offset) {
                ends.add(offset);
            }
        });
        RespTestBytes.feed(bytes(stream), size, f::feed);
        if (out != null) {
            out[0] = f;
        }
        return ends;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 1000})
    void resp2AndResp3RepliesEndWhereTheyEnd(int size) {
        String[] replies = {"+OK\r\n", "-ERR x\r\n", ":42\r\n", "$5\r\nhello\r\n", "$-1\r\n", "$0\r\n\r\n",
            "*2\r\n$1\r\na\r\n*1\r\n:1\r\n", "*-1\r\n", "*0\r\n", "_\r\n", ",3.14\r\n", "#t\r\n", "(123\r\n",
            "!3\r\nerr\r\n", "=7\r\ntxt:abc\r\n", "%1\r\n+k\r\n:1\r\n", "~1\r\n+a\r\n", ">2\r\n+message\r\n+x\r\n",
            "|1\r\n+key\r\n+val\r\n+after-attribute\r\n"};
        StringBuilder all = new StringBuilder();
        List<Long> expected = new ArrayList<>();
        for (String r : replies) {
            all.append(r);
            expected.add((long) all.length());
        }
        RespReplyFramer[] f = new RespReplyFramer[1];
        assertThat(ends(all.toString(), size, f)).containsExactlyElementsOf(expected);
        assertThat(f[0].failed()).isFalse();
        assertThat(f[0].inReply()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"?\r\n", "$abc\r\n", "*-2\r\n", "$3\r\nabcXY"})
    void garbageIsAFramingError(String bad) {
        RespReplyFramer[] f = new RespReplyFramer[1];
        assertThat(ends("+OK\r\n" + bad, 2, f)).containsExactly(5L);
        assertThat(f[0].failed()).isTrue();
        assertThat(f[0].error()).isNotBlank();
    }

    @Test
    void tooDeepIsAFramingError() {
        RespReplyFramer[] f = new RespReplyFramer[1];
        ends("*1\r\n".repeat(RespReplyFramer.MAX_DEPTH + 1) + ":1\r\n", 100, f);
        assertThat(f[0].failed()).isTrue();
    }
}
