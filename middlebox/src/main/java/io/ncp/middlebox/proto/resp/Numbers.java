package io.ncp.middlebox.proto.resp;

/** Decimal numbers as redis-server reads them ({@code string2ll}: optional '-', no '+', no blanks, no leading 0s). */
final class Numbers {

    /** Returned for text that is not such a number. */
    static final long INVALID = Long.MIN_VALUE;

    private Numbers() {
    }

    /** The value of the first {@code len} bytes of {@code text}, or {@link #INVALID}. */
    static long parseLong(byte[] text, int len) {
        if (len == 0 || len > 20) {
            return INVALID;
        }
        int i = 0;
        boolean negative = text[0] == '-';
        if (negative) {
            i++;
            if (len == 1) {
                return INVALID;
            }
        }
        if (text[i] == '0') {
            return len == 1 ? 0 : INVALID;
        }
        long v = 0;
        for (; i < len; i++) {
            int d = text[i] - '0';
            if (d < 0 || d > 9) {
                return INVALID;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                return INVALID;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }
}
