package io.ncp.middlebox.frontend;

import io.ncp.middlebox.ring.FrontLink;
import io.ncp.middlebox.service.FailoverRecord;
import io.ncp.middlebox.service.LiveSession;
import io.ncp.middlebox.service.PrimaryRole;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * How the replica side ({@link FrontLink}: lockstep progress, replica ends, a takeover's answers) and a failover
 * ({@link LiveSession}) reach one {@link FrontSession}: every call is run on the session's front loop (at once when
 * already there). Ownership of a carried answer buffer passes to the session, or it is released here when the client
 * is gone.
 */
final class SessionLink implements FrontLink, LiveSession {

    private final FrontSession session;

    SessionLink(FrontSession session) {
        this.session = session;
    }

    @Override
    public void primaryReplaced(PrimaryRole.Switch change, FailoverRecord record) {
        onFront(() -> {
            if (session.clientClosed && session.primaryClosed || session.epoch >= change.epoch()
                    || session.primaryDetached) {
                return;
            }
            if (session.carry == null || !session.carry.takeover(change, record)) {
                record.session(false);
                session.resetNow();
            }
        });
    }

    @Override
    public void progress(int replica, long answeredBytes) {
        if (session.gate != null) {
            session.gate.progress(replica, answeredBytes);
        }
    }

    @Override
    public void gone(int replica) {
        if (session.gate != null) {
            session.gate.gone(replica);
        }
    }

    @Override
    public void replicaEnded(int replica) {
        onFront(() -> {
            if (session.carry != null) {
                session.carry.replicaEnded(replica);
            }
        });
    }

    @Override
    public void carrying(Channel channel, long answered) {
        onFront(() -> session.carry.carrying(channel, answered));
    }

    @Override
    public void carried(ByteBuf answer) {
        onFront(() -> {
            if (session.carry == null) {
                answer.release();
            } else {
                session.carry.fromNewPrimary(answer);
            }
        });
    }

    @Override
    public void carriedEnd(boolean wasReset) {
        onFront(() -> session.newPrimaryEnded(wasReset));
    }

    @Override
    public void notCarried(String why) {
        onFront(() -> session.carry.notCarried(why));
    }

    private void onFront(Runnable r) {
        if (session.client.eventLoop().inEventLoop()) {
            r.run();
        } else {
            session.client.eventLoop().execute(r);
        }
    }
}
