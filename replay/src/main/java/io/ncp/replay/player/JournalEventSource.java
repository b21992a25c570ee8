package io.ncp.replay.player;

import io.ncp.replay.journal.JournalCorruptException;
import io.ncp.replay.journal.JournalReader;
import io.ncp.replay.journal.JournalRecord;
import io.ncp.replay.journal.SessionInfo;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;

/** Session events read back from a journal. A torn tail ends the stream and shows in {@link #diagnostics()}. */
public final class JournalEventSource implements SessionEventSource {

    private final JournalReader reader;
    private long records;

    public JournalEventSource(Path journal) throws IOException {
        this.reader = JournalReader.open(journal);
    }

    @Override
    public SessionEvent next() throws IOException {
        JournalRecord r = reader.next();
        if (r == null) {
            return null;
        }
        records++;
        switch (r.type()) {
            case OPEN: {
                SessionInfo info = JournalReader.sessionInfo(r);
                if (info == null) {
                    throw new JournalCorruptException(reader.file(), r.position(), "malformed OPEN record payload");
                }
                return SessionEvent.open(info, r.timestampNanos());
            }
            case DATA:
                return SessionEvent.data(r.sessionId(), r.direction(), r.timestampNanos(), r.offset(),
                    r.payload().length, Unpooled.wrappedBuffer(r.payload()));
            case GAP:
                return SessionEvent.gap(r.sessionId(), r.direction(), r.timestampNanos(), r.offset(), r.aux());
            case CLOSE:
                if (r.closeReason() == null) {
                    throw new JournalCorruptException(reader.file(), r.position(), "unknown close reason " + r.flags());
                }
                return SessionEvent.close(r.sessionId(), r.direction(), r.timestampNanos(), r.offset(),
                    r.closeReason());
            default:
                throw new JournalCorruptException(reader.file(), r.position(), "unexpected record " + r.type());
        }
    }

    @Override
    public String description() {
        return reader.file();
    }

    @Override
    public double progress() {
        return reader.size() == 0 ? 1 : (double) reader.position() / reader.size();
    }

    @Override
    public String diagnostics() {
        JournalReader.TornTail t = reader.tornTail();
        return "journal records=" + records + (t == null ? "" : "; torn tail of " + t.bytes() + " bytes at byte offset "
            + t.position() + " (" + t.problem() + ") ignored");
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
