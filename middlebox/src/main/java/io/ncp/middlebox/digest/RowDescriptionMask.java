package io.ncp.middlebox.digest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The body of one PostgreSQL RowDescription ('T'), digested with its catalog identifiers masked: per field the table
 * OID and column number are digested as zeros, and so is the type OID when it is not a built-in type's (16384 and
 * up). Those identify where a column is stored, not what the server answered: two servers with the same data have
 * different OIDs once one was loaded from a logical dump ({@code pg_restore}, an online resync). The field name and
 * the built-in type, its size, modifier and format are digested as they are. One per message; single thread.
 */
final class RowDescriptionMask {

    /** The first OID of user-defined objects (PostgreSQL's FirstNormalObjectId). */
    private static final long FIRST_NORMAL_OID = 16384;
    /** Bytes of a field after its name: table OID 4, column 2, type OID 4, size 2, modifier 4, format 2. */
    private static final int FIXED = 18;

    private final byte[] typeOid = new byte[4];
    /** Bytes of the field count left (2, then 0). */
    private int countLeft = 2;
    /** Inside a field name (until its NUL), else at {@link #fixedAt} of its fixed part. */
    private boolean inName;
    private int fixedAt = FIXED;

    /** Digests {@code n} body bytes of {@code buf} from {@code pos}. */
    void feed(ByteBuf buf, int pos, int n, BlockDigester d) {
        int end = pos + n;
        int i = pos;
        while (i < end) {
            if (countLeft > 0) {
                countLeft--;
                d.update(buf, i++, 1);
                inName = countLeft == 0;
            } else if (inName) {
                byte b = buf.getByte(i);
                d.update(buf, i++, 1);
                if (b == 0) {
                    inName = false;
                    fixedAt = 0;
                }
            } else if (fixedAt < 6) { // table OID, column number: one masked run
                int run = Math.min(6 - fixedAt, end - i);
                d.updateZeros(run);
                i += run;
                taken(run);
            } else if (fixedAt < 10) {
                typeOid[fixedAt - 6] = buf.getByte(i++);
                if (fixedAt == 9) {
                    long oid = ((typeOid[0] & 0xffL) << 24) | ((typeOid[1] & 0xff) << 16) | ((typeOid[2] & 0xff) << 8)
                        | (typeOid[3] & 0xff);
                    if (oid >= FIRST_NORMAL_OID) {
                        d.updateZeros(4);
                    } else {
                        d.update(Unpooled.wrappedBuffer(typeOid), 0, 4);
                    }
                }
                taken(1);
            } else {
                int run = Math.min(FIXED - fixedAt, end - i);
                d.update(buf, i, run);
                i += run;
                taken(run);
            }
        }
    }

    /** {@code k} bytes of a field's fixed part taken; after the last, the next field's name starts. */
    private void taken(int k) {
        fixedAt += k;
        if (fixedAt == FIXED) {
            inName = true;
        }
    }
}
