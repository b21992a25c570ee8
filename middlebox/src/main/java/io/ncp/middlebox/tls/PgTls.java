package io.ncp.middlebox.tls;

import io.netty.buffer.ByteBuf;

/** PostgreSQL's in-band TLS negotiation: the 8-byte requests a client sends before its StartupMessage. */
final class PgTls {

    /** Length of SSLRequest and GSSENCRequest. */
    static final int REQUEST_LENGTH = 8;
    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;

    private PgTls() {
    }

    /** The request code at the head of {@code buf} (8 readable bytes, length 8), or 0 when it is none of those. */
    static int request(ByteBuf buf) {
        int at = buf.readerIndex();
        if (buf.readableBytes() < REQUEST_LENGTH || buf.getInt(at) != REQUEST_LENGTH) {
            return 0;
        }
        int code = buf.getInt(at + 4);
        return code == SSL_REQUEST || code == GSSENC_REQUEST ? code : 0;
    }

    /** An SSLRequest (the caller releases it once written). */
    static ByteBuf sslRequest(io.netty.buffer.ByteBufAllocator alloc) {
        return alloc.buffer(REQUEST_LENGTH).writeInt(REQUEST_LENGTH).writeInt(SSL_REQUEST);
    }
}
