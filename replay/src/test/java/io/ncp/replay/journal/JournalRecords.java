package io.ncp.replay.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.ncp.replay.reassembly.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Writes a journal of fuzzed records and remembers each one as the reader should give it back. */
final class JournalRecords {

    private static final int MAX_RECORDS = 12;

    private JournalRecords() {
    }

    /** Creates {@code file} with up to 12 fuzzed records; returns them as written, with their positions. */
    static List<JournalRecord> write(Path file, FuzzedDataProvider data) throws IOException {
        List<JournalRecord> out = new ArrayList<>();
        int n = data.consumeInt(0, MAX_RECORDS);
        try (JournalWriter w = JournalWriter.open(file, FsyncPolicy.NEVER, data.consumeInt(1, 600))) {
            for (int i = 0; i < n; i++) {
                long pos = w.position();
                RecordType type = data.pickValue(RecordType.values());
                long session = data.consumeLong();
                Direction d = data.consumeBoolean() ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
                long ts = data.consumeLong();
                long offset = data.consumeLong();
                switch (type) {
                    case OPEN: {
                        SessionInfo s = session(data, session, ts);
                        w.open(s, ts);
                        out.add(new JournalRecord(pos, type, session, Direction.CLIENT_TO_SERVER, 0, ts, 0, 0,
                            s.encode()));
                        break;
                    }
                    case DATA: {
                        byte[] bytes = data.consumeBytes(data.consumeInt(1, 300));
                        if (bytes.length == 0) {
                            break; // nothing to write: the writer appends no record
                        }
                        w.data(session, d, offset, bytes, 0, bytes.length, ts);
                        out.add(new JournalRecord(pos, type, session, d, 0, ts, offset, 0, bytes));
                        break;
                    }
                    case GAP: {
                        long length = data.consumeLong();
                        w.gap(session, d, offset, length, ts);
                        out.add(new JournalRecord(pos, type, session, d, 0, ts, offset, length, new byte[0]));
                        break;
                    }
                    case CLOSE:
                    default: {
                        CloseReason reason = data.pickValue(CloseReason.values());
                        w.close(session, d, reason, offset, ts);
                        out.add(new JournalRecord(pos, type, session, d, reason.code(), ts, offset, 0, new byte[0]));
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static SessionInfo session(FuzzedDataProvider data, long id, long ts) throws IOException {
        int len = data.consumeBoolean() ? 4 : 16;
        Endpoint client = new Endpoint(address(data, len), data.consumeInt(0, 65535));
        Endpoint server = new Endpoint(address(data, len), data.consumeInt(0, 65535));
        return new SessionInfo(id, client, server, data.consumeBoolean(), ts);
    }

    /** An address of {@code len} bytes; IPv4-mapped IPv6 ones are avoided (InetAddress turns them into IPv4). */
    private static InetAddress address(FuzzedDataProvider data, int len) throws IOException {
        byte[] a = Arrays.copyOf(data.consumeBytes(len), len);
        if (len == 16) {
            a[0] |= 0x20;
        }
        return InetAddress.getByAddress(a);
    }

    /** Field-by-field equality (the record's payload is an array). */
    static void assertSame(JournalRecord got, JournalRecord expected) {
        assertThat(got.position()).isEqualTo(expected.position());
        assertSameContent(got, expected);
    }

    /** Field-by-field equality except the position. */
    static void assertSameContent(JournalRecord got, JournalRecord expected) {
        assertThat(got.type()).isEqualTo(expected.type());
        assertThat(got.sessionId()).isEqualTo(expected.sessionId());
        assertThat(got.direction()).isEqualTo(expected.direction());
        assertThat(got.flags()).isEqualTo(expected.flags());
        assertThat(got.timestampNanos()).isEqualTo(expected.timestampNanos());
        assertThat(got.offset()).isEqualTo(expected.offset());
        assertThat(got.aux()).isEqualTo(expected.aux());
        assertThat(got.payload()).isEqualTo(expected.payload());
    }
}
