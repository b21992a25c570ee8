package io.ncp.replay.journal;

import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.ncp.replay.reassembly.Flow;
import io.ncp.replay.reassembly.StreamListener;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Records reassembled streams into a journal: one OPEN per flow, DATA/GAP/CLOSE per direction, session id =
 * flow id. Runs on the reassembler's thread (the writer's owner). I/O errors surface as
 * {@link UncheckedIOException} from the reassembler call that caused them.
 */
public final class JournalStreamListener implements StreamListener {

    private final JournalWriter writer;
    private final boolean clientOnly;

    /** @param clientOnly when true, server-to-client bytes are not stored (their GAP/CLOSE still are) */
    public JournalStreamListener(JournalWriter writer, boolean clientOnly) {
        this.writer = writer;
        this.clientOnly = clientOnly;
    }

    @Override
    public void onOpen(Flow flow) {
        try {
            writer.open(SessionInfo.of(flow), flow.startNanos());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onData(Flow flow, Direction direction, ByteBuf data, long offset, long ts) {
        if (clientOnly && direction == Direction.SERVER_TO_CLIENT) {
            return;
        }
        try {
            writer.data(flow.id(), direction, offset, data, ts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onGap(Flow flow, Direction direction, long offset, long length, long ts) {
        try {
            writer.gap(flow.id(), direction, offset, length, ts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onClose(Flow flow, Direction direction, CloseReason reason, long offset, long ts) {
        try {
            writer.close(flow.id(), direction, reason, offset, ts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
